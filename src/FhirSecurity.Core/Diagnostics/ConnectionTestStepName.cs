namespace FhirSecurity.Core.Diagnostics;

/// <summary>The steps of a connection test, in the order they run.</summary>
public enum ConnectionTestStepName
{
    /// <summary>Resolving the base URI's host name.</summary>
    Dns,

    /// <summary>Opening a TCP connection to the host and port.</summary>
    Tcp,

    /// <summary>The TLS handshake, validated by the connection's TLS policy.</summary>
    Tls,

    /// <summary>Requesting an OAuth token from the token endpoint.</summary>
    Token,

    /// <summary>GET [base]/metadata with the connection's credentials.</summary>
    Metadata,

    /// <summary>Comparing the server's Date header with the local clock.</summary>
    Clock,
}
