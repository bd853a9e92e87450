using System.Management.Automation;
using FhirSecurity.Core.Definitions;

namespace FhirSecurity.Commands;

/// <summary>Removes a CA bundle that no connection uses.</summary>
[Cmdlet(VerbsCommon.Remove, "FhirCaBundle", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.High)]
[OutputType(typeof(void))]
public sealed class RemoveFhirCaBundleCommand : RemoveDefinitionCommand
{
    internal override DefinitionKind Kind => DefinitionKind.CaBundle;
}
