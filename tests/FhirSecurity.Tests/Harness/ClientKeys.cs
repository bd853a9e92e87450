using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace FhirSecurity.Tests.Harness;

/// <summary>
/// Keys for private_key_jwt tests, made once per run (RSA generation is slow): the PEM a user would give, and the
/// public halves the test server registers. Every private PEM is a canary: it must never appear in any stream.
/// </summary>
public static class ClientKeys
{
    public const string RsaKid = "rsa-kid-1";
    public const string EcKid = "ec-kid-1";

    private static readonly Lazy<RSA> s_rsa = new(() => RSA.Create(3072));
    private static readonly Lazy<ECDsa> s_ec = new(() => ECDsa.Create(ECCurve.NamedCurves.nistP384));

    public static RSA Rsa => s_rsa.Value;

    public static ECDsa Ec => s_ec.Value;

    public static string RsaPem => Rsa.ExportPkcs8PrivateKeyPem();

    public static string EcPem => Ec.ExportECPrivateKeyPem();

    /// <summary>A line from the middle of a PEM body: if it shows anywhere, key material leaked.</summary>
    public static string Canary(string pem) => pem.Split('\n')[2];

    /// <summary>PEM texts that are not usable keys for RS384/ES384, by name.</summary>
    public static string Pem(string kind)
    {
        switch (kind)
        {
            case "rsa1024":
                using (var weak = RSA.Create(1024)) { return weak.ExportPkcs8PrivateKeyPem(); }
            case "p256":
                using (var p256 = ECDsa.Create(ECCurve.NamedCurves.nistP256)) { return p256.ExportPkcs8PrivateKeyPem(); }
            case "public":
                return Rsa.ExportSubjectPublicKeyInfoPem();
            case "certificate":
                using (X509Certificate2 cert = new CertificateRequest("CN=client", Ec, HashAlgorithmName.SHA384).CreateSelfSigned(DateTimeOffset.UtcNow, DateTimeOffset.UtcNow.AddDays(1)))
                {
                    return cert.ExportCertificatePem();
                }

            case "garbage":
                return "this is not a PEM file\n";
            default:
                throw new ArgumentException(kind, nameof(kind));
        }
    }
}
