using System.Security.Cryptography;
using FhirSecurity.Core.Definitions;
using FhirSecurity.Core.Secrets;

namespace FhirSecurity.Core.Tests.Fakes;

/// <summary>Keys made once per test run (RSA generation is slow) and definitions that use them.</summary>
internal static class TestKeys
{
    private static readonly Lazy<RSA> s_rsa3072 = new(() => RSA.Create(3072));
    private static readonly Lazy<ECDsa> s_p384 = new(() => ECDsa.Create(ECCurve.NamedCurves.nistP384));

    public static RSA Rsa3072 => s_rsa3072.Value;

    public static ECDsa P384 => s_p384.Value;

    public static OAuthDefinition KeyOAuth(JwtSigningAlgorithm algorithm, Uri? tokenUrl = null, Uri? jwksUrl = null, string clientId = "backend-client")
        => new()
        {
            Name = "key1",
            TokenUrl = tokenUrl ?? new Uri("https://auth.example.org/token"),
            ClientId = clientId,
            ClientAuthentication = OAuthClientAuthentication.PrivateKeyJwt,
            PrivateKey = new SecretValue(algorithm == JwtSigningAlgorithm.RS384 ? Rsa3072.ExportPkcs8PrivateKeyPem() : P384.ExportPkcs8PrivateKeyPem()),
            Algorithm = algorithm,
            KeyId = algorithm == JwtSigningAlgorithm.RS384 ? "rsa-kid-1" : "ec-kid-1",
            JwksUrl = jwksUrl,
            Scopes = ["system/Patient.read"],
        };
}
