using System.Management.Automation;
using FhirSecurity.Core.Definitions;

namespace FhirSecurity.Commands;

/// <summary>Removes a Basic Auth definition that no connection uses.</summary>
[Cmdlet(VerbsCommon.Remove, "FhirBasicAuth", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.High)]
[OutputType(typeof(void))]
public sealed class RemoveFhirBasicAuthCommand : RemoveDefinitionCommand
{
    internal override DefinitionKind Kind => DefinitionKind.BasicAuth;
}
