using System.Net.Security;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using FhirSecurity.Core.Errors;
using FhirSecurity.Core.Secrets;

namespace FhirSecurity.Core.Tls;

/// <summary>
/// A connection's TLS client certificate as the vault keeps it: a passwordless PKCS#12 (base64) holding the
/// certificate, its private key and any CA certificates that came with it. Whatever the user imported (PFX with
/// a password, PEM certificate and key) is re-exported to this one form: the vault document is the secret, so a
/// password stored next to the bytes would protect nothing, and one form means one way to load it. The subject,
/// thumbprint and dates are read once, for views and messages.
/// </summary>
public sealed record ClientCertificate
{
    private ClientCertificate(SecretValue pkcs12, X509Certificate2 leaf)
    {
        Pkcs12 = pkcs12;
        Subject = leaf.Subject;
        Thumbprint = leaf.Thumbprint;
        NotBefore = new DateTimeOffset(leaf.NotBefore.ToUniversalTime(), TimeSpan.Zero);
        NotAfter = new DateTimeOffset(leaf.NotAfter.ToUniversalTime(), TimeSpan.Zero);
        Fingerprint = pkcs12.Fingerprint();
    }

    /// <summary>The passwordless PKCS#12, base64: the secret part of the connection document.</summary>
    public SecretValue Pkcs12 { get; }

    /// <summary>The certificate's subject.</summary>
    public string Subject { get; }

    /// <summary>The SHA-1 thumbprint, hex (as certificate stores show it).</summary>
    public string Thumbprint { get; }

    /// <summary>Start of validity (UTC).</summary>
    public DateTimeOffset NotBefore { get; }

    /// <summary>End of validity (UTC).</summary>
    public DateTimeOffset NotAfter { get; }

    /// <summary>
    /// A SHA-256 of the stored bytes, hex: changes when the certificate or key changes; reveals neither.
    /// </summary>
    public string Fingerprint { get; }

    /// <summary>
    /// Wraps a certificate with its private key and CA certificates, exporting them to the stored form.
    /// </summary>
    /// <param name="leaf">The certificate, with an exportable private key.</param>
    /// <param name="extra">CA certificates to send along in the handshake.</param>
    public static ClientCertificate Create(X509Certificate2 leaf, IEnumerable<X509Certificate2> extra)
    {
        var collection = new X509Certificate2Collection { leaf };
        collection.AddRange(extra.Where(c => !c.RawData.AsSpan().SequenceEqual(leaf.RawData)).ToArray());
        byte[] bytes = collection.Export(X509ContentType.Pkcs12)!;
        try
        {
            return new ClientCertificate(new SecretValue(Convert.ToBase64String(bytes)), leaf);
        }
        finally
        {
            CryptographicOperations.ZeroMemory(bytes);
        }
    }

    /// <summary>
    /// Reads the stored form; throws <c>DefinitionCorrupt</c>-style errors through <paramref name="corrupt"/>.
    /// </summary>
    public static ClientCertificate FromStored(string base64, Func<string, Exception> corrupt)
    {
        try
        {
            using Loaded loaded = Load(base64);
            return new ClientCertificate(new SecretValue(base64), loaded.Leaf);
        }
        catch (Exception ex) when (ex is FormatException or CryptographicException or InvalidOperationException)
        {
            throw corrupt("the field 'clientCertificate' is not a readable PKCS#12 certificate with a private key");
        }
    }

    /// <summary>
    /// The certificate context for <see cref="SslClientAuthenticationOptions.ClientCertificateContext"/>: the leaf
    /// with its key, and its CA certificates, sent in the handshake. Keys are loaded per platform: ephemeral on
    /// Linux (never written to disk), the user key set on Windows (SChannel cannot use ephemeral keys for client
    /// authentication; the temporary key file goes when the certificate is disposed), the default on macOS
    /// (which has no ephemeral key sets).
    /// </summary>
    public SslStreamCertificateContext CreateContext()
    {
        Loaded loaded = Load(Pkcs12.Reveal());
        return SslStreamCertificateContext.Create(loaded.Leaf, loaded.Extra, offline: true);
    }

    /// <inheritdoc />
    public override string ToString() => $"{Subject} ({Thumbprint})";

    /// <summary>The key storage flags for loading keys to use (see <see cref="CreateContext"/>).</summary>
    internal static X509KeyStorageFlags UseFlags
        => OperatingSystem.IsLinux() ? X509KeyStorageFlags.EphemeralKeySet
            : OperatingSystem.IsWindows() ? X509KeyStorageFlags.UserKeySet
            : X509KeyStorageFlags.DefaultKeySet;

    private static Loaded Load(string base64)
    {
        byte[] bytes = Convert.FromBase64String(base64);
        try
        {
            var collection = new X509Certificate2Collection();
            collection.Import(bytes, null, UseFlags);
            X509Certificate2 leaf = collection.FirstOrDefault(c => c.HasPrivateKey)
                ?? throw new InvalidOperationException("no certificate with a private key");
            var extra = new X509Certificate2Collection();
            foreach (X509Certificate2 certificate in collection)
            {
                if (!ReferenceEquals(certificate, leaf))
                {
                    extra.Add(certificate);
                }
            }

            return new Loaded(leaf, extra);
        }
        finally
        {
            CryptographicOperations.ZeroMemory(bytes);
        }
    }

    private sealed record Loaded(X509Certificate2 Leaf, X509Certificate2Collection Extra) : IDisposable
    {
        public void Dispose()
        {
            Leaf.Dispose();
            foreach (X509Certificate2 certificate in Extra)
            {
                certificate.Dispose();
            }
        }
    }
}
