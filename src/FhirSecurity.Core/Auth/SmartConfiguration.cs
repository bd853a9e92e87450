using FhirSecurity.Core.Definitions;
using FhirSecurity.Core.Errors;

namespace FhirSecurity.Core.Auth;

/// <summary>What a SMART discovery document says about the token endpoint.</summary>
/// <param name="Source">The URL the document was read from.</param>
/// <param name="TokenEndpoint">Its <c>token_endpoint</c> (https).</param>
/// <param name="AuthMethods"><c>token_endpoint_auth_methods_supported</c>, or null when the document has none.</param>
/// <param name="SigningAlgorithms">
/// <c>token_endpoint_auth_signing_alg_values_supported</c>, or null when the document has none.
/// </param>
public sealed record SmartConfiguration(
    Uri Source,
    Uri TokenEndpoint,
    IReadOnlyList<string>? AuthMethods,
    IReadOnlyList<string>? SigningAlgorithms)
{
    /// <summary>
    /// Checks that the server advertises <paramref name="method"/> and, for private_key_jwt,
    /// <paramref name="algorithm"/>. A list the document leaves out is not held against the client: SMART only
    /// recommends the lists, and the first token request tells. Returns a warning for each check that could not be
    /// made (none for client_secret_basic without a method list: RFC 8414 2 makes it the default then).
    /// </summary>
    public IReadOnlyList<string> Check(OAuthClientAuthentication method, JwtSigningAlgorithm? algorithm, string? target)
    {
        var warnings = new List<string>();
        // RFC 8414 has no name for an assertion someone else signed: a JWT-bearer assertion signed with a private key
        // is private_key_jwt, whoever holds the key.
        string wire = method == OAuthClientAuthentication.ClientAssertionFile
            ? DefinitionDocument.ToWire(OAuthClientAuthentication.PrivateKeyJwt)
            : DefinitionDocument.ToWire(method);
        if (AuthMethods is null)
        {
            if (method != OAuthClientAuthentication.ClientSecretBasic)
            {
                warnings.Add(
                    $"{Source} does not list token_endpoint_auth_methods_supported, so whether the token endpoint"
                    + $" accepts {wire} was not checked; the first request will tell.");
            }
        }
        else if (!AuthMethods.Contains(wire, StringComparer.Ordinal))
        {
            throw new FhirSecurityException(
                ErrorIds.OAuthDiscoveryMethodNotSupported,
                FailureCategory.InvalidArgument,
                $"The token endpoint {TokenEndpoint} does not advertise {wire} (it lists:"
                + $" {string.Join(", ", AuthMethods)}). Choose one of those with -ClientAuthentication, or ask the"
                + " server's maintainers. Nothing was saved.",
                target);
        }

        if (method != OAuthClientAuthentication.PrivateKeyJwt || algorithm is not { } alg)
        {
            return warnings;
        }

        if (SigningAlgorithms is null)
        {
            warnings.Add(
                $"{Source} does not list token_endpoint_auth_signing_alg_values_supported, so whether the token"
                + $" endpoint accepts {alg} was not checked; the first request will tell.");
        }
        else if (!SigningAlgorithms.Contains(alg.ToString(), StringComparer.Ordinal))
        {
            throw new FhirSecurityException(
                ErrorIds.OAuthDiscoveryAlgorithmNotSupported,
                FailureCategory.InvalidArgument,
                $"The token endpoint {TokenEndpoint} does not advertise {alg} for client assertions (it lists:"
                + $" {string.Join(", ", SigningAlgorithms)}). Use a key and -Algorithm it accepts. Nothing was saved.",
                target);
        }

        return warnings;
    }
}
