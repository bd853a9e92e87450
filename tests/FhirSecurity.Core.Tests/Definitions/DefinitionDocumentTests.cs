using System.Text.Json.Nodes;
using FhirSecurity.Core.Definitions;
using FhirSecurity.Core.Errors;
using FhirSecurity.Core.Secrets;
using FhirSecurity.Core.Tests.Fakes;
using Xunit;

namespace FhirSecurity.Core.Tests.Definitions;

public sealed class DefinitionDocumentTests
{
    [Fact]
    public void BasicAuth_round_trips_with_its_password()
    {
        var original = Samples.Basic() with { Revision = 4, Updated = new DateTimeOffset(2026, 11, 1, 8, 0, 0, TimeSpan.Zero) };

        var read = (BasicAuthDefinition)DefinitionDocument.Deserialize(DefinitionDocument.Serialize(original), DefinitionKind.BasicAuth, "s");

        Assert.Equal("svc-fhir", read.UserName);
        Assert.Equal(Samples.Password, read.Password.Reveal());
        Assert.Equal(4, read.Revision);
        Assert.Equal(original.Updated, read.Updated);
    }

    [Fact]
    public void OAuth_round_trips_scopes_method_and_extra_parameters()
    {
        var read = (OAuthDefinition)DefinitionDocument.Deserialize(DefinitionDocument.Serialize(Samples.OAuth()), DefinitionKind.OAuth, "s");

        Assert.Equal(new Uri("https://auth.example.org/token"), read.TokenUrl);
        Assert.Equal(OAuthClientAuthentication.ClientSecretPost, read.ClientAuthentication);
        Assert.Equal(["system/Patient.rs", "system/Observation.rs"], read.Scopes);
        Assert.Equal("https://fhir.example.org", read.ExtraParameters["audience"]);
        Assert.Equal(Samples.ClientSecret, read.ClientSecret!.Reveal());
    }

    [Fact]
    public void A_secret_document_written_before_private_key_jwt_reads_unchanged_and_is_written_the_same_way()
    {
        // Exactly what builds before SMART Backend Services wrote.
        const string old = "{\"fhirSecurity\":1,\"kind\":\"OAuth\",\"name\":\"old\",\"revision\":3,\"updated\":\"2026-01-02T03:04:05.0000000\\u002B00:00\","
            + "\"tokenUrl\":\"https://auth.example.org/token\",\"clientId\":\"c\",\"clientAuthentication\":\"client_secret_post\",\"clientSecret\":\"" + Samples.ClientSecret + "\","
            + "\"scopes\":[\"a\"],\"extraParameters\":{}}";

        var read = (OAuthDefinition)DefinitionDocument.Deserialize(old, DefinitionKind.OAuth, "s");

        Assert.Equal(Samples.ClientSecret, read.ClientSecret!.Reveal());
        Assert.Null(read.PrivateKey);
        Assert.Null(read.KeyId);
        Assert.Equal(old, DefinitionDocument.Serialize(read));
    }

    [Theory]
    [InlineData(JwtSigningAlgorithm.RS384)]
    [InlineData(JwtSigningAlgorithm.ES384)]
    public void Key_definition_round_trips_without_a_client_secret_field(JwtSigningAlgorithm algorithm)
    {
        OAuthDefinition original = TestKeys.KeyOAuth(algorithm, jwksUrl: new Uri("https://client.example.org/jwks.json")) with { DiscoveredFrom = new Uri("https://fhir.example.org/r4/") };

        string json = DefinitionDocument.Serialize(original);
        var read = (OAuthDefinition)DefinitionDocument.Deserialize(json, DefinitionKind.OAuth, "s");

        Assert.DoesNotContain("clientSecret", json);
        Assert.Contains("\"clientAuthentication\":\"private_key_jwt\"", json);
        Assert.Equal(OAuthClientAuthentication.PrivateKeyJwt, read.ClientAuthentication);
        Assert.Equal(original.PrivateKey, read.PrivateKey);
        Assert.Equal(algorithm, read.Algorithm);
        Assert.Equal(original.KeyId, read.KeyId);
        Assert.Equal(original.JwksUrl, read.JwksUrl);
        Assert.Equal(original.DiscoveredFrom, read.DiscoveredFrom);
        Assert.Null(read.ClientSecret);
    }

    [Fact]
    public void Unknown_signing_algorithm_is_refused_not_misread()
    {
        JsonObject json = JsonNode.Parse(DefinitionDocument.Serialize(TestKeys.KeyOAuth(JwtSigningAlgorithm.RS384)))!.AsObject();
        json["algorithm"] = "PS384";

        var ex = Assert.Throws<FhirSecurityException>(() => DefinitionDocument.Deserialize(json.ToJsonString(), DefinitionKind.OAuth, "s"));

        Assert.Equal(ErrorIds.DefinitionSchemaUnsupported, ex.ErrorId);
    }

    [Fact]
    public void Connection_round_trips_every_setting()
    {
        var original = Samples.Connection(oauth: "o1") with
        {
            TlsValidation = TlsValidationMode.CustomBundle,
            CaBundle = "corp-ca",
            TimeoutSec = 30,
        };

        var read = (ConnectionDefinition)DefinitionDocument.Deserialize(DefinitionDocument.Serialize(original), DefinitionKind.Connection, "s");

        Assert.Equal(original with { Updated = read.Updated }, read);
    }

    [Fact]
    public void Connection_round_trips_minimum_TLS_version_and_revocation_mode()
    {
        var original = Samples.Connection() with { MinimumTlsVersion = TlsVersion.Tls13, RevocationMode = RevocationCheckMode.Online };

        string document = DefinitionDocument.Serialize(original);
        var read = (ConnectionDefinition)DefinitionDocument.Deserialize(document, DefinitionKind.Connection, "s");

        JsonObject json = JsonNode.Parse(document)!.AsObject();
        Assert.Equal("1.3", (string)json["minimumTlsVersion"]!);
        Assert.Equal("Online", (string)json["revocationMode"]!);
        Assert.Equal(TlsVersion.Tls13, read.MinimumTlsVersion);
        Assert.Equal(RevocationCheckMode.Online, read.RevocationMode);
    }

    [Fact]
    public void Connection_document_of_the_previous_build_reads_with_TLS_12_and_no_revocation_check()
    {
        // Exactly what the build before minimumTlsVersion/revocationMode wrote: same schema version, fields absent.
        const string previous = """
            {"fhirSecurity":1,"kind":"Connection","name":"ehr","revision":3,"updated":"2026-01-05T10:00:00.0000000+00:00",
             "baseUri":"https://fhir.example.org/r4/","basicAuth":null,"oauth":null,"tlsValidation":"Default","caBundle":null,
             "timeoutSec":100,"allowUnencryptedAuthentication":false}
            """;

        var read = (ConnectionDefinition)DefinitionDocument.Deserialize(previous, DefinitionKind.Connection, "s");

        Assert.Equal(1, DefinitionDocument.SchemaVersion);
        Assert.Equal(TlsVersion.Tls12, read.MinimumTlsVersion);
        Assert.Equal(RevocationCheckMode.NoCheck, read.RevocationMode);
        Assert.Equal(3, read.Revision);
    }

    [Theory]
    [InlineData("minimumTlsVersion", "1.4")]
    [InlineData("minimumTlsVersion", "1.1")]
    [InlineData("revocationMode", "Stapled")]
    [InlineData("revocationMode", "1")]
    public void Unknown_TLS_settings_are_refused_not_weakened(string field, string value)
    {
        JsonObject json = JsonNode.Parse(DefinitionDocument.Serialize(Samples.Connection()))!.AsObject();
        json[field] = value;

        var ex = Assert.Throws<FhirSecurityException>(() => DefinitionDocument.Deserialize(json.ToJsonString(), DefinitionKind.Connection, "s"));

        Assert.Equal(ErrorIds.DefinitionSchemaUnsupported, ex.ErrorId);
        Assert.Contains("Update-Module", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Document_carries_schema_version_and_kind()
    {
        JsonObject json = JsonNode.Parse(DefinitionDocument.Serialize(Samples.Basic()))!.AsObject();

        Assert.Equal(DefinitionDocument.SchemaVersion, (int)json["fhirSecurity"]!);
        Assert.Equal("BasicAuth", (string)json["kind"]!);
    }

    [Theory]
    [InlineData("not json at all " + Samples.Password)]
    [InlineData("[1,2]")]
    [InlineData("{\"kind\":\"BasicAuth\"}")]
    public void Unreadable_document_is_DefinitionCorrupt_and_the_message_quotes_nothing_of_it(string json)
    {
        var ex = Assert.Throws<FhirSecurityException>(() => DefinitionDocument.Deserialize(json, DefinitionKind.BasicAuth, "FhirSecurity-BasicAuth-x"));

        Assert.Equal(ErrorIds.DefinitionCorrupt, ex.ErrorId);
        Assert.Contains("FhirSecurity-BasicAuth-x", ex.Message);
        Assert.DoesNotContain(Samples.Password, ex.ToString());
    }

    [Fact]
    public void Document_of_another_kind_is_DefinitionCorrupt()
    {
        string json = DefinitionDocument.Serialize(Samples.Basic());

        var ex = Assert.Throws<FhirSecurityException>(() => DefinitionDocument.Deserialize(json, DefinitionKind.OAuth, "s"));

        Assert.Equal(ErrorIds.DefinitionCorrupt, ex.ErrorId);
    }

    [Fact]
    public void Document_of_a_kind_this_build_does_not_know_is_DefinitionCorrupt_not_read_as_a_connection()
    {
        // A connection document that names a kind outside the enum, asked for as that kind.
        JsonObject root = JsonNode.Parse(DefinitionDocument.Serialize(Samples.Connection()))!.AsObject();
        root["kind"] = "9";

        var ex = Assert.Throws<FhirSecurityException>(
            () => DefinitionDocument.Deserialize(root.ToJsonString(), (DefinitionKind)9, "s"));

        Assert.Equal(ErrorIds.DefinitionCorrupt, ex.ErrorId);
    }

    [Fact]
    public void Newer_schema_is_refused_with_its_own_id()
    {
        JsonObject json = JsonNode.Parse(DefinitionDocument.Serialize(Samples.Basic()))!.AsObject();
        json["fhirSecurity"] = DefinitionDocument.SchemaVersion + 1;

        var ex = Assert.Throws<FhirSecurityException>(() => DefinitionDocument.Deserialize(json.ToJsonString(), DefinitionKind.BasicAuth, "s"));

        Assert.Equal(ErrorIds.DefinitionSchemaUnsupported, ex.ErrorId);
    }

    [Fact]
    public void Unknown_client_authentication_method_is_refused_not_misread()
    {
        JsonObject json = JsonNode.Parse(DefinitionDocument.Serialize(Samples.OAuth()))!.AsObject();
        json["clientAuthentication"] = "tls_client_auth";

        var ex = Assert.Throws<FhirSecurityException>(() => DefinitionDocument.Deserialize(json.ToJsonString(), DefinitionKind.OAuth, "s"));

        Assert.Equal(ErrorIds.DefinitionSchemaUnsupported, ex.ErrorId);
    }

    [Fact]
    public void Document_that_breaks_a_rule_is_DefinitionCorrupt()
    {
        JsonObject json = JsonNode.Parse(DefinitionDocument.Serialize(Samples.Connection(basic: "b", oauth: "o")))!.AsObject();

        var ex = Assert.Throws<FhirSecurityException>(() => DefinitionDocument.Deserialize(json.ToJsonString(), DefinitionKind.Connection, "s"));

        Assert.Equal(ErrorIds.DefinitionCorrupt, ex.ErrorId);
    }

    [Fact]
    public void Secrets_never_show_in_ToString_of_definitions()
    {
        Assert.DoesNotContain(Samples.Password, Samples.Basic().ToString());
        Assert.DoesNotContain(Samples.ClientSecret, Samples.OAuth().ToString());
        Assert.Equal(SecretValue.Redacted, new SecretValue(Samples.Password).ToString());
    }
}
