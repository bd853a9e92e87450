namespace FhirSecurity.TestServer;

/// <summary>Extended key usage of an issued end-entity certificate.</summary>
public enum CertificateUsage
{
    /// <summary>TLS server authentication (1.3.6.1.5.5.7.3.1).</summary>
    Server,

    /// <summary>TLS client authentication (1.3.6.1.5.5.7.3.2).</summary>
    Client,

    /// <summary>No extended key usage extension at all (any use, as far as EKU goes).</summary>
    None,
}
