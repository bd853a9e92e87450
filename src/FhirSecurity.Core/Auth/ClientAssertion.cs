using System.Buffers;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using FhirSecurity.Core.Definitions;

namespace FhirSecurity.Core.Auth;

/// <summary>
/// The signed JWT a <c>private_key_jwt</c> client sends instead of a secret (RFC 7523 2.2, SMART Backend Services):
/// header <c>alg</c>, <c>kid</c>, <c>typ=JWT</c> and <c>jku</c> when the definition has a JWKS URL; claims
/// <c>iss</c> = <c>sub</c> = the client id, <c>aud</c> = the token URL, <c>iat</c> = now, <c>exp</c> = now +
/// <see cref="Lifetime"/> and a random 128-bit <c>jti</c>. Signed with the framework's RSA (PKCS#1 v1.5, SHA-384) or
/// ECDsa (SHA-384, r||s as JWS requires). A new assertion is made for every token request, retries included, so a
/// server that refuses a reused <c>jti</c> never sees one.
/// </summary>
public static class ClientAssertion
{
    /// <summary>The <c>client_assertion_type</c> of a JWT assertion (RFC 7523 2.2).</summary>
    public const string AssertionType = "urn:ietf:params:oauth:client-assertion-type:jwt-bearer";

    /// <summary>
    /// How far ahead <c>exp</c> lies: 4 minutes. SMART allows at most 5; the minute left over absorbs a server clock
    /// that runs behind this machine's, so strict servers do not refuse the assertion as too far in the future.
    /// </summary>
    public static readonly TimeSpan Lifetime = TimeSpan.FromMinutes(4);

    /// <summary>
    /// A new signed assertion for <paramref name="oauth"/> (a PrivateKeyJwt definition) at <paramref name="now"/>.
    /// </summary>
    public static string Create(OAuthDefinition oauth, DateTimeOffset now)
    {
        if (oauth.ClientAuthentication != OAuthClientAuthentication.PrivateKeyJwt
            || oauth.PrivateKey is null
            || oauth.Algorithm is not { } algorithm)
        {
            throw new ArgumentException("The definition does not use private_key_jwt.", nameof(oauth));
        }

        string header = Base64Url(Json(writer =>
        {
            writer.WriteString("alg", algorithm.ToString());
            writer.WriteString("kid", oauth.KeyId);
            writer.WriteString("typ", "JWT");
            if (oauth.JwksUrl is { } jku)
            {
                writer.WriteString("jku", jku.AbsoluteUri);
            }
        }));
        long issuedAt = now.ToUnixTimeSeconds();
        string claims = Base64Url(Json(writer =>
        {
            writer.WriteString("iss", oauth.ClientId);
            writer.WriteString("sub", oauth.ClientId);
            writer.WriteString("aud", oauth.TokenUrl!.AbsoluteUri);
            writer.WriteNumber("exp", issuedAt + (long)Lifetime.TotalSeconds);
            writer.WriteNumber("iat", issuedAt);
            writer.WriteString("jti", Base64Url(RandomNumberGenerator.GetBytes(16)));
        }));

        string signingInput = header + "." + claims;
        return signingInput + "."
            + Base64Url(Sign(Encoding.ASCII.GetBytes(signingInput), oauth.PrivateKey.Reveal(), algorithm));
    }

    /// <summary>Base64url without padding (RFC 7515 2).</summary>
    public static string Base64Url(ReadOnlySpan<byte> bytes)
        => Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');

    private static byte[] Sign(byte[] data, string pem, JwtSigningAlgorithm algorithm)
    {
        if (algorithm == JwtSigningAlgorithm.RS384)
        {
            using var rsa = RSA.Create();
            rsa.ImportFromPem(pem);
            return rsa.SignData(data, HashAlgorithmName.SHA384, RSASignaturePadding.Pkcs1);
        }

        using var ecdsa = ECDsa.Create();
        ecdsa.ImportFromPem(pem);
        return ecdsa.SignData(data, HashAlgorithmName.SHA384, DSASignatureFormat.IeeeP1363FixedFieldConcatenation);
    }

    private static byte[] Json(Action<Utf8JsonWriter> write)
    {
        var buffer = new ArrayBufferWriter<byte>();
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartObject();
            write(writer);
            writer.WriteEndObject();
        }

        return buffer.WrittenSpan.ToArray();
    }
}
