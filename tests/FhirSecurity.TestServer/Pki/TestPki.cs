using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;

namespace FhirSecurity.TestServer;

/// <summary>
/// A throw-away PKI made at run time: root CA -> intermediate CA -> server certificate for 127.0.0.1 and
/// localhost, plus a factory for the broken certificates that TLS tests need.
/// </summary>
public sealed class TestPki : IDisposable
{
    private readonly CertificateAuthority _root;
    private readonly CertificateAuthority _intermediate;
    private readonly Lazy<CertificateAuthority> _unrelated;

    private TestPki(TestKeyAlgorithm algorithm, string name)
    {
        KeyAlgorithm = algorithm;
        var now = DateTimeOffset.UtcNow;
        // Wide CA validity so expired and not-yet-valid leaves still fit inside their issuer's window.
        _root = CertificateFactory.CreateRoot($"CN={name} Root CA, O=FhirSecurity Tests", algorithm, now.AddDays(-60), now.AddYears(10));
        _intermediate = CertificateFactory.CreateIntermediate(_root, $"CN={name} Intermediate CA, O=FhirSecurity Tests", algorithm, now.AddDays(-30), now.AddYears(5));
        _unrelated = new Lazy<CertificateAuthority>(() => CertificateFactory.CreateRoot($"CN={name} Unrelated Root CA, O=Elsewhere", algorithm, now.AddDays(-60), now.AddYears(10)));
        ServerCertificate = IssueServerCertificate();
        RootPem = Root.ExportCertificatePem() + "\n";
        IntermediatePem = Intermediate.ExportCertificatePem() + "\n";
        BundlePem = RootPem + IntermediatePem;
    }

    /// <summary>Makes a new PKI and its default server certificate.</summary>
    /// <param name="algorithm">Key type of every certificate in it.</param>
    /// <param name="name">Prefix of the CA common names, to tell PKIs apart in messages.</param>
    public static TestPki Create(TestKeyAlgorithm algorithm = TestKeyAlgorithm.EcdsaP256, string name = "FhirSecurity Test") => new(algorithm, name);

    /// <summary>Key type of the certificates.</summary>
    public TestKeyAlgorithm KeyAlgorithm { get; }

    /// <summary>The root CA (with its private key).</summary>
    public X509Certificate2 Root => _root.Certificate;

    /// <summary>The intermediate CA that issues end-entity certificates (with its private key).</summary>
    public X509Certificate2 Intermediate => _intermediate.Certificate;

    /// <summary>A root that shares nothing with this PKI; made on first use.</summary>
    public X509Certificate2 UnrelatedRoot => _unrelated.Value.Certificate;

    /// <summary>The default server certificate (127.0.0.1, localhost; with private key), issued by <see cref="Intermediate"/>.</summary>
    public X509Certificate2 ServerCertificate { get; }

    /// <summary>PEM of <see cref="Root"/>.</summary>
    public string RootPem { get; }

    /// <summary>PEM of <see cref="Intermediate"/>.</summary>
    public string IntermediatePem { get; }

    /// <summary>PEM of the root followed by the intermediate: the CA bundle a client imports.</summary>
    public string BundlePem { get; }

    /// <summary>Issues an end-entity certificate with a private key. Defaults to a valid server certificate.</summary>
    /// <param name="options">What to put in it; see the static members of <see cref="CertificateOptions"/> for broken variants.</param>
    public X509Certificate2 IssueServerCertificate(CertificateOptions? options = null)
    {
        options ??= CertificateOptions.ValidServer;
        var issuer = options.Issuer switch
        {
            CertificateIssuer.Intermediate => _intermediate,
            CertificateIssuer.Root => _root,
            CertificateIssuer.UnrelatedCa => _unrelated.Value,
            CertificateIssuer.SelfSigned => null,
            _ => throw new ArgumentOutOfRangeException(nameof(options), options.Issuer, "Unknown issuer."),
        };
        return CertificateFactory.CreateEndEntity(options, options.KeyAlgorithm ?? KeyAlgorithm, issuer);
    }

    /// <summary>Issues a TLS client certificate (clientAuth EKU) from the intermediate CA.</summary>
    /// <param name="subject">Subject distinguished name.</param>
    public X509Certificate2 IssueClientCertificate(string subject = "CN=fhir-test-client") =>
        IssueServerCertificate(CertificateOptions.Client with { Subject = subject });

    /// <summary>Issues a client certificate with the options given (see <see cref="CertificateOptions.ClientExpired"/> and the like).</summary>
    /// <param name="options">What to put in it.</param>
    public X509Certificate2 IssueClientCertificate(CertificateOptions options) => IssueServerCertificate(options);

    /// <summary>A PKCS#12/PFX of the certificate and its private key, optionally protected by <paramref name="password"/>.</summary>
    public static byte[] ExportPfx(X509Certificate2 certificate, string? password = null)
        => certificate.Export(X509ContentType.Pkcs12, password);

    /// <summary>The certificate as PEM (public part only).</summary>
    public static string ExportCertificatePem(X509Certificate2 certificate) => certificate.ExportCertificatePem() + "\n";

    /// <summary>
    /// The certificate's private key as PKCS#8 PEM ("PRIVATE KEY"), or encrypted with <paramref name="password"/>
    /// ("ENCRYPTED PRIVATE KEY", AES-256-CBC, PBKDF2).
    /// </summary>
    public static string ExportKeyPem(X509Certificate2 certificate, string? password = null)
    {
        using AsymmetricAlgorithm key = (AsymmetricAlgorithm?)certificate.GetRSAPrivateKey() ?? certificate.GetECDsaPrivateKey()
            ?? throw new InvalidOperationException("The certificate has no RSA or ECDSA private key.");
        if (password is null)
        {
            return key.ExportPkcs8PrivateKeyPem() + "\n";
        }

        var pbe = new PbeParameters(PbeEncryptionAlgorithm.Aes256Cbc, HashAlgorithmName.SHA256, 100_000);
        return key.ExportEncryptedPkcs8PrivateKeyPem(password.AsSpan(), pbe) + "\n";
    }

    /// <summary>
    /// The CA certificates a server should send after <paramref name="leaf"/>: the intermediate when it issued
    /// the leaf, otherwise none.
    /// </summary>
    public X509Certificate2Collection ChainFor(X509Certificate2 leaf)
    {
        var chain = new X509Certificate2Collection();
        if (leaf.IssuerName.RawData.AsSpan().SequenceEqual(Intermediate.SubjectName.RawData))
        {
            chain.Add(Intermediate);
        }

        return chain;
    }

    /// <summary>
    /// A stand-alone self-signed CA certificate (public part only) with the validity given, for CA bundle tests
    /// that need an expired or soon-expiring CA.
    /// </summary>
    public static X509Certificate2 CreateCaCertificate(string subject, DateTimeOffset notBefore, DateTimeOffset notAfter, TestKeyAlgorithm algorithm = TestKeyAlgorithm.EcdsaP256)
    {
        using CertificateAuthority ca = CertificateFactory.CreateRoot(subject, algorithm, notBefore, notAfter);
        return X509CertificateLoader.LoadCertificate(ca.Certificate.RawData);
    }

    /// <summary>Concatenated PEM of certificates (public parts only).</summary>
    public static string ToPem(IEnumerable<X509Certificate2> certificates)
    {
        var pem = new StringBuilder();
        foreach (var certificate in certificates)
        {
            pem.Append(certificate.ExportCertificatePem()).Append('\n');
        }

        return pem.ToString();
    }

    /// <inheritdoc />
    public void Dispose()
    {
        ServerCertificate.Dispose();
        _intermediate.Dispose();
        _root.Dispose();
        if (_unrelated.IsValueCreated)
        {
            _unrelated.Value.Dispose();
        }
    }
}
