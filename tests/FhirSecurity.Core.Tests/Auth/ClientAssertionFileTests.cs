using FhirSecurity.Core.Auth;
using FhirSecurity.Core.Definitions;
using FhirSecurity.Core.Definitions.Edits;
using FhirSecurity.Core.Errors;
using FhirSecurity.Core.Http;
using FhirSecurity.Core.Secrets;
using FhirSecurity.Core.Tests.Fakes;
using FhirSecurity.TestServer;
using Xunit;

namespace FhirSecurity.Core.Tests.Auth;

/// <summary>
/// The rules of an assertion-file definition (ClientAssertionFile) without a server: what it must hold, how edits
/// switch to and from it, how its document reads and what the file reader refuses.
/// </summary>
public sealed class ClientAssertionFileRuleTests : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("fhirsec-assertion-").FullName;

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    private string AssertionPath => Path.Combine(_folder, "token");

    private OAuthDefinition Federated() => new()
    {
        Name = "workload",
        TokenUrl = new Uri("https://login.example.org/tenant/oauth2/v2.0/token"),
        ClientId = "client-1",
        ClientAuthentication = OAuthClientAuthentication.ClientAssertionFile,
        ClientAssertionPath = AssertionPath,
        Scopes = ["https://fhir.example.org/.default"],
    };

    [Fact]
    public void An_assertion_file_definition_needs_a_full_path_and_nothing_else()
    {
        Federated().Validate();
        foreach (string? path in new[] { null, " ", "relative/token" })
        {
            var ex = Assert.Throws<FhirSecurityException>(() => (Federated() with { ClientAssertionPath = path }).Validate());
            Assert.Equal(ErrorIds.OAuthClientAssertionPathInvalid, ex.ErrorId);
            Assert.Equal(FailureCategory.InvalidArgument, ex.Category);
        }

        OAuthDefinition[] mixed =
        [
            Federated() with { ClientSecret = new SecretValue("s") },
            Federated() with { KeyId = "k" },
            Samples.OAuth() with { ClientAssertionPath = AssertionPath },
            TestKeys.KeyOAuth(JwtSigningAlgorithm.RS384) with { ClientAssertionPath = AssertionPath },
        ];
        foreach (OAuthDefinition definition in mixed)
        {
            Assert.Equal(
                ErrorIds.OAuthClientCredentialConflict,
                Assert.Throws<FhirSecurityException>(definition.Validate).ErrorId);
        }
    }

    [Fact]
    public void A_path_switches_a_secret_definition_to_the_file_and_a_secret_or_key_switches_it_back()
    {
        OAuthDefinition toFile = new OAuthEdit { ClientAssertionPath = AssertionPath }.ApplyTo(Samples.OAuth());
        Assert.Equal(OAuthClientAuthentication.ClientAssertionFile, toFile.ClientAuthentication);
        Assert.Null(toFile.ClientSecret);
        toFile.Validate();

        OAuthDefinition toSecret = new OAuthEdit { ClientSecret = new SecretValue("new") }.ApplyTo(toFile);
        Assert.Equal(
            (OAuthClientAuthentication.ClientSecretBasic, (string?)null, "new"),
            (toSecret.ClientAuthentication, toSecret.ClientAssertionPath, toSecret.ClientSecret!.Reveal()));

        ClientKey key = ClientKey.Parse(new SecretValue(TestKeys.Rsa3072.ExportPkcs8PrivateKeyPem()), "test", "o");
        OAuthDefinition toKey = new OAuthEdit { Key = key, KeyId = "k" }.ApplyTo(toFile);
        Assert.Equal(OAuthClientAuthentication.PrivateKeyJwt, toKey.ClientAuthentication);
        Assert.Null(toKey.ClientAssertionPath);
        toKey.Validate();

        OAuthDefinition moved = new OAuthEdit { ClientAssertionPath = "/var/run/other" }.ApplyTo(toFile);
        Assert.Equal("/var/run/other", moved.ClientAssertionPath);
        Assert.Equal(toFile with { ClientAssertionPath = "/var/run/other" }, moved);
        Assert.False(new OAuthEdit { ClientAssertionPath = AssertionPath }.IsEmpty);
    }

    [Fact]
    public void The_document_keeps_the_path_and_no_secret_field()
    {
        OAuthDefinition original = Federated();
        string json = DefinitionDocument.Serialize(original);
        var read = (OAuthDefinition)DefinitionDocument.Deserialize(json, DefinitionKind.OAuth, "s");

        Assert.Contains("\"clientAuthentication\":\"client_assertion_file\"", json);
        Assert.DoesNotContain("clientSecret", json);
        Assert.Equal(
            (OAuthClientAuthentication.ClientAssertionFile, AssertionPath, original.ClientId, original.TokenUrl),
            (read.ClientAuthentication, read.ClientAssertionPath, read.ClientId, read.TokenUrl));
        Assert.Null(read.ClientSecret);
        Assert.Equal(original.Scopes, read.Scopes);
        read.Validate();
    }

    [Fact]
    public void The_token_cache_key_changes_with_the_path()
    {
        Assert.NotEqual(
            TokenCache.KeyFor(Federated(), "tls"),
            TokenCache.KeyFor(Federated() with { ClientAssertionPath = AssertionPath + "2" }, "tls"));
    }

    [Fact]
    public void The_reader_trims_the_file_and_refuses_missing_empty_and_oversized_files_without_quoting_them()
    {
        File.WriteAllText(AssertionPath, "  header.claims.signature\n");
        Assert.Equal("header.claims.signature", ClientAssertionFile.Read(AssertionPath, "w").Reveal());

        var missing = Assert.Throws<FhirSecurityException>(() => ClientAssertionFile.Read(AssertionPath + "-gone", "w"));
        Assert.Equal(
            (ErrorIds.OAuthClientAssertionFileNotFound, FailureCategory.ObjectNotFound),
            (missing.ErrorId, missing.Category));
        Assert.Contains("Set-FhirOAuth -ClientAssertionPath", missing.Message);

        File.WriteAllText(AssertionPath, " \n");
        var empty = Assert.Throws<FhirSecurityException>(() => ClientAssertionFile.Read(AssertionPath, "w"));
        Assert.Equal((ErrorIds.OAuthClientAssertionFileEmpty, FailureCategory.InvalidData), (empty.ErrorId, empty.Category));

        string canary = "canary-" + Guid.NewGuid().ToString("N");
        File.WriteAllText(AssertionPath, canary + new string('x', ClientAssertionFile.MaxLength));
        var large = Assert.Throws<FhirSecurityException>(() => ClientAssertionFile.Read(AssertionPath, "w"));
        Assert.Equal((ErrorIds.OAuthClientAssertionFileUnreadable, FailureCategory.ReadError), (large.ErrorId, large.Category));
        Assert.DoesNotContain(canary, large.ToString());
    }

    // --- -FromEnvironment: the variables AKS workload identity sets ---------------------------------------------

    private static Func<string, string?> Environment(params (string Name, string? Value)[] variables)
        => name => variables.FirstOrDefault(v => v.Name == name).Value;

    [Fact]
    public void The_environment_names_the_client_the_file_and_the_tenant_token_url()
    {
        FederatedEnvironment read = FederatedEnvironment.Read(
            Environment(("AZURE_CLIENT_ID", "c1"), ("AZURE_TENANT_ID", "t1"), ("AZURE_FEDERATED_TOKEN_FILE", "/var/token")),
            "w");
        Assert.Equal(new FederatedEnvironment(new Uri("https://login.microsoftonline.com/t1/oauth2/v2.0/token"), "c1", "/var/token"), read);

        FederatedEnvironment sovereign = FederatedEnvironment.Read(
            Environment(
                ("AZURE_CLIENT_ID", "c1"),
                ("AZURE_TENANT_ID", "t1"),
                ("AZURE_FEDERATED_TOKEN_FILE", "/var/token"),
                ("AZURE_AUTHORITY_HOST", "https://login.microsoftonline.us")),
            "w");
        Assert.Equal(new Uri("https://login.microsoftonline.us/t1/oauth2/v2.0/token"), sovereign.TokenUrl);
    }

    [Fact]
    public void A_missing_variable_is_named_with_every_other_missing_one()
    {
        var ex = Assert.Throws<FhirSecurityException>(
            () => FederatedEnvironment.Read(Environment(("AZURE_TENANT_ID", "t1"), ("AZURE_CLIENT_ID", " ")), "w"));
        Assert.Equal((ErrorIds.OAuthEnvironmentIncomplete, FailureCategory.ObjectNotFound), (ex.ErrorId, ex.Category));
        Assert.Contains("AZURE_CLIENT_ID, AZURE_FEDERATED_TOKEN_FILE", ex.Message);
        Assert.DoesNotContain("AZURE_TENANT_ID", ex.Message);
    }

    [Theory]
    [InlineData("t1/../x", null)]
    [InlineData("t1", "http://login.example.org/")]
    [InlineData("t1", "https://user:pw@login.example.org/")]
    [InlineData("t1", "not a url")]
    public void A_bad_tenant_or_authority_is_refused(string tenant, string? authority)
    {
        var ex = Assert.Throws<FhirSecurityException>(() => FederatedEnvironment.Read(
            Environment(
                ("AZURE_CLIENT_ID", "c1"),
                ("AZURE_TENANT_ID", tenant),
                ("AZURE_FEDERATED_TOKEN_FILE", "/var/token"),
                ("AZURE_AUTHORITY_HOST", authority)),
            "w"));
        Assert.Equal(ErrorIds.OAuthEnvironmentInvalid, ex.ErrorId);
        Assert.DoesNotContain("pw@", ex.Message);
    }
}

/// <summary>
/// Token requests with an assertion file against the test server's Entra-like federated client: what is sent, that
/// the file is read again for every request, and how refusals and file problems read.
/// </summary>
public sealed class ClientAssertionFileTokenTests : IAsyncLifetime
{
    private static readonly FederatedCredential Credential = OAuthClientRegistration.Workload.Federated!;
    private readonly string _folder = Directory.CreateTempSubdirectory("fhirsec-assertion-").FullName;
    private FhirTestServer _server = null!;
    private TransportPolicy _tls = null!;
    private HttpClient _http = null!;

    public async Task InitializeAsync()
    {
        _server = await FhirTestServer.StartAsync(new FhirTestServerOptions { SeedPatientCount = 1 });
        _tls = ServerConnections.Trusting(_server.Pki);
        _http = new HandlerPool().GetClient(_tls).Http;
    }

    public async Task DisposeAsync()
    {
        await _server.DisposeAsync();
        Directory.Delete(_folder, recursive: true);
    }

    private string AssertionPath => Path.Combine(_folder, "token");

    private OAuthDefinition Definition() => new()
    {
        Name = "workload",
        TokenUrl = _server.TokenEndpoint,
        ClientId = OAuthClientRegistration.Workload.ClientId,
        ClientAuthentication = OAuthClientAuthentication.ClientAssertionFile,
        ClientAssertionPath = AssertionPath,
        Scopes = ["system/Patient.read"],
    };

    private string WriteAssertion(TimeSpan? lifetime = null, string? audience = null)
    {
        string assertion = _server.FederatedIssuer.Sign(
            Credential, DateTimeOffset.UtcNow, lifetime ?? TimeSpan.FromMinutes(10), audience: audience);
        File.WriteAllText(AssertionPath, assertion + "\n");
        return assertion;
    }

    private Task<AccessToken> RequestAsync()
        => TokenClient.RequestAsync(
            Definition(), _http, _tls, TimeProvider.System, TimeSpan.FromSeconds(10), CancellationToken.None);

    [Fact]
    public async Task The_file_content_is_sent_as_a_jwt_bearer_assertion_with_the_client_id()
    {
        string assertion = WriteAssertion();

        AccessToken token = await RequestAsync();

        TokenRequestRecord request = _server.LastTokenRequest!;
        Assert.Equal("federated_assertion", request.ClientAuthMethod);
        Assert.Equal(OAuthClientRegistration.Workload.ClientId, request.ClientId);
        Assert.Equal(ClientAssertion.AssertionType, request.ClientAssertionType);
        Assert.Equal(assertion, _server.ReceivedAssertions[^1].Raw);
        Assert.Null(_server.ReceivedAssertions[^1].Rejection);
        Assert.DoesNotContain("client_secret", request.FieldNames);
        Assert.Contains(token.Value.Reveal(), _server.IssuedTokenValues);
    }

    [Fact]
    public async Task The_file_is_read_again_for_every_request_so_a_rotated_assertion_is_used()
    {
        string first = WriteAssertion();
        await RequestAsync();
        string second = WriteAssertion();
        await RequestAsync();

        Assert.Equal([first, second], _server.ReceivedAssertions.Select(a => a.Raw).TakeLast(2));
    }

    [Theory]
    [InlineData(-60, null, "AADSTS700024")]
    [InlineData(600, "api://SomethingElse", "AADSTS70021")]
    public async Task A_refused_assertion_passes_the_servers_words_through_and_never_the_assertion(
        int lifetimeSeconds, string? audience, string code)
    {
        string assertion = WriteAssertion(TimeSpan.FromSeconds(lifetimeSeconds), audience);

        var ex = await Assert.ThrowsAsync<FhirSecurityException>(RequestAsync);

        Assert.Equal(ErrorIds.OAuthTokenRequestFailed, ex.ErrorId);
        Assert.Equal(FailureCategory.AuthenticationError, ex.Category);
        Assert.Equal("invalid_client", ex.RemoteError);
        Assert.Contains(code, ex.Message);
        Assert.Contains(AssertionPath, ex.Message);
        Assert.DoesNotContain(assertion, ex.ToString());
        Assert.DoesNotContain(assertion[(assertion.LastIndexOf('.') + 1)..], ex.ToString());
    }

    [Fact]
    public async Task A_missing_or_empty_file_at_token_time_is_its_own_error_and_sends_nothing()
    {
        long before = _server.Counters.TokenRequests;

        var missing = await Assert.ThrowsAsync<FhirSecurityException>(RequestAsync);
        File.WriteAllText(AssertionPath, string.Empty);
        var empty = await Assert.ThrowsAsync<FhirSecurityException>(RequestAsync);

        Assert.Equal(ErrorIds.OAuthClientAssertionFileNotFound, missing.ErrorId);
        Assert.Contains("'workload'", missing.Message);
        Assert.Equal(ErrorIds.OAuthClientAssertionFileEmpty, empty.ErrorId);
        Assert.Equal(before, _server.Counters.TokenRequests);
    }
}
