using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using FhirSecurity.Core.Errors;

namespace FhirSecurity.Core.Tls;

/// <summary>
/// A validated set of PEM CA certificates (roots and intermediates). Parsing uses the framework's PEM support;
/// the checks are the ones a bundle must pass before anything trusts it.
/// </summary>
public sealed class CaBundle
{
    /// <summary>How close to expiry a certificate gets a warning on import.</summary>
    public static readonly TimeSpan ExpiryWarningWindow = TimeSpan.FromDays(30);

    private readonly X509Certificate2Collection _certificates;

    private CaBundle(
        X509Certificate2Collection certificates,
        IReadOnlyList<CaCertificate> summaries,
        string pem,
        IReadOnlyList<string> warnings)
    {
        _certificates = certificates;
        Certificates = summaries;
        Pem = pem;
        Warnings = warnings;
    }

    /// <summary>One summary per certificate, in bundle order.</summary>
    public IReadOnlyList<CaCertificate> Certificates { get; }

    /// <summary>The bundle re-encoded as clean PEM (certificates only, no comments), as stored in the vault.</summary>
    public string Pem { get; }

    /// <summary>Warnings found at parse time (certificates that expire soon or are not valid yet).</summary>
    public IReadOnlyList<string> Warnings { get; }

    /// <summary>A new collection of the certificates (callers may dispose it).</summary>
    public X509Certificate2Collection ToCollection()
    {
        var copy = new X509Certificate2Collection();
        foreach (X509Certificate2 certificate in _certificates)
        {
            copy.Add(new X509Certificate2(certificate.RawData));
        }

        return copy;
    }

    /// <summary>
    /// Parses and checks a PEM bundle. Refuses private keys, anything that is not a certificate, certificates
    /// that are not CAs (basic constraints), expired certificates, and bundles without a certificate.
    /// </summary>
    /// <param name="pem">The PEM text.</param>
    /// <param name="now">The current time (a parameter, so tests control it).</param>
    /// <param name="source">Where the text came from (a name or a path), for messages.</param>
    public static CaBundle Parse(string pem, DateTimeOffset now, string source) => Read(pem, now, source);

    /// <summary>
    /// Reads a bundle that passed <see cref="Parse"/> when it was imported, without refusing it for expiry (a
    /// stored bundle can expire in the vault; it still has to be listed, and TLS reports the expired chain).
    /// </summary>
    public static CaBundle Load(string pem, string source) => Read(pem, now: null, source);

    private static CaBundle Read(string pem, DateTimeOffset? now, string source)
    {
        RefuseNonCertificateSections(pem, source);

        var certificates = new X509Certificate2Collection();
        try
        {
            certificates.ImportFromPem(pem);
        }
        catch (CryptographicException ex)
        {
            throw new FhirSecurityException(
                ErrorIds.CaBundleInvalidPem,
                FailureCategory.InvalidData,
                $"The CA bundle from {source} is not valid PEM: {ex.Message} Give a file of"
                + " '-----BEGIN CERTIFICATE-----' blocks.",
                source,
                ex);
        }

        if (certificates.Count == 0)
        {
            throw new FhirSecurityException(
                ErrorIds.CaBundleEmpty,
                FailureCategory.InvalidData,
                $"The CA bundle from {source} holds no certificate. Give the PEM of the internal CA: one or more"
                + " '-----BEGIN CERTIFICATE-----' blocks.",
                source);
        }

        var summaries = new List<CaCertificate>(certificates.Count);
        var warnings = new List<string>();
        var clean = new System.Text.StringBuilder();
        foreach (X509Certificate2 certificate in certificates)
        {
            CaCertificate summary = Summarize(certificate);
            CheckIsCa(certificate, summary, source);
            if (now is { } at)
            {
                CheckValidity(summary, at, source, warnings);
            }

            summaries.Add(summary);
            clean.AppendLine(certificate.ExportCertificatePem());
        }

        return new CaBundle(certificates, summaries, clean.ToString(), warnings);
    }

    private static void RefuseNonCertificateSections(string pem, string source)
    {
        ReadOnlySpan<char> rest = pem;
        int blocks = 0;
        while (PemEncoding.TryFind(rest, out PemFields fields))
        {
            blocks++;
            ReadOnlySpan<char> label = rest[fields.Label];
            if (label.Contains("PRIVATE KEY", StringComparison.Ordinal))
            {
                throw new FhirSecurityException(
                    ErrorIds.CaBundleContainsPrivateKey,
                    FailureCategory.SecurityError,
                    $"The CA bundle from {source} contains a private key ('{label}'). A CA bundle holds only public"
                    + " certificates: remove the key from the file (and treat the key as exposed).",
                    source);
            }

            if (!label.SequenceEqual("CERTIFICATE"))
            {
                throw new FhirSecurityException(
                    ErrorIds.CaBundleInvalidPem,
                    FailureCategory.InvalidData,
                    $"The CA bundle from {source} contains a '{label}' block. Only 'CERTIFICATE' blocks are accepted.",
                    source);
            }

            rest = rest[fields.Location.End..];
        }

        // The PEM reader skips a block it cannot decode, and so would the import: a damaged certificate would
        // silently drop out of the bundle. Every BEGIN line must belong to a block that was read.
        int markers = pem.Split("-----BEGIN ").Length - 1;
        if (markers > blocks)
        {
            throw new FhirSecurityException(
                ErrorIds.CaBundleInvalidPem,
                FailureCategory.InvalidData,
                $"The CA bundle from {source} has {markers - blocks} block(s) that are not valid PEM (damaged base64"
                + " or a missing END line). Fix or re-download the file.",
                source);
        }
    }

    private static CaCertificate Summarize(X509Certificate2 certificate)
        => new(
            certificate.Subject,
            certificate.Issuer,
            certificate.GetCertHashString(HashAlgorithmName.SHA256),
            new DateTimeOffset(certificate.NotBefore.ToUniversalTime(), TimeSpan.Zero),
            new DateTimeOffset(certificate.NotAfter.ToUniversalTime(), TimeSpan.Zero),
            certificate.SubjectName.RawData.AsSpan().SequenceEqual(certificate.IssuerName.RawData));

    private static void CheckIsCa(X509Certificate2 certificate, CaCertificate summary, string source)
    {
        bool isCa = certificate.Extensions.OfType<X509BasicConstraintsExtension>().Any(e => e.CertificateAuthority);
        if (!isCa)
        {
            throw new FhirSecurityException(
                ErrorIds.CaBundleCertificateNotCa,
                FailureCategory.InvalidData,
                $"The certificate '{summary.Subject}' (SHA-256 {summary.Sha256Fingerprint}) in the CA bundle from"
                + $" {source} is not a CA certificate (its basic constraints do not say CA). Put the CA that issued the"
                + " server's certificate in the bundle, not the server's own certificate.",
                source);
        }
    }

    private static void CheckValidity(
        CaCertificate summary,
        DateTimeOffset now,
        string source,
        List<string> warnings)
    {
        if (summary.NotAfter <= now)
        {
            throw new FhirSecurityException(
                ErrorIds.CaBundleCertificateExpired,
                FailureCategory.InvalidData,
                $"The certificate '{summary.Subject}' (SHA-256 {summary.Sha256Fingerprint}) in the CA bundle from"
                + $" {source} expired on {summary.NotAfter:u}. Ask the CA's maintainers for the renewed certificate.",
                source);
        }

        if (summary.NotAfter - now <= ExpiryWarningWindow)
        {
            warnings.Add(
                $"The certificate '{summary.Subject}' (SHA-256 {summary.Sha256Fingerprint}) expires on"
                + $" {summary.NotAfter:u}, within {ExpiryWarningWindow.TotalDays:0} days. Plan its renewal.");
        }

        if (summary.NotBefore > now)
        {
            warnings.Add(
                $"The certificate '{summary.Subject}' (SHA-256 {summary.Sha256Fingerprint}) is not valid before"
                + $" {summary.NotBefore:u}; connections that need it fail until then.");
        }
    }
}
