using System.Management.Automation;
using FhirSecurity.Core.Definitions;
using FhirSecurity.Core.Tls;

namespace FhirSecurity.Commands;

/// <summary>
/// Imports a PEM bundle of CA certificates (roots and intermediates) into a vault, for connections that trust an
/// internal CA. Private keys, non-CA certificates, expired certificates and empty bundles are refused.
/// </summary>
[Cmdlet(VerbsData.Import, "FhirCaBundle", SupportsShouldProcess = true, DefaultParameterSetName = CaBundleSource.PathSet)]
[OutputType(typeof(FhirCaBundleInfo))]
public sealed class ImportFhirCaBundleCommand : NewDefinitionCommand
{
    /// <summary>A PEM file.</summary>
    [Parameter(Mandatory = true, Position = 1, ParameterSetName = CaBundleSource.PathSet, ValueFromPipelineByPropertyName = true)]
    [Alias("FullName")]
    public string Path { get; set; } = string.Empty;

    /// <summary>PEM text.</summary>
    [Parameter(Mandatory = true, ParameterSetName = CaBundleSource.PemSet)]
    public string Pem { get; set; } = string.Empty;

    /// <inheritdoc />
    protected override void ProcessRecord()
        => Run(() =>
        {
            CaBundle bundle = CaBundleSource.Read(this, ParameterSetName == CaBundleSource.PathSet ? Path : null, Pem);
            if (this.CreateDefinition(new CaBundleDefinition { Name = Name, Pem = bundle.Pem }, Force, PassThru) is not null)
            {
                CaBundleSource.Report(this, Name, bundle);
            }
        });
}
