using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using FhirSecurity.Core.Auth;
using FhirSecurity.Core.Definitions;
using FhirSecurity.Core.Tests.Fakes;
using Xunit;

namespace FhirSecurity.Core.Tests.Auth;

/// <summary>The assertion is decoded and verified here with the public key alone, as a server would.</summary>
public sealed class ClientAssertionTests
{
    private static readonly DateTimeOffset Now = new(2026, 3, 1, 12, 0, 0, TimeSpan.Zero);

    [Theory]
    [InlineData(JwtSigningAlgorithm.RS384)]
    [InlineData(JwtSigningAlgorithm.ES384)]
    public void Header_claims_and_signature_follow_SMART_Backend_Services(JwtSigningAlgorithm algorithm)
    {
        OAuthDefinition oauth = TestKeys.KeyOAuth(algorithm, jwksUrl: new Uri("https://client.example.org/.well-known/jwks.json"));

        string jwt = ClientAssertion.Create(oauth, Now);

        string[] parts = jwt.Split('.');
        Assert.Equal(3, parts.Length);
        Assert.All(parts, p => Assert.DoesNotContain('=', p));
        JsonObject header = Decode(parts[0]);
        JsonObject claims = Decode(parts[1]);
        Assert.Equal(algorithm.ToString(), (string?)header["alg"]);
        Assert.Equal(oauth.KeyId, (string?)header["kid"]);
        Assert.Equal("JWT", (string?)header["typ"]);
        Assert.Equal("https://client.example.org/.well-known/jwks.json", (string?)header["jku"]);
        Assert.Equal("backend-client", (string?)claims["iss"]);
        Assert.Equal("backend-client", (string?)claims["sub"]);
        Assert.Equal("https://auth.example.org/token", (string?)claims["aud"]);
        Assert.Equal(Now.ToUnixTimeSeconds(), (long)claims["iat"]!);
        long exp = (long)claims["exp"]!;
        Assert.InRange(exp - Now.ToUnixTimeSeconds(), 60, 300);
        Assert.Equal(16, Base64Url((string)claims["jti"]!).Length);

        byte[] signed = Encoding.ASCII.GetBytes(parts[0] + "." + parts[1]);
        byte[] signature = Base64Url(parts[2]);
        if (algorithm == JwtSigningAlgorithm.RS384)
        {
            using RSA publicKey = RSA.Create(TestKeys.Rsa3072.ExportParameters(false));
            Assert.True(publicKey.VerifyData(signed, signature, HashAlgorithmName.SHA384, RSASignaturePadding.Pkcs1));
        }
        else
        {
            using ECDsa publicKey = ECDsa.Create(TestKeys.P384.ExportParameters(false));
            Assert.Equal(96, signature.Length); // r||s, 48 bytes each: the JWS form, not DER
            Assert.True(publicKey.VerifyData(signed, signature, HashAlgorithmName.SHA384, DSASignatureFormat.IeeeP1363FixedFieldConcatenation));
        }
    }

    [Fact]
    public void No_jku_without_a_JWKS_URL_and_a_new_jti_every_time()
    {
        OAuthDefinition oauth = TestKeys.KeyOAuth(JwtSigningAlgorithm.ES384);

        string[] jwts = Enumerable.Range(0, 50).Select(_ => ClientAssertion.Create(oauth, Now)).ToArray();

        Assert.Null(Decode(jwts[0].Split('.')[0])["jku"]);
        Assert.Equal(50, jwts.Select(j => (string)Decode(j.Split('.')[1])["jti"]!).Distinct().Count());
    }

    [Fact]
    public void A_tampered_assertion_does_not_verify()
    {
        string jwt = ClientAssertion.Create(TestKeys.KeyOAuth(JwtSigningAlgorithm.RS384), Now);
        string[] parts = jwt.Split('.');
        JsonObject claims = Decode(parts[1]);
        claims["sub"] = "someone-else";
        string forged = ClientAssertion.Base64Url(Encoding.UTF8.GetBytes(claims.ToJsonString()));

        using RSA publicKey = RSA.Create(TestKeys.Rsa3072.ExportParameters(false));
        Assert.False(publicKey.VerifyData(Encoding.ASCII.GetBytes(parts[0] + "." + forged), Base64Url(parts[2]), HashAlgorithmName.SHA384, RSASignaturePadding.Pkcs1));
    }

    [Theory]
    [InlineData(new[] { "a", "b" }, "a b", new string[0])]
    [InlineData(new[] { "a", "b", "c" }, "a", new[] { "b", "c" })]
    [InlineData(new[] { "system/Patient.rs" }, "system/*.rs", new[] { "system/Patient.rs" })]
    [InlineData(new[] { "A" }, "a", new[] { "A" })]
    [InlineData(new[] { "a" }, null, new string[0])]
    [InlineData(new string[0], "a", new string[0])]
    public void Missing_scopes_are_compared_exactly_and_none_when_the_server_says_nothing(string[] requested, string? granted, string[] missing)
        => Assert.Equal(missing, TokenClient.MissingScopes(requested, granted));

    private static JsonObject Decode(string part) => JsonNode.Parse(Base64Url(part))!.AsObject();

    private static byte[] Base64Url(string text)
    {
        string padded = text.Replace('-', '+').Replace('_', '/');
        return Convert.FromBase64String(padded + new string('=', (4 - (padded.Length % 4)) % 4));
    }
}
