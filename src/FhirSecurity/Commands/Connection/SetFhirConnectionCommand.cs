using System.Management.Automation;
using FhirSecurity.Core.Definitions;
using FhirSecurity.Core.Definitions.Edits;

namespace FhirSecurity.Commands;

/// <summary>
/// Changes a connection. Only what is given changes; choosing -BasicAuth drops OAuth and the other way round,
/// -NoAuthentication drops both. The next request made with the connection uses the change.
/// </summary>
[Cmdlet(VerbsCommon.Set, "FhirConnection", SupportsShouldProcess = true, DefaultParameterSetName = KeepAuthSet)]
[OutputType(typeof(FhirConnectionInfo))]
public sealed class SetFhirConnectionCommand : ConnectionWriteCommand
{
    private const string KeepAuthSet = "KeepAuthentication";

    /// <summary>The connection's name.</summary>
    [Parameter(Mandatory = true, Position = 0, ValueFromPipelineByPropertyName = true)]
    [ArgumentCompleter(typeof(DefinitionNameCompleter))]
    public string Name { get; set; } = string.Empty;

    /// <summary>A new FHIR base URL.</summary>
    [Parameter]
    public Uri? BaseUri { get; set; }

    /// <summary>Send no credentials.</summary>
    [Parameter(Mandatory = true, ParameterSetName = NoAuthSet)]
    public SwitchParameter NoAuthentication { get; set; }

    /// <summary>A new TLS validation mode. Default or Skip drops the CA bundle.</summary>
    [Parameter]
    public FhirTlsValidation? TlsValidation { get; set; }

    /// <summary>A new oldest TLS version to negotiate: 1.2 or 1.3.</summary>
    [Parameter]
    [ValidateSet("1.2", "1.3")]
    public string? MinimumTlsVersion { get; set; }

    /// <summary>A new revocation check: NoCheck, Online or Offline.</summary>
    [Parameter]
    public FhirRevocationMode? RevocationMode { get; set; }

    /// <summary>A new per-request timeout in seconds.</summary>
    [Parameter]
    [ValidateRange(1, ConnectionDefinition.MaxTimeoutSec)]
    public int? TimeoutSec { get; set; }

    /// <summary>Removes the client certificate.</summary>
    [Parameter]
    public SwitchParameter NoClientCertificate { get; set; }

    /// <summary>Back to the default: the system proxy (HTTPS_PROXY, HTTP_PROXY, NO_PROXY).</summary>
    [Parameter]
    public SwitchParameter SystemProxy { get; set; }

    /// <summary>Removes every Bulk Data origin: credentials go to the base URL's origin only.</summary>
    [Parameter]
    public SwitchParameter NoBulkDataOrigin { get; set; }

    /// <inheritdoc />
    protected override void ProcessRecord()
        => Run(() =>
        {
            // Read before the vault is touched: a refused certificate leaves the connection as it was.
            ConnectionEdit edit = ConnectionParameterEdit.From(this, Name, NoClientCertificate) with
            {
                BaseUri = BaseUri,
                TlsValidation = TlsValidation is { } mode ? Views.ToEngine(mode) : null,
                MinimumTlsVersion = MinimumTlsVersion is null ? null : Views.ToTlsVersion(MinimumTlsVersion),
                RevocationMode = RevocationMode is { } revocation ? Views.ToEngine(revocation) : null,
                TimeoutSec = TimeoutSec,
                SystemProxy = SystemProxy,
                NoBulkDataOrigin = NoBulkDataOrigin,
            };
            this.WriteDefinition(Name, edit, force: null, PassThru);
        });
}
