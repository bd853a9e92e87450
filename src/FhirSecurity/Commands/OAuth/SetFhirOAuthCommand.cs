using System.Collections;
using System.Management.Automation;
using System.Security;
using FhirSecurity.Core.Auth;
using FhirSecurity.Core.Definitions;
using FhirSecurity.Core.Secrets;

namespace FhirSecurity.Commands;

/// <summary>
/// Changes an OAuth definition, for example to rotate its client secret or key, or to switch between a secret and a
/// private key. Only what is given changes.
/// </summary>
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

    /// <summary>A new client secret (switches a key-based definition to a secret).</summary>
    [Parameter]
    public SecureString? ClientSecret { get; set; }

    /// <summary>A PEM file with a new private key (switches a secret-based definition to PrivateKeyJwt).</summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    public string? PrivateKeyPath { get; set; }

    /// <summary>A new PEM private key as text (switches a secret-based definition to PrivateKeyJwt).</summary>
    [Parameter]
    public SecureString? PrivateKey { get; set; }

    /// <summary>A new signing algorithm. Default with a new key: RS384 for RSA, ES384 for EC.</summary>
    [Parameter]
    public FhirJwtAlgorithm? Algorithm { get; set; }

    /// <summary>A new key id (kid).</summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    public string? KeyId { get; set; }

    /// <summary>A new JWKS URL (jku); $null removes it.</summary>
    [Parameter]
    public Uri? JwksUrl { get; set; }

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
            bool jwksGiven = IsBound(nameof(JwksUrl));
            bool keySettings = PrivateKeyPath is not null || PrivateKey is not null || Algorithm is not null || KeyId is not null || jwksGiven;
            if (TokenUrl is null && ClientId is null && ClientSecret is null && Scope is null && ClientAuthentication is null && ExtraParameter is null && !keySettings)
            {
                WriteWarning($"Nothing to change for OAuth definition '{Name}': pass the parameters to change, e.g. -ClientSecret.");
                return;
            }

            IReadOnlyDictionary<string, string>? extra = ExtraParameter is null ? null : OAuthParameters.FromHashtable(ExtraParameter, Name);
            ClientKey? key = OAuthKeySource.Read(this, PrivateKeyPath, PrivateKey, Name);
            SecretValue? secret = SecureStrings.ToSecret(ClientSecret);
            this.UpdateDefinition<OAuthDefinition>(DefinitionKind.OAuth, Name, current =>
            {
                // A key setting means a key-based definition; a new secret on a key-based one switches it back.
                OAuthClientAuthentication method = ClientAuthentication is { } bound ? Views.ToEngine(bound)
                    : keySettings ? OAuthClientAuthentication.PrivateKeyJwt
                    : secret is not null && current.ClientAuthentication == OAuthClientAuthentication.PrivateKeyJwt ? OAuthClientAuthentication.ClientSecretBasic
                    : current.ClientAuthentication;
                OAuthDefinition changed = current with
                {
                    TokenUrl = TokenUrl ?? current.TokenUrl,
                    DiscoveredFrom = TokenUrl is null ? current.DiscoveredFrom : null,
                    ClientId = ClientId ?? current.ClientId,
                    Scopes = Scope ?? current.Scopes,
                    ClientAuthentication = method,
                    ExtraParameters = extra ?? current.ExtraParameters,
                };

                // Switching drops the other kind of credential; whatever the user gave stays, so a mix is refused by the rules.
                return method == OAuthClientAuthentication.PrivateKeyJwt
                    ? changed with
                    {
                        ClientSecret = secret,
                        PrivateKey = key?.Pem ?? current.PrivateKey,
                        Algorithm = Algorithm is { } algorithm ? Views.ToEngine(algorithm) : key?.DefaultAlgorithm ?? current.Algorithm,
                        KeyId = KeyId ?? current.KeyId,
                        JwksUrl = jwksGiven ? JwksUrl : current.JwksUrl,
                    }
                    : changed with
                    {
                        ClientSecret = secret ?? current.ClientSecret,
                        PrivateKey = key?.Pem,
                        Algorithm = Algorithm is { } a ? Views.ToEngine(a) : null,
                        KeyId = KeyId,
                        JwksUrl = JwksUrl,
                    };
            }, PassThru);
        });
}
