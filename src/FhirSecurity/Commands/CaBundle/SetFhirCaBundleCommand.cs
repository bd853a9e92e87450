using System.Management.Automation;

namespace FhirSecurity.Commands;

/// <summary>Replaces the certificates of a CA bundle (for example when the internal CA is renewed).</summary>
[Cmdlet(VerbsCommon.Set, "FhirCaBundle", SupportsShouldProcess = true, DefaultParameterSetName = CaBundleSource.PathSet)]
[OutputType(typeof(FhirCaBundleInfo))]
public sealed class SetFhirCaBundleCommand : CaBundleWriteCommand
{
    /// <summary>The bundle's name.</summary>
    [Parameter(Mandatory = true, Position = 0, ValueFromPipelineByPropertyName = true)]
    [ArgumentCompleter(typeof(DefinitionNameCompleter))]
    public string Name { get; set; } = string.Empty;

    /// <inheritdoc />
    protected override void ProcessRecord() => Run(() => CaBundleSource.Write(this, Name, force: null));
}
