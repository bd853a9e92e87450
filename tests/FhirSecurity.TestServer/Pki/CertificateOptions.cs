using System.Net;

namespace FhirSecurity.TestServer;

/// <summary>
/// What to put in an end-entity certificate. The defaults give a valid server certificate for
/// 127.0.0.1 and localhost; the static members give the broken variants security tests need.
/// </summary>
public sealed record CertificateOptions
{
    /// <summary>Subject distinguished name.</summary>
    public string Subject { get; init; } = "CN=localhost";

    /// <summary>DNS names in the subject alternative name extension.</summary>
    public IReadOnlyList<string> DnsNames { get; init; } = ["localhost"];

    /// <summary>IP addresses in the subject alternative name extension.</summary>
    public IReadOnlyList<IPAddress> IpAddresses { get; init; } = [IPAddress.Loopback];

    /// <summary>Start of validity; null means one hour ago (room for clock skew).</summary>
    public DateTimeOffset? NotBefore { get; init; }

    /// <summary>End of validity; null means 30 days from now.</summary>
    public DateTimeOffset? NotAfter { get; init; }

    /// <summary>Extended key usage.</summary>
    public CertificateUsage Usage { get; init; } = CertificateUsage.Server;

    /// <summary>Who signs the certificate.</summary>
    public CertificateIssuer Issuer { get; init; } = CertificateIssuer.Intermediate;

    /// <summary>Key type; null means the PKI's own.</summary>
    public TestKeyAlgorithm? KeyAlgorithm { get; init; }

    /// <summary>A valid server certificate for 127.0.0.1 and localhost.</summary>
    public static CertificateOptions ValidServer => new();

    /// <summary>Expired yesterday.</summary>
    public static CertificateOptions Expired => new()
    {
        Subject = "CN=expired.localhost",
        NotBefore = DateTimeOffset.UtcNow.AddDays(-10),
        NotAfter = DateTimeOffset.UtcNow.AddDays(-1),
    };

    /// <summary>Becomes valid tomorrow.</summary>
    public static CertificateOptions NotYetValid => new()
    {
        Subject = "CN=future.localhost",
        NotBefore = DateTimeOffset.UtcNow.AddDays(1),
        NotAfter = DateTimeOffset.UtcNow.AddDays(10),
    };

    /// <summary>Chains to the root but names another host, so host name checks fail for 127.0.0.1 and localhost.</summary>
    public static CertificateOptions WrongHost => new()
    {
        Subject = "CN=fhir.example.org",
        DnsNames = ["fhir.example.org"],
        IpAddresses = [IPAddress.Parse("192.0.2.10")],
    };

    /// <summary>Signed by its own key.</summary>
    public static CertificateOptions SelfSigned => new() { Subject = "CN=self-signed.localhost", Issuer = CertificateIssuer.SelfSigned };

    /// <summary>Right names, valid dates, but issued by a CA the tests do not trust.</summary>
    public static CertificateOptions UnrelatedCa => new() { Subject = "CN=unrelated.localhost", Issuer = CertificateIssuer.UnrelatedCa };

    /// <summary>A TLS client certificate (clientAuth EKU, no SAN), valid for 90 days (outside expiry warnings).</summary>
    public static CertificateOptions Client => new()
    {
        NotAfter = DateTimeOffset.UtcNow.AddDays(90),
        Subject = "CN=fhir-test-client",
        DnsNames = [],
        IpAddresses = [],
        Usage = CertificateUsage.Client,
    };

    /// <summary>A TLS client certificate that expired yesterday.</summary>
    public static CertificateOptions ClientExpired => Client with
    {
        Subject = "CN=expired-client",
        NotBefore = DateTimeOffset.UtcNow.AddDays(-10),
        NotAfter = DateTimeOffset.UtcNow.AddDays(-1),
    };

    /// <summary>A certificate for the client's name whose extended key usage is serverAuth only.</summary>
    public static CertificateOptions ClientServerAuthOnly => Client with { Subject = "CN=server-auth-only", Usage = CertificateUsage.Server };

    /// <summary>A client certificate without an extended key usage extension (usable for client auth).</summary>
    public static CertificateOptions ClientWithoutEku => Client with { Subject = "CN=no-eku-client", Usage = CertificateUsage.None };
}
