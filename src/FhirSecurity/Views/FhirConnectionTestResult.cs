using System.Collections.ObjectModel;

namespace FhirSecurity;

/// <summary>
/// What Test-FhirConnection found: every step with its status and timing, and what the steps learned about the
/// server. Never holds a token, password or client secret.
/// </summary>
public sealed class FhirConnectionTestResult
{
    internal FhirConnectionTestResult(
        string connection,
        string vault,
        Uri baseUri,
        IReadOnlyList<FhirConnectionTestStep> steps,
        IReadOnlyList<string> addresses,
        string? remoteEndPoint,
        string? tlsProtocol,
        string? cipherSuite,
        FhirTlsValidation tlsValidation,
        IReadOnlyList<FhirServerCertificate> serverCertificates,
        Uri? tokenEndpoint,
        IReadOnlyList<string>? grantedScopes,
        TimeSpan? tokenLifetime,
        string? fhirVersion,
        string? software,
        TimeSpan? clockSkew,
        TimeSpan duration)
    {
        Connection = connection;
        Vault = vault;
        BaseUri = baseUri;
        Steps = new ReadOnlyCollection<FhirConnectionTestStep>(steps.ToArray());
        Addresses = new ReadOnlyCollection<string>(addresses.ToArray());
        RemoteEndPoint = remoteEndPoint;
        TlsProtocol = tlsProtocol;
        CipherSuite = cipherSuite;
        TlsValidation = tlsValidation;
        ServerCertificates = new ReadOnlyCollection<FhirServerCertificate>(serverCertificates.ToArray());
        TokenEndpoint = tokenEndpoint;
        GrantedScopes = grantedScopes is null ? null : new ReadOnlyCollection<string>(grantedScopes.ToArray());
        TokenLifetime = tokenLifetime;
        FhirVersion = fhirVersion;
        Software = software;
        ClockSkew = clockSkew;
        Duration = duration;
    }

    /// <summary>The connection tested.</summary>
    public string Connection { get; }

    /// <summary>The vault it was read from.</summary>
    public string Vault { get; }

    /// <summary>The connection's base URI.</summary>
    public Uri BaseUri { get; }

    /// <summary>True when no step failed.</summary>
    public bool Passed => Steps.All(s => s.Status != FhirTestStatus.Failed);

    /// <summary>Every step in order: Dns, Tcp, Tls, Token, Metadata, Clock.</summary>
    public ReadOnlyCollection<FhirConnectionTestStep> Steps { get; }

    /// <summary>The addresses the host name resolved to.</summary>
    public ReadOnlyCollection<string> Addresses { get; }

    /// <summary>The address and port the TCP connection was made to.</summary>
    public string? RemoteEndPoint { get; }

    /// <summary>The negotiated TLS protocol (Tls12, Tls13), or null.</summary>
    public string? TlsProtocol { get; }

    /// <summary>The negotiated cipher suite, or null.</summary>
    public string? CipherSuite { get; }

    /// <summary>The connection's TLS validation mode.</summary>
    public FhirTlsValidation TlsValidation { get; }

    /// <summary>The certificates the server presented, leaf first (also when validation refused them).</summary>
    public ReadOnlyCollection<FhirServerCertificate> ServerCertificates { get; }

    /// <summary>The token endpoint (OAuth connections).</summary>
    public Uri? TokenEndpoint { get; }

    /// <summary>The scopes the token endpoint granted; null when it did not say or no token was fetched.</summary>
    public ReadOnlyCollection<string>? GrantedScopes { get; }

    /// <summary>The lifetime of the token fetched, or null.</summary>
    public TimeSpan? TokenLifetime { get; }

    /// <summary>The CapabilityStatement's fhirVersion.</summary>
    public string? FhirVersion { get; }

    /// <summary>The CapabilityStatement's software name and version.</summary>
    public string? Software { get; }

    /// <summary>
    /// The server's clock minus this machine's (positive: the server is ahead), from its Date header.
    /// </summary>
    public TimeSpan? ClockSkew { get; }

    /// <summary>How long the whole test took.</summary>
    public TimeSpan Duration { get; }

    /// <summary>The step named <paramref name="name"/> (Dns, Tcp, Tls, Token, Metadata, Clock), or null.</summary>
    public FhirConnectionTestStep? Step(string name)
        => Steps.FirstOrDefault(s => string.Equals(s.Name, name, StringComparison.OrdinalIgnoreCase));

    /// <inheritdoc />
    public override string ToString() => $"{Connection}: {(Passed ? "Passed" : "Failed")}";
}
