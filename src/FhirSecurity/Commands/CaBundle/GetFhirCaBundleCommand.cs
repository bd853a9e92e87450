using System.Management.Automation;
using FhirSecurity.Core.Definitions;

namespace FhirSecurity.Commands;

/// <summary>Gets CA bundles with the subject, SHA-256 fingerprint and expiry of each certificate.</summary>
[Cmdlet(VerbsCommon.Get, "FhirCaBundle")]
[OutputType(typeof(FhirCaBundleInfo))]
public sealed class GetFhirCaBundleCommand : GetDefinitionCommand
{
    internal override DefinitionKind Kind => DefinitionKind.CaBundle;
}
