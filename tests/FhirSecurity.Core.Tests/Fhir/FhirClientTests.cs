using FhirSecurity.Core.Auth;
using FhirSecurity.Core.Fhir;
using FhirSecurity.Core.Http;
using FhirSecurity.Core.Tests.Fakes;
using FhirSecurity.TestServer;
using Xunit;

namespace FhirSecurity.Core.Tests.Fhir;

/// <summary>Two servers from one PKI: the connection's own, and another origin it must not send credentials to.</summary>
public sealed class TwoServersFixture : IAsyncLifetime
{
    public FhirTestServer Home { get; private set; } = null!;

    public FhirTestServer Elsewhere { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        Home = await FhirTestServer.StartAsync(new FhirTestServerOptions { SeedPatientCount = 3 });
        Elsewhere = await FhirTestServer.StartAsync(new FhirTestServerOptions { Pki = Home.Pki, SeedPatientCount = 3 });
    }

    public async Task DisposeAsync()
    {
        await Elsewhere.DisposeAsync();
        await Home.DisposeAsync();
    }
}

public sealed class FhirClientTests : IClassFixture<TwoServersFixture>
{
    private readonly FhirTestServer _home;
    private readonly FhirTestServer _elsewhere;
    private readonly TransportPolicy _tls;
    private readonly HandlerPool _pool = new();
    private readonly TokenCache _tokens = new(TimeProvider.System);

    public FhirClientTests(TwoServersFixture servers)
    {
        (_home, _elsewhere) = (servers.Home, servers.Elsewhere);
        _tls = ServerConnections.Trusting(_home.Pki);
    }

    private FhirClient OAuthClient() => new(ServerConnections.Resolved(_home.OAuthBase, _tls, oauth: ServerConnections.OAuth(_home)), _pool, _tokens, TimeProvider.System);

    private FhirClient BasicClient(BasicUser? user = null) => new(ServerConnections.Resolved(_home.BasicBase, _tls, basic: ServerConnections.Basic(user)), _pool, _tokens, TimeProvider.System);

    private static Task<FhirResponse> GetAsync(FhirClient client, Uri uri) => client.SendAsync(ServerConnections.Get(uri), CancellationToken.None);

    [Fact]
    public async Task ABearerTokenGoesToTheConnectionsOriginOnly()
    {
        FhirClient client = OAuthClient();

        FhirResponse home = await GetAsync(client, new Uri(_home.OAuthBase, "Patient/pat-0001"));
        string? homeScheme = _home.LastAuthorizationScheme;
        FhirResponse other = await GetAsync(client, new Uri(_elsewhere.OpenBase, "Patient/pat-0001"));

        Assert.Equal(200, home.StatusCode);
        Assert.Equal("Bearer", homeScheme);
        Assert.Equal(200, other.StatusCode);
        Assert.Null(_elsewhere.LastAuthorizationScheme);
        Assert.Equal(TokenSource.None, other.TokenSource);
    }

    [Fact]
    public async Task BasicCredentialsGoToTheConnectionsOriginOnly()
    {
        FhirClient client = BasicClient();

        FhirResponse home = await GetAsync(client, new Uri(_home.BasicBase, "Patient/pat-0001"));
        string? homeScheme = _home.LastAuthorizationScheme;
        // Same host name and scheme, other port: another origin.
        FhirResponse other = await GetAsync(client, new Uri(_elsewhere.OpenBase, "Patient/pat-0002"));

        Assert.Equal(200, home.StatusCode);
        Assert.Equal("Basic", homeScheme);
        Assert.Equal(200, other.StatusCode);
        Assert.Null(_elsewhere.LastAuthorizationScheme);
    }

    [Fact]
    public async Task ARejectedTokenIsDroppedSoTheNextRequestFetchesANewOne()
    {
        FhirClient client = OAuthClient();
        Uri patient = new(_home.OAuthBase, "Patient/pat-0001");
        FhirResponse first = await GetAsync(client, patient);
        long issued = _home.Counters.TokenRequestsSucceeded;

        _home.RevokeAllTokens();
        FhirResponse rejected = await GetAsync(client, patient);
        FhirResponse replay = await GetAsync(client, patient);

        Assert.Equal(200, first.StatusCode);
        Assert.Equal(TokenSource.New, first.TokenSource);
        Assert.Equal(401, rejected.StatusCode);
        Assert.Equal(TokenSource.Cache, rejected.TokenSource);
        Assert.Equal(200, replay.StatusCode);
        Assert.Equal(TokenSource.New, replay.TokenSource);
        Assert.Equal(issued + 1, _home.Counters.TokenRequestsSucceeded);
    }

    [Fact]
    public async Task AcceptedTokensAreReused()
    {
        FhirClient client = OAuthClient();
        Uri patient = new(_home.OAuthBase, "Patient/pat-0002");

        await GetAsync(client, patient);
        long issued = _home.Counters.TokenRequestsSucceeded;
        FhirResponse second = await GetAsync(client, patient);

        Assert.Equal(200, second.StatusCode);
        Assert.Equal(TokenSource.Cache, second.TokenSource);
        Assert.Equal(issued, _home.Counters.TokenRequestsSucceeded);
    }

    [Fact]
    public async Task TheBasicHeaderIsUtf8()
    {
        // The demo password is non-ASCII ("démo-pässwort"): Latin-1 bytes would be refused.
        FhirResponse response = await GetAsync(BasicClient(), new Uri(_home.BasicBase, "Patient/pat-0003"));

        Assert.Equal(200, response.StatusCode);
        Assert.Equal(TokenSource.None, response.TokenSource);
    }

    [Fact]
    public async Task AWrongPasswordComesBackAs401NotAnException()
    {
        FhirResponse response = await GetAsync(BasicClient(BasicUser.Demo with { Password = "wrong" }), new Uri(_home.BasicBase, "Patient/pat-0001"));

        Assert.Equal(401, response.StatusCode);
        Assert.False(response.IsSuccess);
    }

    [Fact]
    public async Task TheResponseKeepsBodyHeadersAndMediaType()
    {
        var client = new FhirClient(ServerConnections.Resolved(_home.OpenBase, _tls), _pool, _tokens, TimeProvider.System);
        var create = new FhirRequest(HttpMethod.Post, new Uri(_home.OpenBase, "Patient"), """{"resourceType":"Patient","name":[{"family":"Ångström"}]}""", new Dictionary<string, string>(), TimeSpan.FromSeconds(10));

        FhirResponse response = await client.SendAsync(create, CancellationToken.None);

        Assert.Equal(201, response.StatusCode);
        Assert.Equal("application/fhir+json", response.ContentType);
        Assert.StartsWith(_home.OpenBase + "Patient/", response.Location, StringComparison.Ordinal);
        Assert.NotNull(response.ETag);
        Assert.Contains("Ångström", response.Body, StringComparison.Ordinal);
    }
}
