namespace FhirSecurity.TestServer;

/// <summary>Who signs a certificate made by <see cref="TestPki.IssueServerCertificate"/>.</summary>
public enum CertificateIssuer
{
    /// <summary>The PKI's intermediate CA: the normal case, chains to <see cref="TestPki.Root"/>.</summary>
    Intermediate,

    /// <summary>The PKI's root directly (a two-level chain).</summary>
    Root,

    /// <summary>The certificate signs itself.</summary>
    SelfSigned,

    /// <summary>A separate root CA that shares nothing with this PKI (<see cref="TestPki.UnrelatedRoot"/>).</summary>
    UnrelatedCa,
}
