namespace FhirSecurity.Core.Definitions;

/// <summary>How a connection reaches its servers: through the system proxy, no proxy, or a proxy of its own.</summary>
public enum ProxyMode
{
    /// <summary>
    /// The process's default proxy (<c>HttpClient.DefaultProxy</c>: HTTPS_PROXY, HTTP_PROXY and NO_PROXY on Linux and
    /// macOS, the system settings on Windows).
    /// </summary>
    System,

    /// <summary>Direct connections, whatever the environment says.</summary>
    None,

    /// <summary>The connection's own http:// proxy, optionally with credentials.</summary>
    Explicit,
}
