using System.Net;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using FhirSecurity.Core.Auth;
using FhirSecurity.Core.Definitions;
using FhirSecurity.Core.Errors;
using FhirSecurity.Core.Http;
using FhirSecurity.Core.Tests.Fakes;
using FhirSecurity.TestServer;
using Xunit;

namespace FhirSecurity.Core.Tests.Auth;

/// <summary>
/// private_key_jwt against the test server's token endpoint, which verifies assertions with the registered JWKS: the
/// engine's assertions pass, and the server refuses what a strict SMART server refuses.
/// </summary>
public sealed class PrivateKeyJwtTests : IClassFixture<TokenServerFixture>, IDisposable
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(10);
    private readonly TokenServerFixture _fixture;

    public PrivateKeyJwtTests(TokenServerFixture fixture) => _fixture = fixture;

    private FhirTestServer Server => _fixture.Server;

    public void Dispose() => Server.Faults.Clear();

    private Task<AccessToken> RequestAsync(OAuthDefinition oauth, RetryPolicy? retry = null, TimeProvider? clock = null)
        => TokenClient.RequestAsync(oauth, _fixture.Http, _fixture.Tls, clock ?? TimeProvider.System, Timeout, CancellationToken.None, retry);

    [Theory]
    [InlineData(JwtSigningAlgorithm.RS384)]
    [InlineData(JwtSigningAlgorithm.ES384)]
    public async Task The_server_verifies_the_assertion_and_issues_a_token(JwtSigningAlgorithm algorithm)
    {
        AccessToken token = await RequestAsync(TestKeys.KeyOAuth(algorithm, Server.TokenEndpoint));

        TokenRequestRecord request = Server.LastTokenRequest!;
        Assert.Equal("private_key_jwt", request.ClientAuthMethod);
        Assert.Equal(ClientAssertion.AssertionType, request.ClientAssertionType);
        Assert.DoesNotContain("client_secret", request.FieldNames);
        Assert.Equal(algorithm.ToString(), (string?)request.AssertionHeader!["alg"]);
        Assert.Null(Server.ReceivedAssertions[^1].Rejection);
        Assert.False(token.Value.IsEmpty);
    }

    [Fact]
    public async Task Every_attempt_signs_a_new_assertion_so_a_retry_is_not_a_reused_jti()
    {
        int before = Server.ReceivedAssertions.Count;
        Server.Faults.EnqueueStatus("/oauth/token", 503);

        await RequestAsync(TestKeys.KeyOAuth(JwtSigningAlgorithm.ES384, Server.TokenEndpoint), new RetryPolicy(2, TimeSpan.FromMilliseconds(10), false));

        // The fault answers before the token endpoint reads the form: only the retry's assertion arrives, and it passes.
        Assert.Equal(before + 1, Server.ReceivedAssertions.Count);
        Assert.Null(Server.ReceivedAssertions[^1].Rejection);
    }

    [Fact]
    public async Task A_wrong_aud_is_refused_and_the_error_holds_neither_the_assertion_nor_its_signature()
    {
        // The same endpoint under another URL: the request arrives, the aud claim names the other URL.
        var other = new Uri(Server.TokenEndpoint.AbsoluteUri + "?tenant=x");

        FhirSecurityException error = await Assert.ThrowsAsync<FhirSecurityException>(() => RequestAsync(TestKeys.KeyOAuth(JwtSigningAlgorithm.RS384, other)));

        Assert.Equal(ErrorIds.OAuthTokenRequestFailed, error.ErrorId);
        Assert.Equal("invalid_client", error.RemoteError);
        Assert.Equal(400, error.StatusCode);
        Assert.Contains("aud", error.Message, StringComparison.Ordinal);
        string raw = Server.ReceivedAssertions[^1].Raw;
        Assert.DoesNotContain(raw, error.ToString(), StringComparison.Ordinal);
        Assert.DoesNotContain(raw[(raw.LastIndexOf('.') + 1)..], error.ToString(), StringComparison.Ordinal);
    }

    public static TheoryData<string, string> Refusals() => new()
    {
        { "expired", "expired" },
        { "far exp", "more than 5 minutes" },
        { "wrong iss", "iss" },
        { "wrong sub", "sub" },
        { "unknown kid", "kid" },
        { "bad signature", "signature" },
        { "alg of the other key", "alg" },
    };

    [Theory]
    [MemberData(nameof(Refusals))]
    public async Task The_server_refuses_what_a_strict_SMART_server_refuses(string fault, string reason)
    {
        long now = DateTimeOffset.UtcNow.ToUnixTimeSeconds();
        var header = new JsonObject { ["alg"] = "RS384", ["kid"] = "rsa-kid-1", ["typ"] = "JWT" };
        var claims = new JsonObject
        {
            ["iss"] = "backend-client", ["sub"] = "backend-client", ["aud"] = Server.TokenEndpoint.AbsoluteUri,
            ["exp"] = now + 200, ["iat"] = now, ["jti"] = Guid.NewGuid().ToString("N"),
        };
        RSA signer = TestKeys.Rsa3072;
        switch (fault)
        {
            case "expired": claims["exp"] = now - 5; break;
            case "far exp": claims["exp"] = now + 600; break;
            case "wrong iss": claims["iss"] = "nobody"; break;
            case "wrong sub": claims["sub"] = "nobody"; break;
            case "unknown kid": header["kid"] = "no-such-kid"; break;
            case "bad signature": signer = RSA.Create(2048); break;
            case "alg of the other key": header["kid"] = "ec-kid-1"; break;
        }

        (HttpStatusCode status, string body) = await PostAsync(Sign(header, claims, signer));

        Assert.Equal(HttpStatusCode.BadRequest, status);
        JsonObject answer = JsonNode.Parse(body)!.AsObject();
        Assert.Equal("invalid_client", (string?)answer["error"]);
        Assert.Contains(reason, (string?)answer["error_description"], StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_server_refuses_a_reused_jti()
    {
        string assertion = ClientAssertion.Create(TestKeys.KeyOAuth(JwtSigningAlgorithm.ES384, Server.TokenEndpoint), DateTimeOffset.UtcNow);

        (HttpStatusCode first, _) = await PostAsync(assertion);
        (HttpStatusCode second, string body) = await PostAsync(assertion);

        Assert.Equal(HttpStatusCode.OK, first);
        Assert.Equal(HttpStatusCode.BadRequest, second);
        Assert.Contains("jti was already used", body, StringComparison.Ordinal);
    }

    private async Task<(HttpStatusCode Status, string Body)> PostAsync(string assertion)
    {
        using var content = new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["grant_type"] = "client_credentials",
            ["client_assertion_type"] = ClientAssertion.AssertionType,
            ["client_assertion"] = assertion,
        });
        using HttpResponseMessage response = await _fixture.Http.PostAsync(Server.TokenEndpoint, content);
        return (response.StatusCode, await response.Content.ReadAsStringAsync());
    }

    private static string Sign(JsonObject header, JsonObject claims, RSA key)
    {
        string input = ClientAssertion.Base64Url(Encoding.UTF8.GetBytes(header.ToJsonString())) + "." + ClientAssertion.Base64Url(Encoding.UTF8.GetBytes(claims.ToJsonString()));
        return input + "." + ClientAssertion.Base64Url(key.SignData(Encoding.ASCII.GetBytes(input), HashAlgorithmName.SHA384, RSASignaturePadding.Pkcs1));
    }
}
