using System.Management.Automation;

namespace FhirSecurity.Commands;

/// <summary>
/// Import-FhirCaBundle and Set-FhirCaBundle: the bundle's name, the certificates (PEM file or text) and -PassThru.
/// -Name completes the names of existing bundles: what Set- needs, and for Import- a reminder of what is taken.
/// </summary>
public abstract class CaBundleWriteCommand : FhirCommand
{
    /// <summary>The parameter set of -Path, the default one of both cmdlets.</summary>
    protected const string PathSet = CaBundleSource.PathSet;

    /// <summary>The bundle's name (letters, digits, hyphens).</summary>
    [Parameter(Mandatory = true, Position = 0, ValueFromPipelineByPropertyName = true)]
    [ArgumentCompleter(typeof(DefinitionNameCompleter))]
    public string Name { get; set; } = string.Empty;

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
