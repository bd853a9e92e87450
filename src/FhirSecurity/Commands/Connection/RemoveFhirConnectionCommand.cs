using System.Management.Automation;
using FhirSecurity.Core.Definitions;

namespace FhirSecurity.Commands;

/// <summary>Removes a connection (the definitions it references stay).</summary>
[Cmdlet(VerbsCommon.Remove, "FhirConnection", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.High)]
[OutputType(typeof(void))]
public sealed class RemoveFhirConnectionCommand : RemoveDefinitionCommand
{
    internal override DefinitionKind Kind => DefinitionKind.Connection;
}
