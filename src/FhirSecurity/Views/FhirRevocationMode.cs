namespace FhirSecurity;

/// <summary>Whether a connection checks the server's certificate chain for revocation (CRL or OCSP).</summary>
public enum FhirRevocationMode
{
    /// <summary>
    /// No check: the default, because internal CAs often publish no CRL or OCSP responder and a check that cannot
    /// complete would refuse every call.
    /// </summary>
    NoCheck,

    /// <summary>
    /// Fetch CRLs or ask OCSP responders; a chain whose status cannot be learnt is refused. Recommended where the CA
    /// publishes revocation data.
    /// </summary>
    Online,

    /// <summary>Only revocation data already cached on this machine; a chain without it is refused.</summary>
    Offline,
}
