using FhirSecurity.Core.Definitions;

namespace FhirSecurity.Core.Diagnostics;

/// <summary>Everything a connection test found. Never holds a secret (no token, password or client secret).</summary>
public sealed record ConnectionTestReport
{
    /// <summary>The connection's name.</summary>
    public required string Connection { get; init; }

    /// <summary>The vault the connection was read from.</summary>
    public required string Vault { get; init; }

    /// <summary>The connection's base URI.</summary>
    public required Uri BaseUri { get; init; }

    /// <summary>Every step, in order.</summary>
    public required IReadOnlyList<ConnectionTestStep> Steps { get; init; }

    /// <summary>True when no step failed.</summary>
    public bool Passed => Steps.All(s => s.Status != ConnectionTestStatus.Failed);

    /// <summary>The addresses the host name resolved to.</summary>
    public IReadOnlyList<string> Addresses { get; init; } = [];

    /// <summary>The address and port the TCP connection was made to, or null.</summary>
    public string? RemoteEndPoint { get; init; }

    /// <summary>The negotiated TLS protocol (e.g. Tls13), or null.</summary>
    public string? TlsProtocol { get; init; }

    /// <summary>The negotiated cipher suite (e.g. TLS_AES_256_GCM_SHA384), or null.</summary>
    public string? CipherSuite { get; init; }

    /// <summary>The connection's TLS validation mode.</summary>
    public required TlsValidationMode TlsValidation { get; init; }

    /// <summary>The certificates the server presented, leaf first (also when they were refused).</summary>
    public IReadOnlyList<ConnectionTestCertificate> ServerCertificates { get; init; } = [];

    /// <summary>The token endpoint, for OAuth connections.</summary>
    public Uri? TokenEndpoint { get; init; }

    /// <summary>The scopes the token endpoint granted (null when it did not say, or no token was fetched).</summary>
    public IReadOnlyList<string>? GrantedScopes { get; init; }

    /// <summary>The lifetime of the token fetched, or null.</summary>
    public TimeSpan? TokenLifetime { get; init; }

    /// <summary>The CapabilityStatement's fhirVersion, or null.</summary>
    public string? FhirVersion { get; init; }

    /// <summary>The CapabilityStatement's software name and version, or null.</summary>
    public string? Software { get; init; }

    /// <summary>The server's clock minus this machine's (positive: the server is ahead), or null.</summary>
    public TimeSpan? ClockSkew { get; init; }

    /// <summary>How long the whole test took.</summary>
    public TimeSpan Duration { get; init; }
}
