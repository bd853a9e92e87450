using System.Net.Security;
using System.Security.Authentication;
using System.Security.Cryptography.X509Certificates;
using Microsoft.AspNetCore.Server.Kestrel.Https;

namespace FhirSecurity.TestServer;

/// <summary>
/// The server side of TLS: which certificate and chain to present (swappable while running) and how to check
/// client certificates.
/// </summary>
internal sealed class TlsSettings(TestPki pki, ClientCertificateMode clientCertificateMode, SslProtocols? protocols = null)
{
    private int _lastProtocol;

    // One reference, so a handshake never sees the new certificate with the old context or back.
    private volatile Presented? _presented;

    public X509Certificate2 Certificate => Current.Certificate;

    /// <summary>The protocol of the last completed handshake, or None before the first.</summary>
    public SslProtocols LastProtocol
    {
        get => (SslProtocols)Volatile.Read(ref _lastProtocol);
        set => Volatile.Write(ref _lastProtocol, (int)value);
    }

    private Presented Current => _presented ?? throw new InvalidOperationException("No server certificate set.");

    public void SetCertificate(X509Certificate2 certificate, X509Certificate2Collection chain)
    {
        // offline: the chain is handed over complete; nothing to fetch from AIA or the system store.
        _presented = new Presented(certificate, SslStreamCertificateContext.Create(certificate, chain, offline: true));
    }

    public SslServerAuthenticationOptions CreateOptions() => new()
    {
        ServerCertificateContext = Current.Context,
        EnabledSslProtocols = protocols ?? SslProtocols.None,
        ApplicationProtocols = [SslApplicationProtocol.Http2, SslApplicationProtocol.Http11],
        ClientCertificateRequired = clientCertificateMode is ClientCertificateMode.AllowCertificate or ClientCertificateMode.RequireCertificate,
        RemoteCertificateValidationCallback = ValidateClientCertificate,
    };

    private bool ValidateClientCertificate(object sender, X509Certificate? certificate, X509Chain? chain, SslPolicyErrors errors)
    {
        if (certificate is null)
        {
            return clientCertificateMode != ClientCertificateMode.RequireCertificate;
        }

        using var custom = new X509Chain();
        custom.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
        custom.ChainPolicy.CustomTrustStore.Add(pki.Root);
        custom.ChainPolicy.ExtraStore.Add(pki.Intermediate);
        custom.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
        custom.ChainPolicy.ApplicationPolicy.Add(new System.Security.Cryptography.Oid("1.3.6.1.5.5.7.3.2"));
        using var presented = new X509Certificate2(certificate);
        return custom.Build(presented);
    }

    private sealed record Presented(X509Certificate2 Certificate, SslStreamCertificateContext Context);
}
