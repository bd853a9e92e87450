using System.Security.Cryptography;
using System.Text.Json.Nodes;

namespace FhirSecurity.TestServer;

/// <summary>
/// JWKS documents (RFC 7517) from public keys, the way a client registers its keys with a SMART server, and back:
/// RSA keys as <c>kty=RSA</c> with <c>n</c>/<c>e</c>, EC keys as <c>kty=EC</c> with <c>crv</c>/<c>x</c>/<c>y</c>.
/// </summary>
public static class TestJwks
{
    /// <summary>A JWKS with one entry per key: its kid and the algorithm it signs with (RS384 for RSA, ES384 for EC).</summary>
    public static string Of(params (AsymmetricAlgorithm Key, string KeyId)[] keys)
        => new JsonObject { ["keys"] = new JsonArray([.. keys.Select(k => (JsonNode?)Entry(k.Key, k.KeyId))]) }.ToJsonString();

    /// <summary>One JWK of the public part of <paramref name="key"/>.</summary>
    public static JsonObject Entry(AsymmetricAlgorithm key, string keyId)
    {
        switch (key)
        {
            case RSA rsa:
                RSAParameters p = rsa.ExportParameters(false);
                return new JsonObject { ["kty"] = "RSA", ["kid"] = keyId, ["alg"] = "RS384", ["use"] = "sig", ["n"] = Base64Url(p.Modulus!), ["e"] = Base64Url(p.Exponent!) };
            case ECDsa ec:
                ECParameters q = ec.ExportParameters(false);
                string crv = ec.KeySize switch { 256 => "P-256", 384 => "P-384", _ => "P-521" };
                return new JsonObject { ["kty"] = "EC", ["kid"] = keyId, ["alg"] = "ES384", ["use"] = "sig", ["crv"] = crv, ["x"] = Base64Url(q.Q.X!), ["y"] = Base64Url(q.Q.Y!) };
            default:
                throw new ArgumentException("Only RSA and EC keys.", nameof(key));
        }
    }

    /// <summary>The verification key for <paramref name="keyId"/> in a JWKS document, or null.</summary>
    internal static (AsymmetricAlgorithm Key, string? Algorithm)? Find(string jwks, string keyId)
    {
        if (JsonNode.Parse(jwks)?["keys"] is not JsonArray entries)
        {
            return null;
        }

        foreach (JsonObject entry in entries.OfType<JsonObject>())
        {
            if ((string?)entry["kid"] != keyId)
            {
                continue;
            }

            string? alg = (string?)entry["alg"];
            if ((string?)entry["kty"] == "RSA")
            {
                var rsa = RSA.Create();
                rsa.ImportParameters(new RSAParameters { Modulus = FromBase64Url((string)entry["n"]!), Exponent = FromBase64Url((string)entry["e"]!) });
                return (rsa, alg);
            }

            ECCurve curve = (string?)entry["crv"] switch
            {
                "P-256" => ECCurve.NamedCurves.nistP256,
                "P-384" => ECCurve.NamedCurves.nistP384,
                _ => ECCurve.NamedCurves.nistP521,
            };
            var ec = ECDsa.Create(new ECParameters { Curve = curve, Q = new ECPoint { X = FromBase64Url((string)entry["x"]!), Y = FromBase64Url((string)entry["y"]!) } });
            return (ec, alg);
        }

        return null;
    }

    internal static string Base64Url(byte[] bytes) => Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');

    internal static byte[] FromBase64Url(string text)
    {
        string padded = text.Replace('-', '+').Replace('_', '/');
        return Convert.FromBase64String(padded + new string('=', (4 - (padded.Length % 4)) % 4));
    }
}
