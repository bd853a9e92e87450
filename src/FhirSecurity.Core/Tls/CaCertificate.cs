namespace FhirSecurity.Core.Tls;

/// <summary>What a user needs to know about one certificate of a CA bundle.</summary>
/// <param name="Subject">The subject distinguished name.</param>
/// <param name="Issuer">The issuer distinguished name.</param>
/// <param name="Sha256Fingerprint">SHA-256 of the DER encoding, hex (what browsers and openssl show).</param>
/// <param name="NotBefore">Start of validity.</param>
/// <param name="NotAfter">End of validity.</param>
/// <param name="IsRoot">True for a self-signed certificate (a trust anchor); false for an intermediate.</param>
public sealed record CaCertificate(
    string Subject,
    string Issuer,
    string Sha256Fingerprint,
    DateTimeOffset NotBefore,
    DateTimeOffset NotAfter,
    bool IsRoot);
