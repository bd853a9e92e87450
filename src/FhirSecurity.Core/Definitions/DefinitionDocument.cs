using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using FhirSecurity.Core.Errors;
using FhirSecurity.Core.Secrets;

namespace FhirSecurity.Core.Definitions;

/// <summary>
/// The vault form of a definition: one JSON document per secret. <c>fhirSecurity</c> holds the schema version
/// and marks the document as ours; a reader refuses versions newer than it knows rather than misread them.
/// </summary>
public static class DefinitionDocument
{
    /// <summary>The schema version this build writes and the newest it reads.</summary>
    public const int SchemaVersion = 1;

    /// <summary>The JSON document for a definition. It contains the definition's secrets.</summary>
    public static string Serialize(Definition definition)
    {
        var root = new JsonObject
        {
            ["fhirSecurity"] = SchemaVersion,
            ["kind"] = definition.Kind.ToString(),
            ["name"] = definition.Name,
            ["revision"] = definition.Revision,
            ["updated"] = definition.Updated.ToUniversalTime().ToString("O", CultureInfo.InvariantCulture),
        };

        switch (definition)
        {
            case BasicAuthDefinition basic:
                root["userName"] = basic.UserName;
                root["password"] = basic.Password.Reveal();
                break;
            case OAuthDefinition oauth:
                root["tokenUrl"] = oauth.TokenUrl.AbsoluteUri;
                root["clientId"] = oauth.ClientId;
                root["clientAuthentication"] = ToWire(oauth.ClientAuthentication);
                if (oauth.ClientSecret is { } secret)
                {
                    root["clientSecret"] = secret.Reveal();
                }

                // Key fields only for private_key_jwt, so a secret-method document is exactly what earlier builds wrote.
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
                break;
            case CaBundleDefinition bundle:
                root["pem"] = bundle.Pem;
                break;
            case ConnectionDefinition connection:
                root["baseUri"] = connection.BaseUri.AbsoluteUri;
                root["basicAuth"] = connection.BasicAuth;
                root["oauth"] = connection.OAuth;
                root["tlsValidation"] = connection.TlsValidation.ToString();
                root["caBundle"] = connection.CaBundle;
                root["minimumTlsVersion"] = TlsVersions.ToText(connection.MinimumTlsVersion);
                root["revocationMode"] = connection.RevocationMode.ToString();
                root["timeoutSec"] = connection.TimeoutSec;
                root["allowUnencryptedAuthentication"] = connection.AllowUnencryptedAuthentication;
                ConnectionTransportFields.Write(root, connection);
                break;
            default:
                throw new ArgumentException($"Unknown definition type {definition.GetType().Name}.", nameof(definition));
        }

        return root.ToJsonString();
    }

    /// <summary>
    /// Reads a document from the vault secret <paramref name="secretName"/>. Throws <c>DefinitionCorrupt</c> for
    /// anything that is not a well-formed FhirSecurity document of <paramref name="expected"/> kind, and
    /// <c>DefinitionSchemaUnsupported</c> for a newer schema. Messages name the secret, never its content.
    /// </summary>
    public static Definition Deserialize(string json, DefinitionKind expected, string secretName)
    {
        JsonObject root;
        try
        {
            root = JsonNode.Parse(json) as JsonObject ?? throw new JsonException("not a JSON object");
        }
        catch (JsonException)
        {
            // The parser's message can quote the document, and the document holds secrets: say only where.
            throw Corrupt(secretName, "it is not a JSON document");
        }

        var reader = new Reader(root, secretName);
        int version = reader.Int("fhirSecurity");
        if (version > SchemaVersion)
        {
            throw new FhirSecurityException(
                ErrorIds.DefinitionSchemaUnsupported,
                FailureCategory.InvalidData,
                $"The secret '{secretName}' was written by a newer FhirSecurity (schema {version}; this version reads up to {SchemaVersion}). Update the module: Update-Module FhirSecurity.",
                secretName);
        }

        string kind = reader.String("kind");
        if (!string.Equals(kind, expected.ToString(), StringComparison.Ordinal))
        {
            throw Corrupt(secretName, $"it holds a '{kind}' definition where a {expected} was expected");
        }

        string name = reader.String("name");
        int revision = reader.Int("revision");
        DateTimeOffset updated = reader.Time("updated");

        Definition definition = expected switch
        {
            DefinitionKind.BasicAuth => new BasicAuthDefinition
            {
                Name = name,
                UserName = reader.String("userName"),
                Password = new SecretValue(reader.String("password")),
            },
            DefinitionKind.OAuth => ReadOAuth(reader, name, secretName),
            DefinitionKind.CaBundle => new CaBundleDefinition { Name = name, Pem = reader.String("pem") },
            _ => new ConnectionDefinition
            {
                Name = name,
                BaseUri = reader.Uri("baseUri"),
                BasicAuth = reader.OptionalString("basicAuth"),
                OAuth = reader.OptionalString("oauth"),
                TlsValidation = reader.Enum<TlsValidationMode>("tlsValidation"),
                CaBundle = reader.OptionalString("caBundle"),
                // Both fields came after the first release: a document without them reads as the defaults, so
                // documents written by earlier builds keep working under schema 1.
                MinimumTlsVersion = ReadMinimumTlsVersion(reader.OptionalString("minimumTlsVersion"), secretName),
                RevocationMode = ReadRevocationMode(reader.OptionalString("revocationMode"), secretName),
                TimeoutSec = reader.Int("timeoutSec"),
                AllowUnencryptedAuthentication = reader.Bool("allowUnencryptedAuthentication"),
            },
        };

        if (definition is ConnectionDefinition read)
        {
            definition = ConnectionTransportFields.Read(reader, read);
        }

        definition = definition with { Revision = revision, Updated = updated };
        try
        {
            definition.Validate();
        }
        catch (FhirSecurityException ex)
        {
            throw Corrupt(secretName, ex.Message);
        }

        return definition;
    }

    /// <summary>The OAuth wire name of a client authentication method.</summary>
    public static string ToWire(OAuthClientAuthentication method) => method switch
    {
        OAuthClientAuthentication.ClientSecretPost => "client_secret_post",
        OAuthClientAuthentication.PrivateKeyJwt => "private_key_jwt",
        _ => "client_secret_basic",
    };

    // Documents of the secret methods read exactly as before (clientSecret required, no key fields); the key fields
    // are optional on read, so what is missing or surplus is reported by the definition's own rules.
    private static OAuthDefinition ReadOAuth(Reader reader, string name, string secretName)
    {
        OAuthClientAuthentication method = ReadClientAuthentication(reader.String("clientAuthentication"), secretName);
        string? secret = method == OAuthClientAuthentication.PrivateKeyJwt ? reader.OptionalString("clientSecret") : reader.String("clientSecret");
        string? key = reader.OptionalString("privateKey");
        string? algorithm = reader.OptionalString("algorithm");
        return new OAuthDefinition
        {
            Name = name,
            TokenUrl = reader.Uri("tokenUrl"),
            ClientId = reader.String("clientId"),
            ClientAuthentication = method,
            ClientSecret = secret is null ? null : new SecretValue(secret),
            PrivateKey = key is null ? null : new SecretValue(key),
            Algorithm = algorithm is null ? null
                : Enum.TryParse(algorithm, ignoreCase: false, out JwtSigningAlgorithm parsed) && Enum.IsDefined(parsed) ? parsed
                : throw Newer(secretName, $"the signing algorithm '{algorithm}'"),
            KeyId = reader.OptionalString("keyId"),
            JwksUrl = reader.OptionalUri("jwksUrl"),
            DiscoveredFrom = reader.OptionalUri("discoveredFrom"),
            Scopes = reader.StringArray("scopes"),
            ExtraParameters = reader.StringMap("extraParameters"),
        };
    }

    private static OAuthClientAuthentication ReadClientAuthentication(string wire, string secretName) => wire switch
    {
        "client_secret_basic" => OAuthClientAuthentication.ClientSecretBasic,
        "client_secret_post" => OAuthClientAuthentication.ClientSecretPost,
        "private_key_jwt" => OAuthClientAuthentication.PrivateKeyJwt,
        _ => throw new FhirSecurityException(
            ErrorIds.DefinitionSchemaUnsupported,
            FailureCategory.InvalidData,
            $"The secret '{secretName}' uses the client authentication method '{wire}', which this version of FhirSecurity does not know. Update the module: Update-Module FhirSecurity.",
            secretName),
    };

    private static TlsVersion ReadMinimumTlsVersion(string? text, string secretName)
        => text is null ? TlsVersion.Tls12
            : TlsVersions.TryParse(text, out TlsVersion version) ? version
            : throw Newer(secretName, $"the minimum TLS version '{text}'");

    private static RevocationCheckMode ReadRevocationMode(string? text, string secretName) => text switch
    {
        null or nameof(RevocationCheckMode.NoCheck) => RevocationCheckMode.NoCheck,
        nameof(RevocationCheckMode.Online) => RevocationCheckMode.Online,
        nameof(RevocationCheckMode.Offline) => RevocationCheckMode.Offline,
        _ => throw Newer(secretName, $"the revocation mode '{text}'"),
    };

    // A value this build does not know is most likely from a newer module (as for client authentication methods):
    // refuse it rather than fall back to a weaker setting.
    private static FhirSecurityException Newer(string secretName, string what)
        => new(
            ErrorIds.DefinitionSchemaUnsupported,
            FailureCategory.InvalidData,
            $"The secret '{secretName}' uses {what}, which this version of FhirSecurity does not know. Update the module: Update-Module FhirSecurity.",
            secretName);

    private static FhirSecurityException Corrupt(string secretName, string why)
        => new(
            ErrorIds.DefinitionCorrupt,
            FailureCategory.InvalidData,
            $"The vault secret '{secretName}' is not a readable FhirSecurity definition: {why}. Recreate it with the New-Fhir* command and -Force, or remove it with Remove-Secret.",
            secretName);

    /// <summary>Typed reads that fail with <c>DefinitionCorrupt</c>, naming the field but not its value.</summary>
    internal sealed class Reader(JsonObject root, string secretName)
    {
        /// <summary>A <c>DefinitionCorrupt</c> error for this secret: <paramref name="why"/> names the field, never its value.</summary>
        public FhirSecurityException Fail(string why) => Corrupt(secretName, why);

        /// <summary>A <c>DefinitionSchemaUnsupported</c> error for a value this build does not know (<paramref name="what"/>).</summary>
        public FhirSecurityException Unknown(string what) => Newer(secretName, what);

        public string String(string field)
            => OptionalString(field) ?? throw Corrupt(secretName, $"the field '{field}' is missing");

        public string? OptionalString(string field)
            => root[field] switch
            {
                null => null,
                JsonValue value when value.TryGetValue(out string? text) => text,
                _ => throw Corrupt(secretName, $"the field '{field}' is not a string"),
            };

        public int Int(string field)
            => root[field] is JsonValue value && value.TryGetValue(out int number)
                ? number
                : throw Corrupt(secretName, $"the field '{field}' is missing or not a whole number");

        public bool Bool(string field)
            => root[field] is JsonValue value && value.TryGetValue(out bool flag)
                ? flag
                : throw Corrupt(secretName, $"the field '{field}' is missing or not true/false");

        public DateTimeOffset Time(string field)
            => DateTimeOffset.TryParse(String(field), CultureInfo.InvariantCulture, DateTimeStyles.RoundtripKind, out DateTimeOffset time)
                ? time
                : throw Corrupt(secretName, $"the field '{field}' is not a date and time");

        public Uri Uri(string field)
            => System.Uri.TryCreate(String(field), UriKind.Absolute, out Uri? uri)
                ? uri
                : throw Corrupt(secretName, $"the field '{field}' is not an absolute URI");

        public Uri? OptionalUri(string field)
            => OptionalString(field) is not { } text ? null
                : System.Uri.TryCreate(text, UriKind.Absolute, out Uri? uri) ? uri
                : throw Corrupt(secretName, $"the field '{field}' is not an absolute URI");

        public T Enum<T>(string field)
            where T : struct, System.Enum
            => System.Enum.TryParse(String(field), ignoreCase: false, out T value) && System.Enum.IsDefined(value)
                ? value
                : throw Corrupt(secretName, $"the field '{field}' has an unknown value");

        public IReadOnlyList<string> StringArray(string field)
            => root[field] is JsonArray array
                ? array.Select(item => item is JsonValue v && v.TryGetValue(out string? s) ? s : throw Corrupt(secretName, $"the field '{field}' holds a non-string")).ToArray()
                : throw Corrupt(secretName, $"the field '{field}' is missing or not a list");

        public IReadOnlyDictionary<string, string> StringMap(string field)
            => root[field] is JsonObject map
                ? map.ToDictionary(
                    pair => pair.Key,
                    pair => pair.Value is JsonValue v && v.TryGetValue(out string? s) ? s : throw Corrupt(secretName, $"the field '{field}' holds a non-string"),
                    StringComparer.Ordinal)
                : throw Corrupt(secretName, $"the field '{field}' is missing or not an object");
    }
}
