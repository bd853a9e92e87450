using System.Management.Automation;
using FhirSecurity.Core.Definitions;

namespace FhirSecurity.Commands;

/// <summary>
/// Changes a connection. Only what is given changes; choosing -BasicAuth drops OAuth and the other way round,
/// -NoAuthentication drops both. The next request made with the connection uses the change.
/// </summary>
[Cmdlet(VerbsCommon.Set, "FhirConnection", SupportsShouldProcess = true, DefaultParameterSetName = KeepAuthSet)]
[OutputType(typeof(FhirConnectionInfo))]
public sealed class SetFhirConnectionCommand : SetDefinitionCommand
{
    private const string KeepAuthSet = "KeepAuthentication";
    private const string NoAuthSet = "NoAuthentication";
    private const string BasicSet = "BasicAuth";
    private const string OAuthSet = "OAuth";

    /// <summary>A new FHIR base URL.</summary>
    [Parameter]
    public Uri? BaseUri { get; set; }

    /// <summary>Authenticate with this Basic Auth definition (replaces OAuth).</summary>
    [Parameter(Mandatory = true, ParameterSetName = BasicSet)]
    [ValidateNotNullOrEmpty]
    [ArgumentCompleter(typeof(BasicAuthNameCompleter))]
    public string BasicAuth { get; set; } = string.Empty;

    /// <summary>Authenticate with this OAuth definition (replaces Basic Auth).</summary>
    [Parameter(Mandatory = true, ParameterSetName = OAuthSet)]
    [ValidateNotNullOrEmpty]
    [ArgumentCompleter(typeof(OAuthNameCompleter))]
    public string OAuth { get; set; } = string.Empty;

    /// <summary>Send no credentials.</summary>
    [Parameter(Mandatory = true, ParameterSetName = NoAuthSet)]
    public SwitchParameter NoAuthentication { get; set; }

    /// <summary>A new TLS validation mode. Default or Skip drops the CA bundle.</summary>
    [Parameter]
    public FhirTlsValidation? TlsValidation { get; set; }

    /// <summary>A new CA bundle; implies CustomBundle validation.</summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    [ArgumentCompleter(typeof(CaBundleNameCompleter))]
    public string? CaBundle { get; set; }

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

    /// <summary>Allows (or with :$false, forbids again) credentials over plain http://.</summary>
    [Parameter]
    public SwitchParameter AllowUnencryptedAuthentication { get; set; }

    /// <inheritdoc />
    protected override void ProcessRecord()
        => Run(() => this.UpdateDefinition<ConnectionDefinition>(DefinitionKind.Connection, Name, Change, PassThru));

    private ConnectionDefinition Change(ConnectionDefinition current)
    {
        ConnectionDefinition changed = current with
        {
            BaseUri = BaseUri is null ? current.BaseUri : ConnectionDefinition.NormalizeBaseUri(BaseUri),
            TimeoutSec = TimeoutSec ?? current.TimeoutSec,
            MinimumTlsVersion = MinimumTlsVersion is null ? current.MinimumTlsVersion : Views.ToTlsVersion(MinimumTlsVersion),
            RevocationMode = RevocationMode is { } revocation ? Views.ToEngine(revocation) : current.RevocationMode,
            AllowUnencryptedAuthentication = IsBound(nameof(AllowUnencryptedAuthentication)) ? AllowUnencryptedAuthentication.IsPresent : current.AllowUnencryptedAuthentication,
        };

        changed = ParameterSetName switch
        {
            BasicSet => changed with { BasicAuth = BasicAuth, OAuth = null },
            OAuthSet => changed with { BasicAuth = null, OAuth = OAuth },
            NoAuthSet => changed with { BasicAuth = null, OAuth = null },
            _ => changed,
        };

        if (CaBundle is not null)
        {
            changed = changed with { CaBundle = CaBundle, TlsValidation = TlsValidationMode.CustomBundle };
        }

        if (TlsValidation is { } mode)
        {
            TlsValidationMode engineMode = Views.ToEngine(mode);
            changed = changed with
            {
                TlsValidation = engineMode,
                // A bundle given together with another mode is kept, so validation reports the contradiction.
                CaBundle = engineMode == TlsValidationMode.CustomBundle || CaBundle is not null ? changed.CaBundle : null,
            };
        }

        return changed;
    }
}
