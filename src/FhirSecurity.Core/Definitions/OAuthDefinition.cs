using FhirSecurity.Core.Errors;
using FhirSecurity.Core.Secrets;

namespace FhirSecurity.Core.Definitions;

/// <summary>An OAuth 2.0 client-credentials client: where to get tokens, who to say we are, what to ask for.</summary>
public sealed record OAuthDefinition : Definition
{
    /// <summary>Form fields the module sets itself; an extra parameter may not replace them.</summary>
    public static readonly IReadOnlySet<string> ReservedParameters = new HashSet<string>(StringComparer.OrdinalIgnoreCase)
    {
        "grant_type", "client_id", "client_secret", "scope", "client_assertion", "client_assertion_type",
    };

    /// <summary>The token endpoint (HTTPS).</summary>
    public required Uri TokenUrl { get; init; }

    /// <summary>The client id.</summary>
    public required string ClientId { get; init; }

    /// <summary>How the client authenticates to the token endpoint.</summary>
    public OAuthClientAuthentication ClientAuthentication { get; init; } = OAuthClientAuthentication.ClientSecretBasic;

    /// <summary>The client secret.</summary>
    public required SecretValue ClientSecret { get; init; }

    /// <summary>Scopes to request, e.g. <c>system/Patient.rs</c>. Empty: the server's default.</summary>
    public IReadOnlyList<string> Scopes { get; init; } = [];

    /// <summary>Further token request parameters, e.g. <c>audience</c> or <c>resource</c>.</summary>
    public IReadOnlyDictionary<string, string> ExtraParameters { get; init; } = new Dictionary<string, string>();

    /// <inheritdoc />
    public override DefinitionKind Kind => DefinitionKind.OAuth;

    /// <inheritdoc />
    public override void Validate()
    {
        DefinitionName.Validate(Name, Kind);
        if (!TokenUrl.IsAbsoluteUri || TokenUrl.Scheme != Uri.UriSchemeHttps)
        {
            throw Invalid(ErrorIds.OAuthTokenUrlInvalid, $"The token URL '{TokenUrl}' must be an absolute https:// URL: the client secret is sent to it.");
        }

        if (string.IsNullOrWhiteSpace(ClientId))
        {
            throw Invalid(ErrorIds.OAuthClientIdInvalid, "The client id must not be empty.");
        }

        if (ClientSecret.IsEmpty)
        {
            throw Invalid(ErrorIds.OAuthClientSecretMissing, $"{ClientAuthentication} needs a client secret. Pass -ClientSecret.");
        }

        foreach (string scope in Scopes)
        {
            if (string.IsNullOrWhiteSpace(scope) || scope.Any(char.IsWhiteSpace))
            {
                throw Invalid(ErrorIds.OAuthScopeInvalid, $"The scope '{scope}' is not valid: give each scope as its own item, without spaces.");
            }
        }

        foreach ((string parameter, string value) in ExtraParameters)
        {
            if (string.IsNullOrWhiteSpace(parameter) || value is null)
            {
                throw Invalid(ErrorIds.OAuthParameterInvalid, $"The extra parameter '{parameter}' needs a name and a value.");
            }

            if (ReservedParameters.Contains(parameter))
            {
                throw Invalid(ErrorIds.OAuthParameterReserved, $"The extra parameter '{parameter}' is set by the module itself and cannot be overridden. Use -ClientId, -ClientSecret or -Scope instead.");
            }
        }
    }

    private FhirSecurityException Invalid(string errorId, string message)
        => new(errorId, FailureCategory.InvalidArgument, message, Name);
}
