using System.Collections.Concurrent;
using System.Net.Security;
using System.Security.Authentication;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using FhirSecurity.Core.Definitions;
using FhirSecurity.Core.Tls;

namespace FhirSecurity.Core.Http;

/// <summary>
/// Everything that shapes one connection's handler: how server certificates are validated, the client certificate
/// and the proxy, so that <see cref="Fingerprint"/> covers everything that makes two handlers differ.
/// <c>CustomBundle</c> builds the chain only to the bundle's roots (<see cref="X509ChainPolicy.CustomTrustStore"/>),
/// with the bundle's intermediates as extra material, and still requires the host name to match; <c>Default</c> is
/// the platform's own validation; <c>Skip</c> accepts anything. Only TLS 1.2 and 1.3 (or 1.3 alone) are offered,
/// and the chain is checked for revocation as the connection says. The reason for the last refusal per host is
/// kept, so an error can say why.
/// </summary>
public sealed class TransportPolicy
{
    // What a revocation check that could not reach a verdict reports (no CRL/OCSP published, unreachable, not cached).
    private const X509ChainStatusFlags RevocationUnknownFlags =
        X509ChainStatusFlags.RevocationStatusUnknown | X509ChainStatusFlags.OfflineRevocation;

    private readonly X509Certificate2Collection _roots = [];
    private readonly X509Certificate2Collection _intermediates = [];
    private readonly ConcurrentDictionary<string, TlsRefusal> _lastFailure = new(StringComparer.OrdinalIgnoreCase);
    private readonly ConcurrentDictionary<string, bool> _certificateRequested = new(StringComparer.OrdinalIgnoreCase);
    private readonly Lazy<SslStreamCertificateContext>? _clientContext;

    /// <summary>Creates the policy for a mode; <paramref name="bundle"/> is required for CustomBundle.</summary>
    /// <param name="mode">How the certificate is validated.</param>
    /// <param name="bundle">The CA bundle for CustomBundle, else null.</param>
    /// <param name="minimumVersion">The oldest TLS version offered.</param>
    /// <param name="revocationMode">Whether the chain is checked for revocation (Default and CustomBundle).</param>
    /// <param name="clientCertificate">The TLS client certificate to present, or null.</param>
    /// <param name="proxy">The proxy; null means the system proxy.</param>
    public TransportPolicy(
        TlsValidationMode mode,
        CaBundle? bundle,
        TlsVersion minimumVersion = TlsVersion.Tls12,
        RevocationCheckMode revocationMode = RevocationCheckMode.NoCheck,
        ClientCertificate? clientCertificate = null,
        ProxySettings? proxy = null)
    {
        Mode = mode;
        MinimumVersion = minimumVersion;
        RevocationMode = revocationMode;
        ClientCertificate = clientCertificate;
        Proxy = proxy ?? ProxySettings.System;
        _clientContext = clientCertificate is null
            ? null
            : new Lazy<SslStreamCertificateContext>(clientCertificate.CreateContext);
        if (mode == TlsValidationMode.CustomBundle)
        {
            ArgumentNullException.ThrowIfNull(bundle);
            foreach (X509Certificate2 certificate in bundle.ToCollection())
            {
                (certificate.SubjectName.RawData.AsSpan().SequenceEqual(certificate.IssuerName.RawData)
                    ? _roots
                    : _intermediates).Add(certificate);
            }
        }

        // Every setting that changes what the handler accepts, so policies that differ never share a pooled handler.
        Fingerprint = mode + ":"
            + (bundle is null ? "-" : Convert.ToHexString(SHA256.HashData(Encoding.ASCII.GetBytes(bundle.Pem))))
            + ":tls" + TlsVersions.ToText(minimumVersion) + ":revocation-" + revocationMode
            + ":client-" + (clientCertificate?.Fingerprint ?? "-") + ":proxy-" + Proxy.Fingerprint;
    }

    /// <summary>The TLS client certificate presented to servers that ask for one, or null.</summary>
    public ClientCertificate? ClientCertificate { get; }

    /// <summary>
    /// The client certificate, its key and CA certificates as the handler presents them (loaded on first use), or
    /// null without a client certificate.
    /// </summary>
    public SslStreamCertificateContext? ClientCertificateContext => _clientContext?.Value;

    /// <summary>The proxy requests go through.</summary>
    public ProxySettings Proxy { get; }

    /// <summary>The validation mode.</summary>
    public TlsValidationMode Mode { get; }

    /// <summary>The oldest TLS version offered.</summary>
    public TlsVersion MinimumVersion { get; }

    /// <summary>Whether the chain is checked for revocation (ignored by Skip).</summary>
    public RevocationCheckMode RevocationMode { get; }

    /// <summary>The protocols to enable on the handler: TLS 1.2 and 1.3, or 1.3 alone. Never anything older.</summary>
    public SslProtocols EnabledProtocols
        => MinimumVersion == TlsVersion.Tls13 ? SslProtocols.Tls13 : SslProtocols.Tls12 | SslProtocols.Tls13;

    /// <summary>
    /// The revocation check for the platform's own chain
    /// (<see cref="SslClientAuthenticationOptions.CertificateRevocationCheckMode"/>): the connection's for Default;
    /// none for CustomBundle, which builds its own chain, and Skip, which looks at nothing.
    /// </summary>
    public X509RevocationMode PlatformRevocationMode
        => Mode == TlsValidationMode.Default ? ToX509(RevocationMode) : X509RevocationMode.NoCheck;

    /// <summary>
    /// Identifies the policy for pooling: equal fingerprints validate identically, present the same client
    /// certificate and use the same proxy (secrets only as hashes).
    /// </summary>
    public string Fingerprint { get; }

    /// <summary>The last refusal of a certificate presented by <paramref name="host"/>, or null.</summary>
    public TlsRefusal? LastRefusal(string host)
        => _lastFailure.TryGetValue(host, out TlsRefusal? refusal) ? refusal : null;

    /// <summary>
    /// True when <paramref name="host"/> asked for a client certificate in a handshake (seen through
    /// <see cref="SelectClientCertificate"/>), so a handshake it then ends can be explained.
    /// </summary>
    public bool ClientCertificateRequested(string host) => _certificateRequested.ContainsKey(host);

    /// <summary>
    /// The callback for <see cref="SslClientAuthenticationOptions.LocalCertificateSelectionCallback"/>: it notes
    /// that the server asked for a client certificate, and presents the connection's (or none).
    /// </summary>
    public X509Certificate SelectClientCertificate(
        object sender,
        string targetHost,
        X509CertificateCollection localCertificates,
        X509Certificate? remoteCertificate,
        string[] acceptableIssuers)
    {
        // SslStream may also call this before the handshake, to pick a certificate in advance; only a call made
        // once the server's certificate is known answers a CertificateRequest from the server.
        if (remoteCertificate is not null)
        {
            _certificateRequested[targetHost] = true;
        }

        // The delegate's signature says non-null, but null is how SslStream is told "no certificate".
        return _clientContext?.Value.TargetCertificate!;
    }

    /// <summary>
    /// Sets what this policy decides on a TLS client's options: the protocols, the platform's revocation check, the
    /// validation callback (<see cref="Validate"/>) and the client certificate (with
    /// <see cref="SelectClientCertificate"/>). The pooled handlers and a connection test's own handshake both take
    /// their options from here, so they cannot drift.
    /// </summary>
    public void Configure(SslClientAuthenticationOptions options)
    {
        // Explicit, not the platform default (None), which on some systems still allows TLS 1.0 and 1.1.
        options.EnabledSslProtocols = EnabledProtocols;
        options.CertificateRevocationCheckMode = PlatformRevocationMode;
        options.RemoteCertificateValidationCallback = Validate;
        // A context rather than a collection: it is presented whatever CAs the server names as acceptable, and the
        // CA certificates that came with it are sent along. The callback notes when a server asks for one, so a
        // handshake the server then ends can be explained (with TLS 1.3 its alert often never reaches the client).
        options.ClientCertificateContext = ClientCertificateContext;
        options.LocalCertificateSelectionCallback = SelectClientCertificate;
    }

    /// <summary>
    /// The callback for <see cref="SslClientAuthenticationOptions.RemoteCertificateValidationCallback"/>.
    /// </summary>
    public bool Validate(object sender, X509Certificate? certificate, X509Chain? platformChain, SslPolicyErrors errors)
    {
        string host = (sender as SslStream)?.TargetHostName ?? string.Empty;
        TlsRefusal? failure = Mode switch
        {
            TlsValidationMode.Skip => null,
            TlsValidationMode.Default => DescribeDefault(errors, platformChain, certificate, host),
            _ => ValidateAgainstBundle(certificate, platformChain, errors, host),
        };

        if (failure is null)
        {
            _lastFailure.TryRemove(host, out _);
            return true;
        }

        _lastFailure[host] = failure;
        return false;
    }

    private TlsRefusal? ValidateAgainstBundle(
        X509Certificate? presented,
        X509Chain? platformChain,
        SslPolicyErrors errors,
        string host)
    {
        if (presented is null)
        {
            return new TlsRefusal("the server presented no certificate", false);
        }

        if (errors.HasFlag(SslPolicyErrors.RemoteCertificateNameMismatch))
        {
            return new TlsRefusal(NameMismatch(presented, host), false);
        }

        using var chain = new X509Chain();
        chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
        chain.ChainPolicy.CustomTrustStore.AddRange(_roots);
        chain.ChainPolicy.ExtraStore.AddRange(_intermediates);
        if (platformChain is not null)
        {
            // The intermediates the server sent in the handshake (SslStream puts them here): untrusted material that
            // links the leaf to a root in the bundle, as a bundle usually holds the root alone.
            chain.ChainPolicy.ExtraStore.AddRange(platformChain.ChainPolicy.ExtraStore);
        }

        chain.ChainPolicy.RevocationMode = ToX509(RevocationMode);
        chain.ChainPolicy.ApplicationPolicy.Add(new System.Security.Cryptography.Oid("1.3.6.1.5.5.7.3.1"));
        using var leaf = new X509Certificate2(presented);
        if (chain.Build(leaf))
        {
            return null;
        }

        return OnlyRevocationUnknown(chain)
            ? RevocationUnknown(leaf.Subject, chain)
            : new TlsRefusal(
                $"the certificate '{leaf.Subject}' does not chain to the CA bundle: {DescribeChain(chain)}",
                false);
    }

    private TlsRefusal? DescribeDefault(
        SslPolicyErrors errors,
        X509Chain? chain,
        X509Certificate? presented,
        string host)
    {
        if (errors == SslPolicyErrors.None)
        {
            return null;
        }

        if (errors.HasFlag(SslPolicyErrors.RemoteCertificateNotAvailable) || presented is null)
        {
            return new TlsRefusal("the server presented no certificate", false);
        }

        if (errors.HasFlag(SslPolicyErrors.RemoteCertificateNameMismatch))
        {
            return new TlsRefusal(NameMismatch(presented, host), false);
        }

        if (chain is not null && OnlyRevocationUnknown(chain))
        {
            return RevocationUnknown(presented.Subject, chain);
        }

        return new TlsRefusal(
            $"the certificate '{presented.Subject}' is not trusted by the system trust store:"
            + $" {(chain is null ? "no chain" : DescribeChain(chain))}",
            false);
    }

    // Revocation counts as the reason only when it is the sole problem: an untrusted or expired chain is refused
    // as such, whatever its revocation status.
    private static bool OnlyRevocationUnknown(X509Chain chain)
    {
        X509ChainStatusFlags all = chain.ChainStatus
            .Aggregate(X509ChainStatusFlags.NoError, (acc, s) => acc | s.Status);
        all = chain.ChainElements.SelectMany(e => e.ChainElementStatus).Aggregate(all, (acc, s) => acc | s.Status);
        return all != X509ChainStatusFlags.NoError && (all & ~RevocationUnknownFlags) == X509ChainStatusFlags.NoError;
    }

    private TlsRefusal RevocationUnknown(string subject, X509Chain chain)
        => new(
            $"the revocation status of the certificate '{subject}' or its issuers could not be determined"
            + $" ({RevocationMode} revocation checking): {DescribeChain(chain)}",
            true);

    private static X509RevocationMode ToX509(RevocationCheckMode mode) => mode switch
    {
        RevocationCheckMode.Online => X509RevocationMode.Online,
        RevocationCheckMode.Offline => X509RevocationMode.Offline,
        _ => X509RevocationMode.NoCheck,
    };

    private static string NameMismatch(X509Certificate presented, string host)
    {
        using var leaf = new X509Certificate2(presented);
        string names = string.Join(", ", leaf.Extensions.OfType<X509SubjectAlternativeNameExtension>()
            .SelectMany(san => san.EnumerateDnsNames().Concat(san.EnumerateIPAddresses().Select(ip => ip.ToString()))));
        return $"the certificate is for '{(names.Length > 0 ? names : leaf.Subject)}', not for the host '{host}'"
            + " that was called";
    }

    private static string DescribeChain(X509Chain chain)
    {
        string statuses = string.Join("; ", chain.ChainElements
            .SelectMany(e => e.ChainElementStatus
                .Select(s => $"{e.Certificate.Subject}: {s.Status} ({s.StatusInformation.Trim()})"))
            .Concat(chain.ChainStatus.Select(s => $"{s.Status} ({s.StatusInformation.Trim()})"))
            .Distinct());
        return statuses.Length > 0 ? statuses : "chain could not be built";
    }
}

/// <summary>Why a server certificate was refused.</summary>
/// <param name="Reason">
/// What was wrong: the chain status, or the names the certificate is for against the host called.
/// </param>
/// <param name="RevocationUnknown">
/// True when the chain was otherwise acceptable but its revocation status could not be determined.
/// </param>
public sealed record TlsRefusal(string Reason, bool RevocationUnknown);
