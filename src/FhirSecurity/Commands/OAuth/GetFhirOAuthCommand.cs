using System.Management.Automation;
using FhirSecurity.Core.Definitions;

namespace FhirSecurity.Commands;

/// <summary>Gets OAuth definitions; the client secret shows as redacted.</summary>
[Cmdlet(VerbsCommon.Get, "FhirOAuth")]
[OutputType(typeof(FhirOAuthInfo))]
public sealed class GetFhirOAuthCommand : GetDefinitionCommand
{
    internal override DefinitionKind Kind => DefinitionKind.OAuth;
}
