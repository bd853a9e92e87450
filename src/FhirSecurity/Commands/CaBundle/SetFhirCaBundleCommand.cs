using System.Management.Automation;
using FhirSecurity.Core.Definitions;
using FhirSecurity.Core.Tls;

namespace FhirSecurity.Commands;

/// <summary>Replaces the certificates of a CA bundle (for example when the internal CA is renewed).</summary>
[Cmdlet(VerbsCommon.Set, "FhirCaBundle", SupportsShouldProcess = true, DefaultParameterSetName = CaBundleSource.PathSet)]
[OutputType(typeof(FhirCaBundleInfo))]
public sealed class SetFhirCaBundleCommand : SetDefinitionCommand
{
    /// <summary>A PEM file with the new certificates.</summary>
    [Parameter(Mandatory = true, Position = 1, ParameterSetName = CaBundleSource.PathSet, ValueFromPipelineByPropertyName = true)]
    [Alias("FullName")]
    public string Path { get; set; } = string.Empty;

    /// <summary>PEM text with the new certificates.</summary>
    [Parameter(Mandatory = true, ParameterSetName = CaBundleSource.PemSet)]
    public string Pem { get; set; } = string.Empty;

    /// <inheritdoc />
    protected override void ProcessRecord()
        => Run(() =>
        {
            CaBundle bundle = CaBundleSource.Read(this, ParameterSetName == CaBundleSource.PathSet ? Path : null, Pem);
            var stored = this.UpdateDefinition<CaBundleDefinition>(
                DefinitionKind.CaBundle,
                Name,
                current => current with { Pem = bundle.Pem },
                PassThru,
                $"Replace certificates with {bundle.Certificates.Count} certificate(s)");
            if (stored is not null)
            {
                CaBundleSource.Report(this, Name, bundle);
            }
        });
}
