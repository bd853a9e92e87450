using System.Management.Automation;

namespace FhirSecurity.Commands;

/// <summary>Import-FhirCaBundle and Set-FhirCaBundle: the certificates (PEM file or text) and -PassThru.</summary>
public abstract class CaBundleWriteCommand : FhirCommand
{
    /// <summary>A PEM file.</summary>
    [Parameter(
        Mandatory = true,
        Position = 1,
        ParameterSetName = CaBundleSource.PathSet,
        ValueFromPipelineByPropertyName = true)]
    [Alias("FullName")]
    public string Path { get; set; } = string.Empty;

    /// <summary>PEM text.</summary>
    [Parameter(Mandatory = true, ParameterSetName = CaBundleSource.PemSet)]
    public string Pem { get; set; } = string.Empty;

    /// <summary>Writes the definition (its certificates) to the pipeline.</summary>
    [Parameter]
    public SwitchParameter PassThru { get; set; }
}
