namespace FhirSecurity.Core.Diagnostics;

/// <summary>
/// A certificate the server presented in the TLS handshake (the leaf first, then what it sent with it).
/// </summary>
/// <param name="Subject">The subject distinguished name.</param>
/// <param name="Issuer">The issuer distinguished name.</param>
/// <param name="NotBefore">Start of validity.</param>
/// <param name="NotAfter">End of validity.</param>
/// <param name="Sha256Fingerprint">The SHA-256 hash of the certificate, hex.</param>
public sealed record ConnectionTestCertificate(
    string Subject, string Issuer, DateTimeOffset NotBefore, DateTimeOffset NotAfter, string Sha256Fingerprint);
