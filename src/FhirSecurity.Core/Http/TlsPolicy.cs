using System.Collections.Concurrent;
using System.Net.Security;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using FhirSecurity.Core.Definitions;
using FhirSecurity.Core.Tls;

namespace FhirSecurity.Core.Http;

/// <summary>
/// How one connection validates server certificates. <c>CustomBundle</c> builds the chain only to the bundle's
/// roots (<see cref="X509ChainPolicy.CustomTrustStore"/>), with the bundle's intermediates as extra material, and
/// still requires the host name to match; <c>Default</c> is the platform's own validation; <c>Skip</c> accepts
/// anything. The reason for the last refusal per host is kept, so an error can say why.
/// </summary>
public sealed class TlsPolicy
{
    private readonly X509Certificate2Collection _roots = [];
    private readonly X509Certificate2Collection _intermediates = [];
    private readonly ConcurrentDictionary<string, string> _lastFailure = new(StringComparer.OrdinalIgnoreCase);

    /// <summary>Creates the policy for a mode; <paramref name="bundle"/> is required for CustomBundle.</summary>
    public TlsPolicy(TlsValidationMode mode, CaBundle? bundle)
    {
        Mode = mode;
        if (mode == TlsValidationMode.CustomBundle)
        {
            ArgumentNullException.ThrowIfNull(bundle);
            foreach (X509Certificate2 certificate in bundle.ToCollection())
            {
                (certificate.SubjectName.RawData.AsSpan().SequenceEqual(certificate.IssuerName.RawData) ? _roots : _intermediates).Add(certificate);
            }
        }

        Fingerprint = mode + ":" + (bundle is null ? "-" : Convert.ToHexString(SHA256.HashData(Encoding.ASCII.GetBytes(bundle.Pem))));
    }

    /// <summary>The validation mode.</summary>
    public TlsValidationMode Mode { get; }

    /// <summary>Identifies the policy for pooling: equal fingerprints validate identically.</summary>
    public string Fingerprint { get; }

    /// <summary>Why the last certificate presented by <paramref name="host"/> was refused, or null.</summary>
    public string? LastFailure(string host) => _lastFailure.TryGetValue(host, out string? reason) ? reason : null;

    /// <summary>The callback for <see cref="SslClientAuthenticationOptions.RemoteCertificateValidationCallback"/>.</summary>
    public bool Validate(object sender, X509Certificate? certificate, X509Chain? platformChain, SslPolicyErrors errors)
    {
        string host = (sender as SslStream)?.TargetHostName ?? string.Empty;
        string? failure = Mode switch
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

    private string? ValidateAgainstBundle(X509Certificate? presented, X509Chain? platformChain, SslPolicyErrors errors, string host)
    {
        if (presented is null)
        {
            return "the server presented no certificate";
        }

        if (errors.HasFlag(SslPolicyErrors.RemoteCertificateNameMismatch))
        {
            return NameMismatch(presented, host);
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

        chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
        chain.ChainPolicy.ApplicationPolicy.Add(new System.Security.Cryptography.Oid("1.3.6.1.5.5.7.3.1"));
        using var leaf = new X509Certificate2(presented);
        return chain.Build(leaf)
            ? null
            : $"the certificate '{leaf.Subject}' does not chain to the CA bundle: {DescribeChain(chain)}";
    }

    private static string? DescribeDefault(SslPolicyErrors errors, X509Chain? chain, X509Certificate? presented, string host)
    {
        if (errors == SslPolicyErrors.None)
        {
            return null;
        }

        if (errors.HasFlag(SslPolicyErrors.RemoteCertificateNotAvailable) || presented is null)
        {
            return "the server presented no certificate";
        }

        if (errors.HasFlag(SslPolicyErrors.RemoteCertificateNameMismatch))
        {
            return NameMismatch(presented, host);
        }

        return $"the certificate '{presented.Subject}' is not trusted by the system trust store: {(chain is null ? "no chain" : DescribeChain(chain))}";
    }

    private static string NameMismatch(X509Certificate presented, string host)
    {
        using var leaf = new X509Certificate2(presented);
        string names = string.Join(", ", leaf.Extensions.OfType<X509SubjectAlternativeNameExtension>()
            .SelectMany(san => san.EnumerateDnsNames().Concat(san.EnumerateIPAddresses().Select(ip => ip.ToString()))));
        return $"the certificate is for '{(names.Length > 0 ? names : leaf.Subject)}', not for the host '{host}' that was called";
    }

    private static string DescribeChain(X509Chain chain)
    {
        string statuses = string.Join("; ", chain.ChainElements
            .SelectMany(e => e.ChainElementStatus.Select(s => $"{e.Certificate.Subject}: {s.Status} ({s.StatusInformation.Trim()})"))
            .Concat(chain.ChainStatus.Select(s => $"{s.Status} ({s.StatusInformation.Trim()})"))
            .Distinct());
        return statuses.Length > 0 ? statuses : "chain could not be built";
    }
}
