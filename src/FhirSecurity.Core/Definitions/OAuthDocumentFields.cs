using System.Text.Json.Nodes;
using FhirSecurity.Core.Secrets;

namespace FhirSecurity.Core.Definitions;

/// <summary>
/// The fields of an OAuth document: <c>tokenUrl</c>, <c>clientId</c>, <c>clientAuthentication</c> (the OAuth wire
/// name), <c>clientSecret</c> (a secret), the key fields of private_key_jwt (<c>privateKey</c>, a secret;
/// <c>algorithm</c>, <c>keyId</c>, <c>jwksUrl</c>), the path of client_assertion_file
/// (<c>clientAssertionPath</c>), <c>discoveredFrom</c>, <c>scopes</c> and <c>extraParameters</c>; a managed identity
/// has no <c>tokenUrl</c> and its <c>clientId</c> is empty for the system-assigned identity. The key and path
/// fields are written only for their methods, so a secret-method document is exactly what builds before it wrote.
/// </summary>
internal static class OAuthDocumentFields
{
    public static void Write(JsonObject root, OAuthDefinition oauth)
    {
        if (oauth.TokenUrl is { } tokenUrl)
        {
            root["tokenUrl"] = tokenUrl.AbsoluteUri;
        }

        root["clientId"] = oauth.ClientId;
        root["clientAuthentication"] = DefinitionDocument.ToWire(oauth.ClientAuthentication);
        if (oauth.ClientSecret is { } secret)
        {
            root["clientSecret"] = secret.Reveal();
        }

        if (oauth.PrivateKey is { } key)
        {
            root["privateKey"] = key.Reveal();
        }

        if (oauth.Algorithm is { } algorithm)
        {
            root["algorithm"] = algorithm.ToString();
        }

        if (oauth.KeyId is { } keyId)
        {
            root["keyId"] = keyId;
        }

        if (oauth.JwksUrl is { } jwks)
        {
            root["jwksUrl"] = jwks.AbsoluteUri;
        }

        if (oauth.ClientAssertionPath is { } assertionPath)
        {
            root["clientAssertionPath"] = assertionPath;
        }

        if (oauth.DiscoveredFrom is { } discoveredFrom)
        {
            root["discoveredFrom"] = discoveredFrom.AbsoluteUri;
        }

        root["scopes"] = new JsonArray(oauth.Scopes.Select(s => (JsonNode?)JsonValue.Create(s)).ToArray());
        var extra = new JsonObject();
        foreach (KeyValuePair<string, string> pair in oauth.ExtraParameters)
        {
            extra[pair.Key] = pair.Value;
        }

        root["extraParameters"] = extra;
    }

    // Documents of the secret methods read exactly as before (clientSecret required, no key fields); the key fields
    // are optional on read, so what is missing or surplus is reported by the definition's own rules.
    public static OAuthDefinition Read(DefinitionDocumentReader reader, string name)
    {
        OAuthClientAuthentication method = ReadClientAuthentication(reader, reader.String("clientAuthentication"));
        string? secret = method is OAuthClientAuthentication.PrivateKeyJwt
            or OAuthClientAuthentication.ClientAssertionFile or OAuthClientAuthentication.ManagedIdentity
            ? reader.OptionalString("clientSecret")
            : reader.String("clientSecret");
        string? key = reader.OptionalString("privateKey");
        string? algorithm = reader.OptionalString("algorithm");
        return new OAuthDefinition
        {
            Name = name,
            TokenUrl = method == OAuthClientAuthentication.ManagedIdentity
                ? reader.OptionalUri("tokenUrl")
                : reader.Uri("tokenUrl"),
            ClientId = reader.String("clientId"),
            ClientAuthentication = method,
            ClientSecret = secret is null ? null : new SecretValue(secret),
            PrivateKey = key is null ? null : new SecretValue(key),
            Algorithm = algorithm is null ? null
                : Enum.TryParse(algorithm, ignoreCase: false, out JwtSigningAlgorithm parsed) && Enum.IsDefined(parsed)
                    ? parsed
                    : throw reader.Unknown($"the signing algorithm '{algorithm}'"),
            KeyId = reader.OptionalString("keyId"),
            JwksUrl = reader.OptionalUri("jwksUrl"),
            ClientAssertionPath = reader.OptionalString("clientAssertionPath"),
            DiscoveredFrom = reader.OptionalUri("discoveredFrom"),
            Scopes = reader.StringArray("scopes"),
            ExtraParameters = reader.StringMap("extraParameters"),
        };
    }

    private static OAuthClientAuthentication ReadClientAuthentication(DefinitionDocumentReader reader, string wire)
        => wire switch
        {
            "client_secret_basic" => OAuthClientAuthentication.ClientSecretBasic,
            "client_secret_post" => OAuthClientAuthentication.ClientSecretPost,
            "private_key_jwt" => OAuthClientAuthentication.PrivateKeyJwt,
            "client_assertion_file" => OAuthClientAuthentication.ClientAssertionFile,
            "managed_identity" => OAuthClientAuthentication.ManagedIdentity,
            _ => throw reader.Unknown($"the client authentication method '{wire}'"),
        };
}
