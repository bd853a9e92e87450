using System.Management.Automation;
using FhirSecurity.Core.Definitions;

namespace FhirSecurity.Commands;

/// <summary>Gets Basic Auth definitions; the password shows as redacted.</summary>
[Cmdlet(VerbsCommon.Get, "FhirBasicAuth")]
[OutputType(typeof(FhirBasicAuthInfo))]
public sealed class GetFhirBasicAuthCommand : GetDefinitionCommand
{
    internal override DefinitionKind Kind => DefinitionKind.BasicAuth;
}
