using FhirSecurity.Core.Auth;
using FhirSecurity.Core.Definitions;
using FhirSecurity.Core.Errors;
using FhirSecurity.Core.Http;
using FhirSecurity.Core.Tests.Fakes;
using FhirSecurity.TestServer;
using Xunit;

namespace FhirSecurity.Core.Tests.Auth;

/// <summary>
/// One server whose plain-HTTP managed identity endpoint IDENTITY_ENDPOINT and IDENTITY_HEADER name for the whole
/// class, set before any credential is made, so Azure.Identity takes the App Service source and never IMDS.
/// </summary>
public sealed class ManagedIdentityFixture : IAsyncLifetime
{
    private string? _savedEndpoint;
    private string? _savedHeader;

    public FhirTestServer Server { get; private set; } = null!;

    public HttpClient Http { get; private set; } = null!;

    public TransportPolicy Tls { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        Server = await FhirTestServer.StartAsync(new FhirTestServerOptions { SeedPatientCount = 1 });
        Tls = ServerConnections.Trusting(Server.Pki);
        Http = new HandlerPool().GetClient(Tls).Http;
        _savedEndpoint = Environment.GetEnvironmentVariable("IDENTITY_ENDPOINT");
        _savedHeader = Environment.GetEnvironmentVariable("IDENTITY_HEADER");
        Environment.SetEnvironmentVariable("IDENTITY_ENDPOINT", Server.ManagedIdentityEndpoint.AbsoluteUri);
        Environment.SetEnvironmentVariable("IDENTITY_HEADER", Server.IdentityHeader);
    }

    public async Task DisposeAsync()
    {
        Environment.SetEnvironmentVariable("IDENTITY_ENDPOINT", _savedEndpoint);
        Environment.SetEnvironmentVariable("IDENTITY_HEADER", _savedHeader);
        await Server.DisposeAsync();
    }
}

/// <summary>
/// Tokens for managed identity definitions through Azure.Identity against the loopback App Service endpoint, and
/// each way the endpoint can fail. Every test asks for its own resource: MSAL keeps managed identity tokens in a
/// process-wide cache of its own, keyed by identity and resource.
/// </summary>
public sealed class ManagedIdentityTokenClientTests : IClassFixture<ManagedIdentityFixture>, IDisposable
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(10);
    private readonly ManagedIdentityFixture _fixture;
    private readonly string _resource = $"https://fhir-{Guid.NewGuid():N}.fhir.azurehealthcareapis.com";

    public ManagedIdentityTokenClientTests(ManagedIdentityFixture fixture) => _fixture = fixture;

    private FhirTestServer Server => _fixture.Server;

    public void Dispose()
    {
        Server.ManagedIdentityFailureStatus = null;
        Environment.SetEnvironmentVariable("IDENTITY_ENDPOINT", Server.ManagedIdentityEndpoint.AbsoluteUri);
        Environment.SetEnvironmentVariable("IDENTITY_HEADER", Server.IdentityHeader);
    }

    private OAuthDefinition Identity(string clientId = "") => new()
    {
        Name = "mi",
        ClientId = clientId,
        ClientAuthentication = OAuthClientAuthentication.ManagedIdentity,
        Scopes = [_resource + "/.default"],
    };

    private Task<AccessToken> RequestAsync(OAuthDefinition oauth, AccessToken? replacing = null)
        => TokenClient.RequestAsync(
            oauth, _fixture.Http, _fixture.Tls, TimeProvider.System, Timeout, CancellationToken.None,
            replacing: replacing);

    private ManagedIdentityRequestRecord[] RequestsForThisTest()
        => Server.ManagedIdentityRequests.Where(r => r.Resource == _resource).ToArray();

    [Fact]
    public async Task The_system_assigned_identity_gets_a_token_from_the_App_Service_endpoint()
    {
        DateTimeOffset before = DateTimeOffset.UtcNow;

        AccessToken token = await RequestAsync(Identity());

        ManagedIdentityRequestRecord request = Assert.Single(RequestsForThisTest());
        Assert.Equal(("2019-08-01", (string?)null, true), (request.ApiVersion, request.ClientId, request.HeaderMatched));
        Assert.Contains(token.Value.Reveal(), Server.IssuedTokenValues);
        Assert.InRange(token.ExpiresAt, before + Server.TokenLifetime - TimeSpan.FromSeconds(5), before + Server.TokenLifetime + TimeSpan.FromSeconds(60));
    }

    [Fact]
    public async Task A_user_assigned_identity_is_asked_for_by_its_client_id()
    {
        await RequestAsync(Identity(FhirTestServerOptions.UserAssignedClientId));

        Assert.Equal(FhirTestServerOptions.UserAssignedClientId, Assert.Single(RequestsForThisTest()).ClientId);
    }

    [Fact]
    public async Task A_replaced_token_is_fetched_from_the_endpoint_again_not_from_MSALs_cache()
    {
        AccessToken first = await RequestAsync(Identity());

        AccessToken second = await RequestAsync(Identity(), replacing: first);

        Assert.NotEqual(first.Value.Reveal(), second.Value.Reveal());
        Assert.Equal(2, RequestsForThisTest().Length);
    }

    [Fact]
    public async Task An_unknown_user_assigned_identity_is_ManagedIdentityNotFound_in_the_endpoints_words()
    {
        var ex = await Assert.ThrowsAsync<FhirSecurityException>(() => RequestAsync(Identity("0b0b0b0b-1111-2222-3333-444444444444")));

        Assert.Equal((ErrorIds.ManagedIdentityNotFound, FailureCategory.ObjectNotFound), (ex.ErrorId, ex.Category));
        Assert.Contains("No User Assigned or Delegated Managed Identity found", ex.Message);
        Assert.Equal(400, ex.StatusCode);
    }

    [Fact]
    public async Task A_closed_endpoint_is_ManagedIdentityUnavailable_at_once()
    {
        int port = LoopbackPorts.Closed();
        Environment.SetEnvironmentVariable("IDENTITY_ENDPOINT", $"http://127.0.0.1:{port}/msi/token");
        var watch = System.Diagnostics.Stopwatch.StartNew();

        var ex = await Assert.ThrowsAsync<FhirSecurityException>(() => RequestAsync(Identity()));

        Assert.Equal((ErrorIds.ManagedIdentityUnavailable, FailureCategory.ResourceUnavailable), (ex.ErrorId, ex.Category));
        Assert.Contains("not running in Azure, or the identity is not enabled", ex.Message);
        // Azure.Core's own retries (six tries, about half a minute) are off: the module's cache decides.
        Assert.True(watch.Elapsed < TimeSpan.FromSeconds(8), $"took {watch.Elapsed}");
    }

    [Theory]
    [InlineData(500, FailureCategory.ResourceUnavailable)]
    [InlineData(403, FailureCategory.AuthenticationError)]
    public async Task Other_answers_are_ManagedIdentityRequestFailed_with_the_status(int status, FailureCategory category)
    {
        Server.ManagedIdentityFailureStatus = status;

        var ex = await Assert.ThrowsAsync<FhirSecurityException>(() => RequestAsync(Identity()));

        Assert.Equal((ErrorIds.ManagedIdentityRequestFailed, category, status), (ex.ErrorId, ex.Category, ex.StatusCode));
        Assert.Contains("test fault", ex.Message);
    }

    [Fact]
    public async Task An_endpoint_that_echoes_a_wrong_identity_header_does_not_put_it_in_the_error()
    {
        string canary = "idh-canary-" + Guid.NewGuid().ToString("N");
        Environment.SetEnvironmentVariable("IDENTITY_HEADER", canary);

        var ex = await Assert.ThrowsAsync<FhirSecurityException>(() => RequestAsync(Identity()));

        Assert.Equal(ErrorIds.ManagedIdentityRequestFailed, ex.ErrorId);
        Assert.Equal(401, ex.StatusCode);
        Assert.DoesNotContain(canary, ex.ToString());
        Assert.Contains(SecretsRedacted, ex.Message);
    }

    private const string SecretsRedacted = "********";
}
