using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using FhirSecurity.Core.Auth;
using FhirSecurity.Core.Definitions;
using FhirSecurity.Core.Errors;
using FhirSecurity.Core.Http;
using FhirSecurity.Core.Tests.Fakes;
using FhirSecurity.TestServer;
using Xunit;

namespace FhirSecurity.Core.Tests.Auth;

/// <summary>One server for the class: tests run one at a time within it and reset what they change.</summary>
public sealed class TokenServerFixture : IAsyncLifetime
{
    /// <summary>Characters RFC 6749 2.3.1 form-encoding must survive: ':' '%' '+' ' ' and non-ASCII.</summary>
    public static readonly OAuthClientRegistration Special = new("client:special é", "a:b%c+d é", ClientAuthMethods.All, ["system/Patient.read"]);

    /// <summary>A SMART Backend Services client: the public halves of <see cref="TestKeys"/> registered as its JWKS.</summary>
    public static readonly OAuthClientRegistration Backend = new("backend-client", "unused", ClientAuthMethods.PrivateKeyJwt, ["system/Patient.read"])
    {
        Jwks = TestJwks.Of((TestKeys.Rsa3072, "rsa-kid-1"), (TestKeys.P384, "ec-kid-1")),
    };

    public FhirTestServer Server { get; private set; } = null!;

    public TransportPolicy Tls { get; private set; } = null!;

    public HttpClient Http { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        Server = await FhirTestServer.StartAsync(new FhirTestServerOptions
        {
            SeedPatientCount = 1,
            OAuthClients = [OAuthClientRegistration.Demo, Special, Backend],
        });
        Tls = ServerConnections.Trusting(Server.Pki);
        Http = new HandlerPool().GetClient(Tls).Http;
    }

    public async Task DisposeAsync() => await Server.DisposeAsync();
}

public sealed class TokenClientTests : IClassFixture<TokenServerFixture>, IDisposable
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(10);
    private readonly TokenServerFixture _fixture;

    public TokenClientTests(TokenServerFixture fixture) => _fixture = fixture;

    private FhirTestServer Server => _fixture.Server;

    public void Dispose()
    {
        Server.Faults.Clear();
        Server.TokenLifetime = TimeSpan.FromMinutes(5);
    }

    private Task<AccessToken> RequestAsync(OAuthDefinition oauth, TimeSpan? timeout = null)
        => TokenClient.RequestAsync(oauth, _fixture.Http, _fixture.Tls, TimeProvider.System, timeout ?? Timeout, CancellationToken.None);

    [Theory]
    [InlineData(OAuthClientAuthentication.ClientSecretBasic, "client_secret_basic")]
    [InlineData(OAuthClientAuthentication.ClientSecretPost, "client_secret_post")]
    public async Task ClientSecretMethodsGetAToken(OAuthClientAuthentication method, string wireName)
    {
        AccessToken token = await RequestAsync(ServerConnections.OAuth(Server, method, scopes: ["system/Patient.read", "system/*.read"]));

        TokenRequestRecord request = Server.LastTokenRequest!;
        Assert.Equal(wireName, request.ClientAuthMethod);
        Assert.Equal(OAuthClientRegistration.Demo.ClientId, request.ClientId);
        Assert.Equal("client_credentials", request.GrantType);
        Assert.Equal("system/Patient.read system/*.read", request.Scope);
        Assert.Equal("system/Patient.read system/*.read", token.GrantedScope);
        Assert.False(token.Value.IsEmpty);
    }

    [Fact]
    public async Task ClientSecretBasicFormEncodesIdAndSecret()
    {
        OAuthDefinition oauth = ServerConnections.OAuth(Server, OAuthClientAuthentication.ClientSecretBasic, TokenServerFixture.Special.ClientId, TokenServerFixture.Special.ClientSecret);

        AccessToken token = await RequestAsync(oauth);

        Assert.Equal("client_secret_basic", Server.LastTokenRequest!.ClientAuthMethod);
        Assert.Equal(TokenServerFixture.Special.ClientId, Server.LastTokenRequest.ClientId);
        Assert.False(token.Value.IsEmpty);
    }

    [Fact]
    public async Task ClientSecretPostCarriesSpecialCharactersToo()
    {
        OAuthDefinition oauth = ServerConnections.OAuth(Server, OAuthClientAuthentication.ClientSecretPost, TokenServerFixture.Special.ClientId, TokenServerFixture.Special.ClientSecret);

        AccessToken token = await RequestAsync(oauth);

        Assert.Equal("client_secret_post", Server.LastTokenRequest!.ClientAuthMethod);
        Assert.False(token.Value.IsEmpty);
    }

    [Theory]
    [InlineData(OAuthClientAuthentication.ClientSecretBasic)]
    [InlineData(OAuthClientAuthentication.ClientSecretPost)]
    public async Task AWrongSecretIsInvalidClientAndTheMessageHoldsNoSecret(OAuthClientAuthentication method)
    {
        const string wrong = "wrong-secret-5c2e";

        FhirSecurityException error = await Assert.ThrowsAsync<FhirSecurityException>(() => RequestAsync(ServerConnections.OAuth(Server, method, secret: wrong)));

        Assert.Equal(ErrorIds.OAuthTokenRequestFailed, error.ErrorId);
        Assert.Equal(FailureCategory.AuthenticationError, error.Category);
        Assert.Equal("invalid_client", error.RemoteError);
        Assert.Equal(401, error.StatusCode);
        Assert.Contains("invalid_client", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(wrong, error.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task AnUnavailableTokenEndpointKeepsItsStatus()
    {
        Server.Faults.EnqueueStatus(TokenEndpointPath, 503);

        FhirSecurityException error = await Assert.ThrowsAsync<FhirSecurityException>(() => RequestAsync(ServerConnections.OAuth(Server)));

        Assert.Equal(ErrorIds.OAuthTokenRequestFailed, error.ErrorId);
        Assert.Equal(503, error.StatusCode);
        Assert.Equal(FailureCategory.ResourceUnavailable, error.Category);
        Assert.Equal("temporarily_unavailable", error.RemoteError);
    }

    [Fact]
    public async Task AGatewayPageInsteadOfAnOAuthErrorIsQuotedByItsTitleWithoutTheSecret()
    {
        OAuthDefinition oauth = ServerConnections.OAuth(Server);
        string secret = oauth.ClientSecret!.Reveal();
        Server.Faults.Enqueue(TokenEndpointPath, Fault.Page(400, "text/html", $"<html><head><title>400 Bad Request</title></head><body>client_secret={secret} {secret}</body></html>"));

        FhirSecurityException error = await Assert.ThrowsAsync<FhirSecurityException>(() => RequestAsync(oauth));

        Assert.Equal(ErrorIds.OAuthTokenRequestFailed, error.ErrorId);
        Assert.Equal(400, error.StatusCode);
        Assert.Null(error.RemoteError);
        Assert.Contains("HTTP 400; the server said \"400 Bad Request\"", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(secret, error.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task ATokenResponseThatIsNotJsonIsInvalid()
    {
        Server.Faults.Enqueue(TokenEndpointPath, Fault.InvalidJson());

        FhirSecurityException error = await Assert.ThrowsAsync<FhirSecurityException>(() => RequestAsync(ServerConnections.OAuth(Server)));

        Assert.Equal(ErrorIds.OAuthTokenResponseInvalid, error.ErrorId);
        Assert.Equal(FailureCategory.ProtocolError, error.Category);
        Assert.Contains("not JSON", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ATokenResponseWithoutAccessTokenIsInvalid()
    {
        Server.Faults.Enqueue(TokenEndpointPath, Fault.MissingAccessToken());

        FhirSecurityException error = await Assert.ThrowsAsync<FhirSecurityException>(() => RequestAsync(ServerConnections.OAuth(Server)));

        Assert.Equal(ErrorIds.OAuthTokenResponseInvalid, error.ErrorId);
        Assert.Contains("access_token", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ASlowTokenEndpointTimesOutWithinTheTimeout()
    {
        Server.Faults.Enqueue(TokenEndpointPath, Fault.Slow(TimeSpan.FromSeconds(5)));
        var timeout = TimeSpan.FromMilliseconds(500);
        var watch = Stopwatch.StartNew();

        FhirSecurityException error = await Assert.ThrowsAsync<FhirSecurityException>(() => RequestAsync(ServerConnections.OAuth(Server), timeout));

        Assert.Equal(ErrorIds.OAuthTokenTimeout, error.ErrorId);
        Assert.Equal(FailureCategory.OperationTimeout, error.Category);
        Assert.InRange(watch.Elapsed, timeout, TimeSpan.FromSeconds(3));
    }

    [Fact]
    public async Task ACallerCancellationIsNotReportedAsATimeout()
    {
        Server.Faults.Enqueue(TokenEndpointPath, Fault.Slow(TimeSpan.FromSeconds(5)));
        using var stop = new CancellationTokenSource(TimeSpan.FromMilliseconds(300));

        // Ctrl+C in PowerShell: the pipeline stops, it does not get a timeout error.
        await Assert.ThrowsAnyAsync<OperationCanceledException>(
            () => TokenClient.RequestAsync(ServerConnections.OAuth(Server), _fixture.Http, _fixture.Tls, TimeProvider.System, Timeout, stop.Token));
    }

    [Fact]
    public async Task AClosedPortIsUnreachable()
    {
        var tokenUrl = new Uri($"https://127.0.0.1:{ClosedPort()}/oauth/token");

        FhirSecurityException error = await Assert.ThrowsAsync<FhirSecurityException>(() => RequestAsync(ServerConnections.OAuth(Server, tokenUrl: tokenUrl)));

        Assert.Equal(ErrorIds.OAuthTokenEndpointUnreachable, error.ErrorId);
        Assert.Equal(FailureCategory.ConnectionError, error.Category);
        Assert.Contains(tokenUrl.GetLeftPart(UriPartial.Authority), error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ExpiresInSetsTheLifetime()
    {
        Server.TokenLifetime = TimeSpan.FromSeconds(123);

        AccessToken token = await RequestAsync(ServerConnections.OAuth(Server));

        Assert.Equal(TimeSpan.FromSeconds(123), token.ExpiresAt - token.IssuedAt);
        Assert.InRange(token.IssuedAt, DateTimeOffset.UtcNow.AddSeconds(-10), DateTimeOffset.UtcNow);
    }

    private static string TokenEndpointPath => "/oauth/token";

    /// <summary>A port nothing listens on: bound once by the OS, then released.</summary>
    internal static int ClosedPort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        int port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        return port;
    }
}
