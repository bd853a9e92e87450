namespace FhirSecurity;

/// <summary>One certificate of a CA bundle.</summary>
public sealed class FhirCaCertificateInfo
{
    internal FhirCaCertificateInfo(
        string subject,
        string issuer,
        string sha256Fingerprint,
        DateTimeOffset notBefore,
        DateTimeOffset notAfter,
        bool isRoot)
    {
        Subject = subject;
        Issuer = issuer;
        Sha256Fingerprint = sha256Fingerprint;
        NotBefore = notBefore;
        NotAfter = notAfter;
        IsRoot = isRoot;
    }

    /// <summary>The subject distinguished name.</summary>
    public string Subject { get; }

    /// <summary>The issuer distinguished name.</summary>
    public string Issuer { get; }

    /// <summary>SHA-256 of the certificate, hex.</summary>
    public string Sha256Fingerprint { get; }

    /// <summary>Start of validity (UTC).</summary>
    public DateTimeOffset NotBefore { get; }

    /// <summary>End of validity (UTC).</summary>
    public DateTimeOffset NotAfter { get; }

    /// <summary>True for a self-signed root; false for an intermediate.</summary>
    public bool IsRoot { get; }

    /// <inheritdoc />
    public override string ToString() => Subject;
}
