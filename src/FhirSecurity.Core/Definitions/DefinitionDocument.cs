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
                OAuthDocumentFields.Write(root, oauth);
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
                ConnectionTransportDocumentFields.Write(root, connection);
                break;
            default:
                throw new ArgumentException(
                    $"Unknown definition type {definition.GetType().Name}.",
                    nameof(definition));
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
            throw DefinitionDocumentReader.Corrupt(secretName, "it is not a JSON document");
        }

        var reader = new DefinitionDocumentReader(root, secretName);
        int version = reader.Int("fhirSecurity");
        if (version > SchemaVersion)
        {
            throw new FhirSecurityException(
                ErrorIds.DefinitionSchemaUnsupported,
                FailureCategory.InvalidData,
                $"The secret '{secretName}' was written by a newer FhirSecurity (schema {version}; this version reads"
                + $" up to {SchemaVersion}). Update the module: Update-Module FhirSecurity.",
                secretName);
        }

        string kind = reader.String("kind");
        if (!string.Equals(kind, expected.ToString(), StringComparison.Ordinal))
        {
            throw reader.Fail($"it holds a '{kind}' definition where a {expected} was expected");
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
            DefinitionKind.OAuth => OAuthDocumentFields.Read(reader, name),
            DefinitionKind.CaBundle => new CaBundleDefinition { Name = name, Pem = reader.String("pem") },
            DefinitionKind.Connection => new ConnectionDefinition
            {
                Name = name,
                BaseUri = reader.Uri("baseUri"),
                BasicAuth = reader.OptionalString("basicAuth"),
                OAuth = reader.OptionalString("oauth"),
                TlsValidation = reader.Enum<TlsValidationMode>("tlsValidation"),
                CaBundle = reader.OptionalString("caBundle"),
                // Both fields came after the first release: a document without them reads as the defaults, so
                // documents written by earlier builds keep working under schema 1.
                MinimumTlsVersion = ReadMinimumTlsVersion(reader, reader.OptionalString("minimumTlsVersion")),
                RevocationMode = ReadRevocationMode(reader, reader.OptionalString("revocationMode")),
                TimeoutSec = reader.Int("timeoutSec"),
                AllowUnencryptedAuthentication = reader.Bool("allowUnencryptedAuthentication"),
            },
            // Not read as the nearest kind: a document of a kind this build has no rules for is not usable.
            _ => throw reader.Fail($"it holds a '{kind}' definition, a kind this version does not know"),
        };

        if (definition is ConnectionDefinition read)
        {
            definition = ConnectionTransportDocumentFields.Read(reader, read);
        }

        definition = definition with { Revision = revision, Updated = updated };
        try
        {
            definition.Validate();
        }
        catch (FhirSecurityException ex)
        {
            throw reader.Fail(ex.Message);
        }

        return definition;
    }

    /// <summary>The OAuth wire name of a client authentication method.</summary>
    public static string ToWire(OAuthClientAuthentication method) => method switch
    {
        OAuthClientAuthentication.ClientSecretPost => "client_secret_post",
        OAuthClientAuthentication.PrivateKeyJwt => "private_key_jwt",
        OAuthClientAuthentication.ClientAssertionFile => "client_assertion_file",
        OAuthClientAuthentication.ManagedIdentity => "managed_identity",
        _ => "client_secret_basic",
    };

    private static TlsVersion ReadMinimumTlsVersion(DefinitionDocumentReader reader, string? text)
        => text is null ? TlsVersion.Tls12
            : TlsVersions.TryParse(text, out TlsVersion version) ? version
            : throw reader.Unknown($"the minimum TLS version '{text}'");

    private static RevocationCheckMode ReadRevocationMode(DefinitionDocumentReader reader, string? text)
        => text switch
        {
            null or nameof(RevocationCheckMode.NoCheck) => RevocationCheckMode.NoCheck,
            nameof(RevocationCheckMode.Online) => RevocationCheckMode.Online,
            nameof(RevocationCheckMode.Offline) => RevocationCheckMode.Offline,
            _ => throw reader.Unknown($"the revocation mode '{text}'"),
        };
}
