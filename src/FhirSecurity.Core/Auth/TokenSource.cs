namespace FhirSecurity.Core.Auth;

/// <summary>Where the token used for a request came from (for -Verbose and tests).</summary>
public enum TokenSource
{
    /// <summary>The request carried no token.</summary>
    None,

    /// <summary>A cached token that was still fresh.</summary>
    Cache,

    /// <summary>A token fetched for this request (first use, refresh before expiry, or after a 401).</summary>
    New,

    /// <summary>A refresh failed, and the cached token, still unexpired, was used instead.</summary>
    CacheAfterFailedRefresh,
}
