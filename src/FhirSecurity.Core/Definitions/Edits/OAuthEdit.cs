using FhirSecurity.Core.Auth;
using FhirSecurity.Core.Errors;
using FhirSecurity.Core.Secrets;

namespace FhirSecurity.Core.Definitions.Edits;

/// <summary>
/// What New-FhirOAuth or Set-FhirOAuth was given (null: not given). A key setting (a key, an algorithm, a key id,
/// a JWKS URL) means private_key_jwt and an assertion path ClientAssertionFile, unless a method is given; a new secret
/// on a key or assertion-file definition switches it back to ClientSecretBasic; switching drops the other kinds of
/// credential. A managed identity (or its client id) means ManagedIdentity, which drops the token URL, every credential
/// and the extra parameters; leaving it needs a token URL and a client id again.
/// </summary>
public sealed record OAuthEdit : IDefinitionEdit<OAuthDefinition>
{
    /// <summary>The token endpoint.</summary>
    public Uri? TokenUrl { get; init; }

    /// <summary>The FHIR base URL the token endpoint was discovered from.</summary>
    public Uri? DiscoveredFrom { get; init; }

    /// <summary>The client id.</summary>
    public string? ClientId { get; init; }

    /// <summary>The client secret.</summary>
    public SecretValue? ClientSecret { get; init; }

    /// <summary>A private key, parsed already.</summary>
    public ClientKey? Key { get; init; }

    /// <summary>The signing algorithm; without it a new key brings its default.</summary>
    public JwtSigningAlgorithm? Algorithm { get; init; }

    /// <summary>The key id (kid).</summary>
    public string? KeyId { get; init; }

    /// <summary>The JWKS URL (jku).</summary>
    public Uri? JwksUrl { get; init; }

    /// <summary>Removes the JWKS URL (Set-FhirOAuth -JwksUrl $null); a key setting too.</summary>
    public bool RemoveJwksUrl { get; init; }

    /// <summary>The full path of a client assertion file, checked readable already.</summary>
    public string? ClientAssertionPath { get; init; }

    /// <summary>Switches to the platform's managed identity (New-/Set-FhirOAuth -ManagedIdentity).</summary>
    public bool ManagedIdentity { get; init; }

    /// <summary>A user-assigned identity's client id; empty for the system-assigned identity.</summary>
    public string? ManagedIdentityClientId { get; init; }

    /// <summary>True when the edit asks for a managed identity.</summary>
    public bool IsManagedIdentity
        => ManagedIdentity || ManagedIdentityClientId is not null
           || ClientAuthentication == OAuthClientAuthentication.ManagedIdentity;

    /// <summary>The scopes, replacing the old list.</summary>
    public IReadOnlyList<string>? Scopes { get; init; }

    /// <summary>How the client authenticates.</summary>
    public OAuthClientAuthentication? ClientAuthentication { get; init; }

    /// <summary>Extra token parameters, replacing the old ones.</summary>
    public IReadOnlyDictionary<string, string>? ExtraParameters { get; init; }

    /// <summary>How SMART discovery validates the server certificate (New-FhirOAuth -Discover).</summary>
    public TlsValidationMode? DiscoveryTlsValidation { get; init; }

    /// <summary>The CA bundle SMART discovery trusts (New-FhirOAuth -Discover).</summary>
    public string? DiscoveryCaBundle { get; init; }

    /// <inheritdoc />
    public DefinitionKind Kind => DefinitionKind.OAuth;

    /// <summary>True when a key, an algorithm, a key id or a JWKS URL (or its removal) was given.</summary>
    public bool HasKeySettings
        => Key is not null || Algorithm is not null || KeyId is not null || JwksUrl is not null || RemoveJwksUrl;

    /// <summary>True when nothing was given: a Set- with nothing to change.</summary>
    public bool IsEmpty
        => TokenUrl is null && ClientId is null && ClientSecret is null && Scopes is null
           && ClientAuthentication is null && ExtraParameters is null && !HasKeySettings
           && ClientAssertionPath is null && !IsManagedIdentity;

    /// <summary>
    /// An edit whose token URL stands in for the one SMART discovery of <paramref name="fhirBase"/> will name: the
    /// discovery document's own https:// URL, so every local rule is checked before the network is asked. A bad
    /// base URL is <c>OAuthDiscoveryBaseUriInvalid</c>.
    /// </summary>
    public static OAuthEdit Discovering(Uri fhirBase) => new() { TokenUrl = SmartDiscovery.ConfigurationUri(fhirBase) };

    /// <summary>This edit with the token endpoint discovery named, from <paramref name="fhirBase"/>.</summary>
    public OAuthEdit Discovered(Uri tokenEndpoint, Uri fhirBase)
        => this with { TokenUrl = tokenEndpoint, DiscoveredFrom = fhirBase };

    /// <summary>
    /// The TLS validation SMART discovery uses: as for a connection, a CA bundle implies CustomBundle, under the
    /// discovery's own error ids (<c>OAuthDiscoveryCaBundleRequired</c>, <c>OAuthDiscoveryCaBundleUnused</c>).
    /// </summary>
    public TlsValidationMode DiscoveryTls(string name)
    {
        (TlsValidationMode mode, string? bundle)
            = TlsValidationChoice.Apply(DiscoveryTlsValidation, DiscoveryCaBundle);
        return TlsValidationChoice.Check(mode, bundle) switch
        {
            TlsBundleProblem.BundleRequired => throw Invalid(
                ErrorIds.OAuthDiscoveryCaBundleRequired,
                "-TlsValidation CustomBundle needs -CaBundle <name>: the CA bundle (Import-FhirCaBundle) that issued"
                + " the server's certificate.",
                name),
            TlsBundleProblem.BundleUnused => throw Invalid(
                ErrorIds.OAuthDiscoveryCaBundleUnused,
                $"-CaBundle is used only with -TlsValidation CustomBundle, not {mode}. Leave out -TlsValidation (a CA"
                + " bundle implies CustomBundle) or -CaBundle.",
                name),
            _ => mode,
        };
    }

    /// <inheritdoc />
    public OAuthDefinition Create(string name)
        => ApplyTo(new OAuthDefinition
        {
            Name = name,
            TokenUrl = TokenUrl ?? (IsManagedIdentity ? null
                : throw new InvalidOperationException("A new OAuth definition needs a token URL.")),
            ClientId = ClientId ?? (IsManagedIdentity ? string.Empty
                : throw new InvalidOperationException("A new OAuth definition needs a client id.")),
        });

    /// <inheritdoc />
    public OAuthDefinition ApplyTo(OAuthDefinition current)
    {
        if (IsManagedIdentity || (current.IsManagedIdentity && ClientAuthentication is null && !HasCredential))
        {
            return ToManagedIdentity(current);
        }

        OAuthClientAuthentication method = ClientAuthentication ?? InferredMethod(current.ClientAuthentication);
        OAuthDefinition changed = current with
        {
            TokenUrl = TokenUrl ?? current.TokenUrl,
            DiscoveredFrom = TokenUrl is null ? current.DiscoveredFrom : DiscoveredFrom,
            ClientId = ClientId ?? current.ClientId,
            Scopes = Scopes ?? current.Scopes,
            ClientAuthentication = method,
            ExtraParameters = ExtraParameters ?? current.ExtraParameters,
        };

        // Switching drops the other kinds of credential; whatever was given stays, so a mix is refused by Validate.
        return method switch
        {
            OAuthClientAuthentication.PrivateKeyJwt => changed with
            {
                ClientSecret = ClientSecret,
                PrivateKey = Key?.Pem ?? current.PrivateKey,
                Algorithm = Algorithm ?? Key?.DefaultAlgorithm ?? current.Algorithm,
                KeyId = KeyId ?? current.KeyId,
                JwksUrl = JwksUrl ?? (RemoveJwksUrl ? null : current.JwksUrl),
                ClientAssertionPath = ClientAssertionPath,
            },
            OAuthClientAuthentication.ClientAssertionFile => changed with
            {
                ClientSecret = ClientSecret,
                PrivateKey = Key?.Pem,
                Algorithm = Algorithm,
                KeyId = KeyId,
                JwksUrl = JwksUrl,
                ClientAssertionPath = ClientAssertionPath ?? current.ClientAssertionPath,
            },
            _ => changed with
            {
                ClientSecret = ClientSecret ?? current.ClientSecret,
                PrivateKey = Key?.Pem,
                Algorithm = Algorithm,
                KeyId = KeyId,
                JwksUrl = JwksUrl,
                ClientAssertionPath = ClientAssertionPath,
            },
        };
    }

    /// <summary>True when a secret, a key setting or an assertion file was given.</summary>
    private bool HasCredential => ClientSecret is not null || HasKeySettings || ClientAssertionPath is not null;

    // Only what a managed identity has is taken from the edit and the current definition; anything else given (a
    // token URL, a credential, extra parameters) is kept so Validate names the conflict.
    private OAuthDefinition ToManagedIdentity(OAuthDefinition current)
    {
        bool was = current.IsManagedIdentity;
        return current with
        {
            ClientAuthentication = OAuthClientAuthentication.ManagedIdentity,
            TokenUrl = TokenUrl,
            DiscoveredFrom = null,
            ClientId = ManagedIdentityClientId ?? ClientId ?? (was ? current.ClientId : string.Empty),
            ClientSecret = ClientSecret,
            PrivateKey = Key?.Pem,
            Algorithm = Algorithm,
            KeyId = KeyId,
            JwksUrl = JwksUrl,
            ClientAssertionPath = ClientAssertionPath,
            Scopes = Scopes ?? current.Scopes,
            ExtraParameters = ExtraParameters ?? (was ? current.ExtraParameters : new Dictionary<string, string>()),
        };
    }

    // What was given names the method: key settings a key, a path an assertion file, a secret on a definition
    // without one (a key, an assertion file, a managed identity) a secret; else the method stays.
    private OAuthClientAuthentication InferredMethod(OAuthClientAuthentication current)
        => HasKeySettings ? OAuthClientAuthentication.PrivateKeyJwt
            : ClientAssertionPath is not null ? OAuthClientAuthentication.ClientAssertionFile
            : ClientSecret is not null && current is OAuthClientAuthentication.PrivateKeyJwt
                or OAuthClientAuthentication.ClientAssertionFile or OAuthClientAuthentication.ManagedIdentity
                ? OAuthClientAuthentication.ClientSecretBasic
                : current;

    private static FhirSecurityException Invalid(string errorId, string message, string name)
        => new(errorId, FailureCategory.InvalidArgument, message, name);
}
