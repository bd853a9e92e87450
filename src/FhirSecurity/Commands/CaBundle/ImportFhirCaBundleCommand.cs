using System.Management.Automation;

namespace FhirSecurity.Commands;

/// <summary>
/// Imports a PEM bundle of CA certificates (roots and intermediates) into a vault, for connections that trust an
/// internal CA. Private keys, non-CA certificates, expired certificates and empty bundles are refused.
/// </summary>
[Cmdlet(VerbsData.Import, "FhirCaBundle", SupportsShouldProcess = true, DefaultParameterSetName = PathSet)]
[OutputType(typeof(FhirCaBundleInfo))]
public sealed class ImportFhirCaBundleCommand : CaBundleWriteCommand
{
    /// <summary>Replaces a CA bundle of the same name in that vault.</summary>
    [Parameter]
    public SwitchParameter Force { get; set; }

    /// <inheritdoc />
    protected override void ProcessRecord() => Run(() => CaBundleSource.Write(this, Name, Force));
}
