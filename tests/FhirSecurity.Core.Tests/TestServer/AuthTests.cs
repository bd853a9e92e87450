using System.Net;
using System.Net.Http.Headers;
using FhirSecurity.TestServer;
using Xunit;

namespace FhirSecurity.Core.Tests.TestServer;

public sealed class AuthTests : IAsyncLifetime
{
    private static readonly OAuthClientRegistration PostOnly = new("post-only", "pö$t secret+&=", ClientAuthMethods.ClientSecretPost, ["system/Patient.read"]);
    private readonly ManualTimeProvider _clock = new(new DateTimeOffset(2030, 1, 1, 0, 0, 0, TimeSpan.Zero));
    private FhirTestServer _server = null!;
    private HttpClient _client = null!;

    public async Task InitializeAsync()
    {
        _server = await FhirTestServer.StartAsync(new FhirTestServerOptions
        {
            OAuthClients = [OAuthClientRegistration.Demo, PostOnly],
            TimeProvider = _clock,
            SeedPatientCount = 3,
        });
        _client = TestHttp.TrustingOnly(_server.Pki);
    }

    public async Task DisposeAsync()
    {
        _client.Dispose();
        await _server.DisposeAsync();
    }

    private static AuthenticationHeaderValue ClientBasic(string id, string secret) =>
        TestHttp.Basic(Uri.EscapeDataString(id), Uri.EscapeDataString(secret));

    private Task<(HttpResponseMessage Response, System.Text.Json.Nodes.JsonObject Body)> TokenAsync(AuthenticationHeaderValue? authorization, params (string Name, string Value)[] form) =>
        TestHttp.RequestTokenAsync(_client, _server, form.Select(f => KeyValuePair.Create(f.Name, f.Value)), authorization);

    private async Task<string> DemoTokenAsync()
    {
        var (response, body) = await TokenAsync(ClientBasic(OAuthClientRegistration.Demo.ClientId, OAuthClientRegistration.Demo.ClientSecret), ("grant_type", "client_credentials"));
        response.EnsureSuccessStatusCode();
        return body["access_token"]!.GetValue<string>();
    }

    [Fact]
    public async Task BasicAcceptsTheUtf8PasswordAndRejectsOthers()
    {
        var patient = new Uri(_server.BasicBase, "Patient/pat-0001");

        using var ok = await TestHttp.SendAsync(_client, HttpMethod.Get, patient, TestHttp.Basic(BasicUser.Demo.UserName, BasicUser.Demo.Password));
        using var wrong = await TestHttp.SendAsync(_client, HttpMethod.Get, patient, TestHttp.Basic(BasicUser.Demo.UserName, "wrong"));
        using var missing = await TestHttp.SendAsync(_client, HttpMethod.Get, patient);
        // Latin-1 bytes of the same password must not pass: RFC 7617 says UTF-8.
        var latin1 = new AuthenticationHeaderValue("Basic", Convert.ToBase64String(System.Text.Encoding.Latin1.GetBytes($"{BasicUser.Demo.UserName}:{BasicUser.Demo.Password}")));
        using var wrongCharset = await TestHttp.SendAsync(_client, HttpMethod.Get, patient, latin1);

        Assert.Equal(HttpStatusCode.OK, ok.StatusCode);
        Assert.Equal("Basic", _server.LastAuthorizationScheme);
        Assert.Equal(HttpStatusCode.Unauthorized, wrong.StatusCode);
        Assert.Equal("Basic", wrong.Headers.WwwAuthenticate.Single().Scheme);
        Assert.Equal(HttpStatusCode.Unauthorized, missing.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, wrongCharset.StatusCode);
    }

    [Fact]
    public async Task MetadataIsPublicButSentCredentialsMustBeRight()
    {
        using var anonymous = await _client.GetAsync(new Uri(_server.BasicBase, "metadata"));
        using var wrong = await TestHttp.SendAsync(_client, HttpMethod.Get, new Uri(_server.BasicBase, "metadata"), TestHttp.Basic("x", "y"));

        Assert.Equal(HttpStatusCode.OK, anonymous.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, wrong.StatusCode);
    }

    [Fact]
    public async Task ClientSecretBasicGetsAllAllowedScopes()
    {
        var (response, body) = await TokenAsync(ClientBasic(OAuthClientRegistration.Demo.ClientId, OAuthClientRegistration.Demo.ClientSecret), ("grant_type", "client_credentials"));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("no-store", response.Headers.CacheControl!.ToString());
        Assert.Equal("Bearer", body["token_type"]!.GetValue<string>());
        Assert.Equal(300, body["expires_in"]!.GetValue<long>());
        Assert.Equal(string.Join(' ', OAuthClientRegistration.Demo.AllowedScopes), body["scope"]!.GetValue<string>());
        Assert.Equal("client_secret_basic", _server.LastTokenRequest!.ClientAuthMethod);
        Assert.Equal(1, _server.Counters.TokenRequestsSucceeded);
    }

    [Fact]
    public async Task ClientSecretPostWithSpecialCharactersAndScopeNarrowing()
    {
        var (response, body) = await TokenAsync(null, ("grant_type", "client_credentials"), ("client_id", PostOnly.ClientId), ("client_secret", PostOnly.ClientSecret), ("scope", "system/Patient.read system/Patient.write"));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("system/Patient.read", body["scope"]!.GetValue<string>());
        var record = _server.LastTokenRequest!;
        Assert.Equal(["grant_type", "client_id", "client_secret", "scope"], record.FieldNames);
        Assert.Equal("post-only", record.ClientId);
        Assert.Equal("client_secret_post", record.ClientAuthMethod);
        Assert.DoesNotContain(PostOnly.ClientSecret, record.ToString(), StringComparison.Ordinal);
        Assert.DoesNotContain(PostOnly.ClientSecret, PostOnly.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task TokenErrorsFollowRfc6749()
    {
        var demo = OAuthClientRegistration.Demo;
        var cases = new (AuthenticationHeaderValue? Header, (string, string)[] Form, HttpStatusCode Status, string Error)[]
        {
            (ClientBasic(demo.ClientId, "wrong"), [("grant_type", "client_credentials")], HttpStatusCode.Unauthorized, "invalid_client"),
            (null, [("grant_type", "client_credentials")], HttpStatusCode.Unauthorized, "invalid_client"),
            // post-only may not use the Basic header.
            (ClientBasic(PostOnly.ClientId, PostOnly.ClientSecret), [("grant_type", "client_credentials")], HttpStatusCode.Unauthorized, "invalid_client"),
            (ClientBasic(demo.ClientId, demo.ClientSecret), [], HttpStatusCode.BadRequest, "invalid_request"),
            (ClientBasic(demo.ClientId, demo.ClientSecret), [("grant_type", "password")], HttpStatusCode.BadRequest, "unsupported_grant_type"),
            (ClientBasic(demo.ClientId, demo.ClientSecret), [("grant_type", "client_credentials"), ("scope", "user/*.*")], HttpStatusCode.BadRequest, "invalid_scope"),
            (ClientBasic(demo.ClientId, demo.ClientSecret), [("grant_type", "client_credentials"), ("client_secret", demo.ClientSecret)], HttpStatusCode.BadRequest, "invalid_request"),
        };

        foreach (var (header, form, status, error) in cases)
        {
            var (response, body) = await TokenAsync(header, form);
            Assert.Equal(status, response.StatusCode);
            Assert.Equal(error, body["error"]!.GetValue<string>());
        }

        Assert.Equal(cases.Length, _server.Counters.TokenRequests);
        Assert.Equal(0, _server.Counters.TokenRequestsSucceeded);
    }

    [Fact]
    public async Task BearerTokenWorksUntilItExpires()
    {
        var token = await DemoTokenAsync();
        var patient = new Uri(_server.OAuthBase, "Patient/pat-0001");

        using var ok = await TestHttp.SendAsync(_client, HttpMethod.Get, patient, new AuthenticationHeaderValue("Bearer", token));
        Assert.Equal(HttpStatusCode.OK, ok.StatusCode);
        Assert.Equal("Bearer", _server.LastAuthorizationScheme);

        _clock.Advance(TimeSpan.FromMinutes(5));
        using var expired = await TestHttp.SendAsync(_client, HttpMethod.Get, patient, new AuthenticationHeaderValue("Bearer", token));
        Assert.Equal(HttpStatusCode.Unauthorized, expired.StatusCode);
        var challenge = expired.Headers.WwwAuthenticate.Single();
        Assert.Equal("Bearer", challenge.Scheme);
        Assert.Contains("error=\"invalid_token\"", challenge.Parameter, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ShortRealLifetimeExpiresToo()
    {
        await using var server = await FhirTestServer.StartAsync(new FhirTestServerOptions { TokenLifetime = TimeSpan.FromMilliseconds(200), SeedPatientCount = 1 });
        using var client = TestHttp.TrustingOnly(server.Pki);
        var token = server.IssueAccessToken();
        var patient = new Uri(server.OAuthBase, "Patient/pat-0001");

        using var ok = await TestHttp.SendAsync(client, HttpMethod.Get, patient, new AuthenticationHeaderValue("Bearer", token));
        await Task.Delay(300);
        using var expired = await TestHttp.SendAsync(client, HttpMethod.Get, patient, new AuthenticationHeaderValue("Bearer", token));

        Assert.Equal(HttpStatusCode.OK, ok.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, expired.StatusCode);
    }

    [Fact]
    public async Task MissingUnknownAndRevokedTokensGet401()
    {
        var token = await DemoTokenAsync();
        var patient = new Uri(_server.OAuthBase, "Patient/pat-0001");

        using var missing = await TestHttp.SendAsync(_client, HttpMethod.Get, patient);
        using var basic = await TestHttp.SendAsync(_client, HttpMethod.Get, patient, TestHttp.Basic(BasicUser.Demo.UserName, BasicUser.Demo.Password));
        using var unknown = await TestHttp.SendAsync(_client, HttpMethod.Get, patient, new AuthenticationHeaderValue("Bearer", "made-up"));
        _server.RevokeAllTokens();
        using var revoked = await TestHttp.SendAsync(_client, HttpMethod.Get, patient, new AuthenticationHeaderValue("Bearer", token));

        Assert.Equal(HttpStatusCode.Unauthorized, missing.StatusCode);
        // RFC 6750 3.1: no error code when no token was sent.
        Assert.DoesNotContain("error=", missing.Headers.WwwAuthenticate.Single().Parameter ?? string.Empty, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.Unauthorized, basic.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, unknown.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, revoked.StatusCode);
        Assert.Contains("invalid_token", revoked.Headers.WwwAuthenticate.Single().Parameter, StringComparison.Ordinal);
    }

    [Fact]
    public async Task SmartConfigurationNamesTheTokenEndpoint()
    {
        using var response = await _client.GetAsync(_server.SmartConfigurationUri);
        var body = await TestHttp.ReadJsonAsync(response);

        Assert.Equal(_server.TokenEndpoint.ToString(), body["token_endpoint"]!.GetValue<string>());
    }
}
