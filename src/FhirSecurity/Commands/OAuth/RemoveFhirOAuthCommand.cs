using System.Management.Automation;
using FhirSecurity.Core.Definitions;

namespace FhirSecurity.Commands;

/// <summary>Removes an OAuth definition that no connection uses.</summary>
[Cmdlet(VerbsCommon.Remove, "FhirOAuth", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.High)]
[OutputType(typeof(void))]
public sealed class RemoveFhirOAuthCommand : RemoveDefinitionCommand
{
    internal override DefinitionKind Kind => DefinitionKind.OAuth;
}
