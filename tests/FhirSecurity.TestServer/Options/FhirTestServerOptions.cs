using System.Security.Authentication;
using System.Security.Cryptography.X509Certificates;
using Microsoft.AspNetCore.Server.Kestrel.Https;

namespace FhirSecurity.TestServer;

/// <summary>How to start a <see cref="FhirTestServer"/>. Every member has a usable default.</summary>
public sealed class FhirTestServerOptions
{
    /// <summary>The PKI to serve from; null makes a new one that the server owns and disposes.</summary>
    public TestPki? Pki { get; init; }

    /// <summary>The TLS certificate (with private key); null means <see cref="TestPki.ServerCertificate"/>.</summary>
    public X509Certificate2? ServerCertificate { get; init; }

    /// <summary>Send the CA certificates after the leaf in the handshake; false sends the leaf alone.</summary>
    public bool SendCertificateChain { get; init; } = true;

    /// <summary>The CA certificates to send; null means <see cref="TestPki.ChainFor"/> of the server certificate.</summary>
    public X509Certificate2Collection? ServerCertificateChain { get; init; }

    /// <summary>Whether to ask for a TLS client certificate; one is accepted only if it chains to the PKI root with the clientAuth EKU.</summary>
    public ClientCertificateMode ClientCertificateMode { get; init; } = ClientCertificateMode.NoCertificate;

    /// <summary>
    /// Play nginx with <c>ssl_verify_client on</c>: the handshake asks for a client certificate and finishes without
    /// one (as <see cref="ClientCertificateMode.AllowCertificate"/>, whatever <see cref="ClientCertificateMode"/> says),
    /// then every request that came without one gets nginx's "400 No required SSL certificate was sent" page.
    /// </summary>
    public bool NginxClientCertificateCheck { get; init; }

    /// <summary>The TLS versions the server offers; null leaves the platform default (TLS 1.2 and 1.3 with OpenSSL 3).</summary>
    public SslProtocols? ServerSslProtocols { get; init; }

    /// <summary>Number of patients in the store at start.</summary>
    public int SeedPatientCount { get; init; } = 25;

    /// <summary>Search page size when the request has no <c>_count</c>.</summary>
    public int DefaultPageSize { get; init; } = 10;

    /// <summary>Largest page size a request can ask for; larger <c>_count</c> values are lowered to it.</summary>
    public int MaxPageSize { get; init; } = 100;

    /// <summary>Lifetime of issued access tokens; can be changed later through <see cref="FhirTestServer.TokenLifetime"/>.</summary>
    public TimeSpan TokenLifetime { get; init; } = TimeSpan.FromMinutes(5);

    /// <summary>Clients the token endpoint accepts.</summary>
    public IReadOnlyList<OAuthClientRegistration> OAuthClients { get; init; } = [OAuthClientRegistration.Demo, OAuthClientRegistration.Workload];

    /// <summary>Whether the managed identity endpoint has a system-assigned identity.</summary>
    public bool ManagedIdentitySystemAssigned { get; init; } = true;

    /// <summary>The user-assigned identities (client ids) the managed identity endpoint knows.</summary>
    public IReadOnlyList<string> ManagedIdentityClientIds { get; init; } = [UserAssignedClientId];

    /// <summary>The user-assigned identity the endpoint knows by default.</summary>
    public const string UserAssignedClientId = "6f2a1c3e-9b4d-4e8f-a1b2-c3d4e5f60718";

    /// <summary>Users the Basic Auth base accepts.</summary>
    public IReadOnlyList<BasicUser> BasicUsers { get; init; } = [BasicUser.Demo];

    /// <summary>Clock for token expiry and resource timestamps; tests pass their own to expire tokens without waiting.</summary>
    public TimeProvider TimeProvider { get; init; } = TimeProvider.System;
}
