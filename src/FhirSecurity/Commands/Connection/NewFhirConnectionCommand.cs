using System.Management.Automation;
using FhirSecurity.Core.Definitions;

namespace FhirSecurity.Commands;

/// <summary>
/// Creates a connection: a FHIR base URL with at most one way to authenticate (Basic or OAuth, never both) and a
/// TLS validation policy, optionally a TLS client certificate and a proxy of its own. Referenced definitions must
/// exist in the same vault.
/// </summary>
[Cmdlet(VerbsCommon.New, "FhirConnection", SupportsShouldProcess = true, DefaultParameterSetName = NoAuthSet)]
[OutputType(typeof(FhirConnectionInfo))]
public sealed class NewFhirConnectionCommand : ConnectionWriteCommand
{
    /// <summary>The connection's name (letters, digits, hyphens).</summary>
    [Parameter(Mandatory = true, Position = 0, ValueFromPipelineByPropertyName = true)]
    public string Name { get; set; } = string.Empty;

    /// <summary>Replaces a connection of the same name in that vault.</summary>
    [Parameter]
    public SwitchParameter Force { get; set; }

    /// <summary>The FHIR base URL, e.g. https://fhir.example.org/r4/.</summary>
    [Parameter(Mandatory = true, Position = 1, ValueFromPipelineByPropertyName = true)]
    public Uri BaseUri { get; set; } = null!;

    /// <summary>
    /// How to validate the server certificate. Default: Default (the system store), or CustomBundle with -CaBundle.
    /// </summary>
    [Parameter(ValueFromPipelineByPropertyName = true)]
    public FhirTlsValidation TlsValidation { get; set; }

    /// <summary>The oldest TLS version to negotiate: 1.2 (the default) or 1.3. Nothing older is ever used.</summary>
    [Parameter(ValueFromPipelineByPropertyName = true)]
    [ValidateSet("1.2", "1.3")]
    public string MinimumTlsVersion { get; set; } = "1.2";

    /// <summary>Whether to check the server's chain for revocation: NoCheck (the default), Online or Offline.</summary>
    [Parameter(ValueFromPipelineByPropertyName = true)]
    public FhirRevocationMode RevocationMode { get; set; } = FhirRevocationMode.NoCheck;

    /// <summary>Per-request timeout in seconds (default 100).</summary>
    [Parameter(ValueFromPipelineByPropertyName = true)]
    [ValidateRange(1, ConnectionDefinition.MaxTimeoutSec)]
    public int TimeoutSec { get; set; } = ConnectionDefinition.DefaultTimeoutSec;

    /// <inheritdoc />
    protected override void ProcessRecord()
        => Run(() => this.WriteDefinition(Name, ConnectionParameterEdit.From(this, Name) with
        {
            BaseUri = BaseUri,
            TlsValidation = IsBound(nameof(TlsValidation)) ? Views.ToEngine(TlsValidation) : null,
            MinimumTlsVersion = Views.ToTlsVersion(MinimumTlsVersion),
            RevocationMode = Views.ToEngine(RevocationMode),
            TimeoutSec = TimeoutSec,
        }, Force, PassThru));
}
