namespace FhirSecurity.Core.Definitions;

/// <summary>
/// Whether the server certificate chain is checked for revocation (CRL or OCSP). Applies to Default and
/// CustomBundle validation; Skip checks nothing.
/// </summary>
public enum RevocationCheckMode
{
    /// <summary>
    /// No revocation check: the default, because internal CAs often publish no CRL or OCSP responder, and a check that
    /// cannot complete would refuse every call.
    /// </summary>
    NoCheck,

    /// <summary>Fetch CRLs / ask OCSP responders; a chain whose status cannot be learnt is refused.</summary>
    Online,

    /// <summary>Only revocation data already cached on this machine; a chain without cached data is refused.</summary>
    Offline,
}
