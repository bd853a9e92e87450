using System.Management.Automation;

namespace FhirSecurity.Commands;

/// <summary>Replaces the certificates of a CA bundle (for example when the internal CA is renewed).</summary>
[Cmdlet(VerbsCommon.Set, "FhirCaBundle", SupportsShouldProcess = true, DefaultParameterSetName = PathSet)]
[OutputType(typeof(FhirCaBundleInfo))]
public sealed class SetFhirCaBundleCommand : CaBundleWriteCommand
{
    /// <inheritdoc />
    protected override void ProcessRecord() => Run(() => CaBundleSource.Write(this, Name, force: null));
}
