using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace FhirSecurity.TestServer;

/// <summary>The <see cref="CertificateRequest"/> plumbing shared by CA and end-entity certificates.</summary>
internal static class CertificateFactory
{
    private const string ServerAuthOid = "1.3.6.1.5.5.7.3.1";
    private const string ClientAuthOid = "1.3.6.1.5.5.7.3.2";

    public static AsymmetricAlgorithm CreateKey(TestKeyAlgorithm algorithm) => algorithm switch
    {
        TestKeyAlgorithm.EcdsaP256 => ECDsa.Create(ECCurve.NamedCurves.nistP256),
        TestKeyAlgorithm.Rsa2048 => RSA.Create(2048),
        _ => throw new ArgumentOutOfRangeException(nameof(algorithm), algorithm, null),
    };

    // A generator instead of the issuer-certificate overload of Create, so an RSA CA can sign an ECDSA leaf and back.
    public static X509SignatureGenerator SignatureGeneratorFor(AsymmetricAlgorithm key) => key switch
    {
        ECDsa ecdsa => X509SignatureGenerator.CreateForECDsa(ecdsa),
        RSA rsa => X509SignatureGenerator.CreateForRSA(rsa, RSASignaturePadding.Pkcs1),
        _ => throw new ArgumentException($"Unsupported key type {key.GetType().Name}.", nameof(key)),
    };

    public static CertificateAuthority CreateRoot(string subject, TestKeyAlgorithm algorithm, DateTimeOffset notBefore, DateTimeOffset notAfter)
    {
        var key = CreateKey(algorithm);
        var request = NewRequest(subject, key);
        AddCaExtensions(request, pathLength: null);
        var name = new X500DistinguishedName(subject);
        using var unsigned = request.Create(name, SignatureGeneratorFor(key), notBefore, notAfter, NewSerialNumber());
        return new CertificateAuthority(WithPrivateKey(unsigned, key), key);
    }

    public static CertificateAuthority CreateIntermediate(CertificateAuthority issuer, string subject, TestKeyAlgorithm algorithm, DateTimeOffset notBefore, DateTimeOffset notAfter)
    {
        var key = CreateKey(algorithm);
        var request = NewRequest(subject, key);
        // Path length 0: this CA may issue end-entity certificates only.
        AddCaExtensions(request, pathLength: 0);
        request.CertificateExtensions.Add(X509AuthorityKeyIdentifierExtension.CreateFromCertificate(issuer.Certificate, includeKeyIdentifier: true, includeIssuerAndSerial: false));
        using var unsigned = request.Create(issuer.Certificate.SubjectName, issuer.SignatureGenerator, notBefore, notAfter, NewSerialNumber());
        return new CertificateAuthority(WithPrivateKey(unsigned, key), key);
    }

    public static X509Certificate2 CreateEndEntity(CertificateOptions options, TestKeyAlgorithm algorithm, CertificateAuthority? issuer)
    {
        using var key = CreateKey(algorithm);
        var request = NewRequest(options.Subject, key);
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(false, false, 0, critical: true));
        var usage = X509KeyUsageFlags.DigitalSignature;
        if (key is RSA)
        {
            // TLS 1.2 RSA key exchange still needs it; harmless otherwise.
            usage |= X509KeyUsageFlags.KeyEncipherment;
        }

        request.CertificateExtensions.Add(new X509KeyUsageExtension(usage, critical: true));
        if (options.Usage != CertificateUsage.None)
        {
            var eku = options.Usage == CertificateUsage.Server ? ServerAuthOid : ClientAuthOid;
            request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([new Oid(eku)], critical: false));
        }
        if (options.DnsNames.Count + options.IpAddresses.Count > 0)
        {
            var san = new SubjectAlternativeNameBuilder();
            foreach (var dns in options.DnsNames)
            {
                san.AddDnsName(dns);
            }

            foreach (var ip in options.IpAddresses)
            {
                san.AddIpAddress(ip);
            }

            request.CertificateExtensions.Add(san.Build());
        }

        var notBefore = options.NotBefore ?? DateTimeOffset.UtcNow.AddHours(-1);
        var notAfter = options.NotAfter ?? DateTimeOffset.UtcNow.AddDays(30);
        X509Certificate2 unsigned;
        if (issuer is null)
        {
            unsigned = request.Create(new X500DistinguishedName(options.Subject), SignatureGeneratorFor(key), notBefore, notAfter, NewSerialNumber());
        }
        else
        {
            request.CertificateExtensions.Add(X509AuthorityKeyIdentifierExtension.CreateFromCertificate(issuer.Certificate, includeKeyIdentifier: true, includeIssuerAndSerial: false));
            unsigned = request.Create(issuer.Certificate.SubjectName, issuer.SignatureGenerator, notBefore, notAfter, NewSerialNumber());
        }

        using (unsigned)
        {
            return WithPrivateKey(unsigned, key);
        }
    }

    private static CertificateRequest NewRequest(string subject, AsymmetricAlgorithm key)
    {
        var request = key switch
        {
            ECDsa ecdsa => new CertificateRequest(subject, ecdsa, HashAlgorithmName.SHA256),
            RSA rsa => new CertificateRequest(subject, rsa, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1),
            _ => throw new ArgumentException($"Unsupported key type {key.GetType().Name}.", nameof(key)),
        };
        request.CertificateExtensions.Add(new X509SubjectKeyIdentifierExtension(request.PublicKey, critical: false));
        return request;
    }

    private static void AddCaExtensions(CertificateRequest request, int? pathLength)
    {
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, pathLength.HasValue, pathLength ?? 0, critical: true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.KeyCertSign | X509KeyUsageFlags.CrlSign, critical: true));
    }

    private static X509Certificate2 WithPrivateKey(X509Certificate2 certificate, AsymmetricAlgorithm key)
    {
        using var withKey = key switch
        {
            ECDsa ecdsa => certificate.CopyWithPrivateKey(ecdsa),
            RSA rsa => certificate.CopyWithPrivateKey(rsa),
            _ => throw new ArgumentException($"Unsupported key type {key.GetType().Name}.", nameof(key)),
        };
        // Round-trip through PKCS#12: SslStream on Windows refuses ephemeral keys for server and client certificates.
        return X509CertificateLoader.LoadPkcs12(withKey.Export(X509ContentType.Pkcs12), password: null, X509KeyStorageFlags.Exportable);
    }

    private static byte[] NewSerialNumber()
    {
        var serial = RandomNumberGenerator.GetBytes(16);
        // Positive and without a leading zero octet, as RFC 5280 4.1.2.2 asks.
        serial[0] = (byte)((serial[0] & 0x7F) | 0x40);
        return serial;
    }
}
