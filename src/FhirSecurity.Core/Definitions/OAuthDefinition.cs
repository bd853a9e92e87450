using FhirSecurity.Core.Auth;
using FhirSecurity.Core.Errors;
using FhirSecurity.Core.Secrets;

namespace FhirSecurity.Core.Definitions;

/// <summary>An OAuth 2.0 client-credentials client: where to get tokens, who to say we are, what to ask for.</summary>
public sealed record OAuthDefinition : Definition
{
    /// <summary>Form fields the module sets itself; an extra parameter may not replace them.</summary>
    public static readonly IReadOnlySet<string> ReservedParameters =
        new HashSet<string>(StringComparer.OrdinalIgnoreCase)
        {
            "grant_type", "client_id", "client_secret", "scope", "client_assertion", "client_assertion_type",
        };

    /// <summary>
    /// The token endpoint (HTTPS); null for a managed identity, whose platform names its own endpoint.
    /// </summary>
    public Uri? TokenUrl { get; init; }

    /// <summary>
    /// The client id; for a managed identity the client id of a user-assigned identity, or empty for the
    /// system-assigned one.
    /// </summary>
    public required string ClientId { get; init; }

    /// <summary>How the client authenticates to the token endpoint.</summary>
    public OAuthClientAuthentication ClientAuthentication { get; init; } = OAuthClientAuthentication.ClientSecretBasic;

    /// <summary>
    /// The client secret (the secret methods); null for <see cref="OAuthClientAuthentication.PrivateKeyJwt"/>.
    /// </summary>
    public SecretValue? ClientSecret { get; init; }

    /// <summary>The PEM private key that signs client assertions (PrivateKeyJwt only).</summary>
    public SecretValue? PrivateKey { get; init; }

    /// <summary>The algorithm client assertions are signed with (PrivateKeyJwt only).</summary>
    public JwtSigningAlgorithm? Algorithm { get; init; }

    /// <summary>The key id (<c>kid</c>) the server knows the public key by (PrivateKeyJwt only).</summary>
    public string? KeyId { get; init; }

    /// <summary>
    /// Where the server can fetch the client's JWKS (<c>jku</c> header; optional, PrivateKeyJwt only).
    /// </summary>
    public Uri? JwksUrl { get; init; }

    /// <summary>
    /// The full path of the file whose content is sent as the client assertion (ClientAssertionFile only). The file is
    /// read again at every token request, since platforms rotate it; the content is never stored.
    /// </summary>
    public string? ClientAssertionPath { get; init; }

    /// <summary>
    /// The FHIR base URL the token URL was discovered from (informational; null when it was given directly).
    /// </summary>
    public Uri? DiscoveredFrom { get; init; }

    /// <summary>Scopes to request, e.g. <c>system/Patient.rs</c>. Empty: the server's default.</summary>
    public IReadOnlyList<string> Scopes { get; init; } = [];

    /// <summary>Further token request parameters, e.g. <c>audience</c> or <c>resource</c>.</summary>
    public IReadOnlyDictionary<string, string> ExtraParameters { get; init; } = new Dictionary<string, string>();

    /// <inheritdoc />
    public override DefinitionKind Kind => DefinitionKind.OAuth;

    /// <summary>True for a managed identity definition.</summary>
    public bool IsManagedIdentity => ClientAuthentication == OAuthClientAuthentication.ManagedIdentity;

    /// <summary>Where tokens come from, as messages name it: the token URL's path, or the managed identity.</summary>
    public string TokenSourceName
        => TokenUrl is { } url ? url.GetLeftPart(UriPartial.Path)
            : ClientId.Length == 0 ? "the system-assigned managed identity"
            : $"the user-assigned managed identity {ClientId}";

    /// <inheritdoc />
    public override void Validate()
    {
        DefinitionName.Validate(Name, Kind);
        if (IsManagedIdentity)
        {
            ValidateManagedIdentity();
            return;
        }

        if (TokenUrl is null)
        {
            throw Invalid(
                ErrorIds.OAuthTokenUrlInvalid,
                "The definition needs a token URL: pass -TokenUrl (an absolute https:// URL), or -ManagedIdentity for"
                + " an Azure managed identity.");
        }

        if (!TokenUrl.IsAbsoluteUri || TokenUrl.Scheme != Uri.UriSchemeHttps)
        {
            throw Invalid(
                ErrorIds.OAuthTokenUrlInvalid,
                $"The token URL '{TokenUrl}' must be an absolute https:// URL: the client's credentials are sent to"
                + " it.");
        }

        if (string.IsNullOrWhiteSpace(ClientId))
        {
            throw Invalid(ErrorIds.OAuthClientIdInvalid, "The client id must not be empty.");
        }

        if (ClientAuthentication == OAuthClientAuthentication.PrivateKeyJwt)
        {
            ValidateKey();
        }
        else if (ClientAuthentication == OAuthClientAuthentication.ClientAssertionFile)
        {
            ValidateAssertionFile();
        }
        else
        {
            if (ClientAssertionPath is not null)
            {
                throw Invalid(
                    ErrorIds.OAuthClientCredentialConflict,
                    $"{ClientAuthentication} authenticates with a client secret, so -ClientAssertionPath cannot go with"
                    + " it. Use -ClientAuthentication ClientAssertionFile for an assertion file, or leave it out.");
            }

            if (PrivateKey is not null || Algorithm is not null || KeyId is not null || JwksUrl is not null)
            {
                throw Invalid(
                    ErrorIds.OAuthClientCredentialConflict,
                    $"{ClientAuthentication} authenticates with a client secret, so a private key, -Algorithm, -KeyId"
                    + " or -JwksUrl cannot go with it. Use -ClientAuthentication PrivateKeyJwt for a key, or leave the"
                    + " key settings out.");
            }

            if (ClientSecret is null || ClientSecret.IsEmpty)
            {
                throw Invalid(
                    ErrorIds.OAuthClientSecretMissing,
                    $"{ClientAuthentication} needs a client secret. Pass -ClientSecret.");
            }
        }

        ValidateScopes();
        ValidateExtraParameters();
    }

    private void ValidateScopes()
    {
        foreach (string scope in Scopes)
        {
            if (string.IsNullOrWhiteSpace(scope) || scope.Any(char.IsWhiteSpace))
            {
                throw Invalid(
                    ErrorIds.OAuthScopeInvalid,
                    $"The scope '{scope}' is not valid: give each scope as its own item, without spaces.");
            }
        }
    }

    private void ValidateExtraParameters()
    {
        foreach ((string parameter, string value) in ExtraParameters)
        {
            if (string.IsNullOrWhiteSpace(parameter) || value is null)
            {
                throw Invalid(
                    ErrorIds.OAuthParameterInvalid,
                    $"The extra parameter '{parameter}' needs a name and a value.");
            }

            if (ReservedParameters.Contains(parameter))
            {
                throw Invalid(
                    ErrorIds.OAuthParameterReserved,
                    $"The extra parameter '{parameter}' is set by the module itself and cannot be overridden. Use"
                    + " -ClientId, -ClientSecret or -Scope instead.");
            }
        }
    }

    /// <summary>The parsed private key (PrivateKeyJwt), checked against <see cref="Algorithm"/>.</summary>
    public ClientKey LoadKey()
    {
        ClientKey key = ClientKey.Parse(PrivateKey ?? throw MissingKey(), "the stored private key", Name);
        key.CheckAlgorithm(Algorithm ?? throw MissingAlgorithm(), Name);
        return key;
    }

    private void ValidateKey()
    {
        if (ClientSecret is not null || ClientAssertionPath is not null)
        {
            throw Invalid(
                ErrorIds.OAuthClientCredentialConflict,
                "PrivateKeyJwt authenticates with a private key, so a client secret or an assertion file cannot go"
                + " with it. Give one of -ClientSecret, a private key (-PrivateKeyPath, -PrivateKey) or"
                + " -ClientAssertionPath.");
        }

        if (PrivateKey is null || PrivateKey.IsEmpty)
        {
            throw MissingKey();
        }

        if (string.IsNullOrWhiteSpace(KeyId))
        {
            throw Invalid(
                ErrorIds.OAuthKeyIdMissing,
                "PrivateKeyJwt needs the key id (kid) the server registered the public key under. Pass -KeyId.");
        }

        if (JwksUrl is not null && (!JwksUrl.IsAbsoluteUri || JwksUrl.Scheme != Uri.UriSchemeHttps))
        {
            throw Invalid(
                ErrorIds.OAuthJwksUrlInvalid,
                $"The JWKS URL '{JwksUrl}' must be an absolute https:// URL: the server fetches the client's public"
                + " keys from it.");
        }

        LoadKey();
    }

    // A managed identity has the platform's endpoint and identity only: one resource scope, and a user-assigned
    // identity's client id (a GUID) or none.
    private void ValidateManagedIdentity()
    {
        if (TokenUrl is not null || DiscoveredFrom is not null || ClientSecret is not null || PrivateKey is not null
            || Algorithm is not null || KeyId is not null || JwksUrl is not null || ClientAssertionPath is not null
            || ExtraParameters.Count > 0)
        {
            throw Invalid(
                ErrorIds.OAuthManagedIdentityConflict,
                "A managed identity gets its tokens from the platform's endpoint, so a token URL, a client secret, a"
                + " private key, an assertion file or -ExtraParameter cannot go with it. Give -ManagedIdentity, -Scope"
                + " and, for a user-assigned identity, -ManagedIdentityClientId only.");
        }

        if (ClientId.Length > 0 && !Guid.TryParseExact(ClientId, "D", out _))
        {
            throw Invalid(
                ErrorIds.OAuthManagedIdentityClientIdInvalid,
                $"-ManagedIdentityClientId '{ClientId}' is not a client id: give the user-assigned identity's client id"
                + " (a GUID, e.g. from (Get-AzUserAssignedIdentity ...).ClientId), or leave it out for the"
                + " system-assigned identity.");
        }

        if (Scopes.Count != 1)
        {
            throw Invalid(
                ErrorIds.OAuthManagedIdentityScopeInvalid,
                "A managed identity asks for a token for one resource: pass one -Scope, the resource's .default scope,"
                + " e.g. https://<workspace>-<fhir>.fhir.azurehealthcareapis.com/.default.");
        }

        ValidateScopes();
    }

    private void ValidateAssertionFile()
    {
        if (ClientSecret is not null || PrivateKey is not null || Algorithm is not null || KeyId is not null
            || JwksUrl is not null)
        {
            throw Invalid(
                ErrorIds.OAuthClientCredentialConflict,
                "ClientAssertionFile authenticates with the assertion in a file, so a client secret, a private key,"
                + " -Algorithm, -KeyId or -JwksUrl cannot go with it. Give -ClientAssertionPath alone.");
        }

        if (string.IsNullOrWhiteSpace(ClientAssertionPath) || !Path.IsPathFullyQualified(ClientAssertionPath))
        {
            throw Invalid(
                ErrorIds.OAuthClientAssertionPathInvalid,
                $"ClientAssertionFile needs the full path of the file that holds the client assertion, not"
                + $" '{ClientAssertionPath}'. Pass -ClientAssertionPath <file>.");
        }
    }

    private FhirSecurityException MissingKey()
        => Invalid(
            ErrorIds.OAuthPrivateKeyMissing,
            "PrivateKeyJwt needs a private key. Pass -PrivateKeyPath (a PEM file) or -PrivateKey (PEM text as a"
            + " SecureString).");

    private FhirSecurityException MissingAlgorithm()
        => Invalid(
            ErrorIds.OAuthAlgorithmMissing,
            "PrivateKeyJwt needs a signing algorithm. Pass -Algorithm RS384 or ES384.");

    private FhirSecurityException Invalid(string errorId, string message)
        => new(errorId, FailureCategory.InvalidArgument, message, Name);
}
