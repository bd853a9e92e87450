using System.Management.Automation;
using FhirSecurity.Core.Definitions;

namespace FhirSecurity.Commands;

/// <summary>Gets connections.</summary>
[Cmdlet(VerbsCommon.Get, "FhirConnection")]
[OutputType(typeof(FhirConnectionInfo))]
public sealed class GetFhirConnectionCommand : GetDefinitionCommand
{
    internal override DefinitionKind Kind => DefinitionKind.Connection;
}
