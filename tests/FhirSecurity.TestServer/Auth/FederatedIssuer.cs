using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;

namespace FhirSecurity.TestServer;

/// <summary>
/// The test's stand-in for a platform that signs workload assertions (a Kubernetes cluster's service account issuer,
/// a CI system's OIDC provider): an RSA key made for each server and RS256 JWTs signed with it. Tests write them to
/// the file a definition names, as the platform would.
/// </summary>
public sealed class FederatedIssuer
{
    /// <summary>The issuer URL in every assertion (an <c>.invalid</c> name: nothing ever fetches it).</summary>
    public const string IssuerUrl = "https://oidc.fhir-test.invalid/cluster";

    /// <summary>The key id in every assertion's header.</summary>
    public const string KeyId = "cluster-key-1";

    private readonly RSA _key = RSA.Create(2048);

    /// <summary>
    /// An assertion for <paramref name="credential"/>'s subject and audience (or the ones given instead), issued at
    /// <paramref name="now"/> and valid for <paramref name="lifetime"/> (negative: already expired).
    /// </summary>
    public string Sign(FederatedCredential credential, DateTimeOffset now, TimeSpan lifetime, string? subject = null, string? audience = null, string? issuer = null)
    {
        var header = new JsonObject { ["alg"] = "RS256", ["typ"] = "JWT", ["kid"] = KeyId };
        var claims = new JsonObject
        {
            ["iss"] = issuer ?? credential.Issuer,
            ["sub"] = subject ?? credential.Subject,
            ["aud"] = audience ?? credential.Audience,
            ["iat"] = now.ToUnixTimeSeconds(),
            ["nbf"] = now.ToUnixTimeSeconds(),
            ["exp"] = (now + lifetime).ToUnixTimeSeconds(),
            ["jti"] = Guid.NewGuid().ToString("N"),
        };
        string signed = TestJwks.Base64Url(Encoding.UTF8.GetBytes(header.ToJsonString())) + "."
            + TestJwks.Base64Url(Encoding.UTF8.GetBytes(claims.ToJsonString()));
        byte[] signature = _key.SignData(Encoding.ASCII.GetBytes(signed), HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        return signed + "." + TestJwks.Base64Url(signature);
    }

    /// <summary>True when <paramref name="signature"/> is this issuer's RS256 signature of <paramref name="signed"/>.</summary>
    internal bool Verifies(byte[] signed, byte[] signature)
        => _key.VerifyData(signed, signature, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
}
