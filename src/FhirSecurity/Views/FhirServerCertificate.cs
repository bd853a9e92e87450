namespace FhirSecurity;

/// <summary>A certificate a server presented in the TLS handshake.</summary>
public sealed class FhirServerCertificate
{
    internal FhirServerCertificate(
        string subject, string issuer, DateTimeOffset notBefore, DateTimeOffset notAfter, string sha256Fingerprint)
    {
        Subject = subject;
        Issuer = issuer;
        NotBefore = notBefore;
        NotAfter = notAfter;
        Sha256Fingerprint = sha256Fingerprint;
    }

    /// <summary>The subject distinguished name.</summary>
    public string Subject { get; }

    /// <summary>The issuer distinguished name.</summary>
    public string Issuer { get; }

    /// <summary>Start of validity (UTC).</summary>
    public DateTimeOffset NotBefore { get; }

    /// <summary>End of validity (UTC).</summary>
    public DateTimeOffset NotAfter { get; }

    /// <summary>SHA-256 of the certificate, hex.</summary>
    public string Sha256Fingerprint { get; }

    /// <inheritdoc />
    public override string ToString() => Subject;
}
