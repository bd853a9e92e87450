using System.Collections;
using System.Management.Automation;
using System.Net;
using System.Security;
using FhirSecurity.Core.Definitions;
using FhirSecurity.Core.Secrets;

namespace FhirSecurity.Commands;

/// <summary>Changes an OAuth definition, for example to rotate its client secret. Only what is given changes.</summary>
[Cmdlet(VerbsCommon.Set, "FhirOAuth", SupportsShouldProcess = true)]
[OutputType(typeof(FhirOAuthInfo))]
public sealed class SetFhirOAuthCommand : SetDefinitionCommand
{
    /// <summary>A new token endpoint.</summary>
    [Parameter]
    public Uri? TokenUrl { get; set; }

    /// <summary>A new client id.</summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    public string? ClientId { get; set; }

    /// <summary>A new client secret.</summary>
    [Parameter]
    public SecureString? ClientSecret { get; set; }

    /// <summary>New scopes (replace the old list; pass @() for the server's default).</summary>
    [Parameter]
    [AllowEmptyCollection]
    public string[]? Scope { get; set; }

    /// <summary>A new client authentication method.</summary>
    [Parameter]
    public FhirClientAuthentication? ClientAuthentication { get; set; }

    /// <summary>New extra token parameters (replace the old ones; pass @{} for none).</summary>
    [Parameter]
    public Hashtable? ExtraParameter { get; set; }

    /// <inheritdoc />
    protected override void ProcessRecord()
        => Run(() =>
        {
            if (TokenUrl is null && ClientId is null && ClientSecret is null && Scope is null && ClientAuthentication is null && ExtraParameter is null)
            {
                WriteWarning($"Nothing to change for OAuth definition '{Name}': pass the parameters to change, e.g. -ClientSecret.");
                return;
            }

            IReadOnlyDictionary<string, string>? extra = ExtraParameter is null ? null : OAuthParameters.FromHashtable(ExtraParameter, Name);
            this.UpdateDefinition<OAuthDefinition>(DefinitionKind.OAuth, Name, current => current with
            {
                TokenUrl = TokenUrl ?? current.TokenUrl,
                ClientId = ClientId ?? current.ClientId,
                ClientSecret = ClientSecret is null ? current.ClientSecret : new SecretValue(new NetworkCredential(string.Empty, ClientSecret).Password),
                Scopes = Scope ?? current.Scopes,
                ClientAuthentication = ClientAuthentication is { } method ? Views.ToEngine(method) : current.ClientAuthentication,
                ExtraParameters = extra ?? current.ExtraParameters,
            }, PassThru);
        });
}
