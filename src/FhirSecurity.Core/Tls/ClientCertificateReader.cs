using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using FhirSecurity.Core.Errors;
using FhirSecurity.Core.Secrets;

namespace FhirSecurity.Core.Tls;

/// <summary>
/// Reads and checks a client certificate a user imports: a PKCS#12/PFX file (optionally with a password), or a
/// PEM certificate with its key in the same file or a separate one (optionally encrypted). Each refusal has its
/// own error id; messages name files and subjects, never keys or passwords.
/// </summary>
public static class ClientCertificateReader
{
    /// <summary>Certificates that expire within this window are accepted with a warning.</summary>
    public static readonly TimeSpan ExpiryWarningWindow = TimeSpan.FromDays(30);

    private const string ClientAuthOid = "1.3.6.1.5.5.7.3.2";
    private const string AnyExtendedKeyUsageOid = "2.5.29.37.0";

    /// <summary>Reads the files and checks the certificate at <paramref name="now"/>.</summary>
    /// <param name="certificatePath">The PFX or PEM file (a resolved file system path).</param>
    /// <param name="keyPath">A separate PEM key file, or null.</param>
    /// <param name="password">The PFX password or the password of an encrypted PEM key, or null.</param>
    /// <param name="now">The time validity is checked against.</param>
    public static ClientCertificateImport Read(
        string certificatePath,
        string? keyPath,
        SecretValue? password,
        DateTimeOffset now)
    {
        byte[] bytes = ReadFile(certificatePath);
        try
        {
            bool pem = LooksLikePem(bytes);
            if (!pem && keyPath is not null)
            {
                throw Failure(
                    ErrorIds.ConnectionClientCertificateConflict,
                    FailureCategory.InvalidArgument,
                    $"'{certificatePath}' is a PKCS#12/PFX file, which holds its own key: leave"
                    + " -ClientCertificateKeyPath out (it is for PEM certificates).",
                    certificatePath);
            }

            (X509Certificate2 leaf, X509Certificate2[] extra) = pem
                ? FromPem(certificatePath, Encoding.ASCII.GetString(bytes), keyPath, password)
                : FromPkcs12(certificatePath, bytes, password);
            using (leaf)
            {
                var warnings = Check(leaf, certificatePath, now);
                try
                {
                    return new ClientCertificateImport(ClientCertificate.Create(leaf, extra), warnings);
                }
                finally
                {
                    foreach (X509Certificate2 certificate in extra)
                    {
                        certificate.Dispose();
                    }
                }
            }
        }
        finally
        {
            CryptographicOperations.ZeroMemory(bytes);
        }
    }

    private static IReadOnlyList<string> Check(X509Certificate2 leaf, string path, DateTimeOffset now)
    {
        var notBefore = new DateTimeOffset(leaf.NotBefore.ToUniversalTime(), TimeSpan.Zero);
        var notAfter = new DateTimeOffset(leaf.NotAfter.ToUniversalTime(), TimeSpan.Zero);
        if (now > notAfter)
        {
            throw Failure(
                ErrorIds.ClientCertificateExpired,
                FailureCategory.InvalidData,
                $"The client certificate '{leaf.Subject}' in '{path}' expired on {notAfter:u}. Get a renewed"
                + " certificate from its CA and import that.",
                path);
        }

        if (now < notBefore)
        {
            throw Failure(
                ErrorIds.ClientCertificateNotYetValid,
                FailureCategory.InvalidData,
                $"The client certificate '{leaf.Subject}' in '{path}' is not valid before {notBefore:u}. Check this"
                + " machine's clock, or import it once it is valid.",
                path);
        }

        X509EnhancedKeyUsageExtension? eku = leaf.Extensions.OfType<X509EnhancedKeyUsageExtension>().FirstOrDefault();
        if (eku is not null
            && !eku.EnhancedKeyUsages.Cast<Oid>().Any(o => o.Value is ClientAuthOid or AnyExtendedKeyUsageOid))
        {
            string usages = string.Join(", ", eku.EnhancedKeyUsages.Cast<Oid>()
                .Select(o => string.IsNullOrEmpty(o.FriendlyName) ? o.Value : $"{o.FriendlyName} ({o.Value})"));
            throw Failure(
                ErrorIds.ClientCertificateUsageInvalid,
                FailureCategory.InvalidData,
                $"The certificate '{leaf.Subject}' in '{path}' is not for TLS client authentication: its extended key"
                + $" usage is {usages}, without clientAuth ({ClientAuthOid}). Servers refuse it; ask the CA for a"
                + " client certificate.",
                path);
        }

        return notAfter - now <= ExpiryWarningWindow
            ? [
                $"The client certificate '{leaf.Subject}' (thumbprint {leaf.Thumbprint}) expires on {notAfter:u},"
                + $" within {ExpiryWarningWindow.TotalDays:0} days. Plan its renewal"
                + " (Set-FhirConnection -ClientCertificatePath).",
            ]
            : [];
    }

    private static (X509Certificate2 Leaf, X509Certificate2[] Extra) FromPkcs12(
        string path,
        byte[] bytes,
        SecretValue? password)
    {
        var collection = new X509Certificate2Collection();
        try
        {
            collection.Import(bytes, password?.Reveal(), X509KeyStorageFlags.Exportable | ImportFlags);
        }
        catch (CryptographicException)
        {
            // A DER SEQUENCE that does not open is most likely a PFX with another password; anything else is not a PFX.
            throw bytes.Length > 0 && bytes[0] == 0x30
                ? Failure(
                    ErrorIds.ClientCertificatePasswordInvalid,
                    FailureCategory.SecurityError,
                    $"The PKCS#12/PFX file '{path}' could not be opened: the password is wrong"
                    + $"{(password is null ? " or missing (pass -ClientCertificatePassword)" : string.Empty)}, or the"
                    + " file is damaged.",
                    path)
                : Failure(
                    ErrorIds.ClientCertificateUnreadable,
                    FailureCategory.InvalidData,
                    $"'{path}' is neither a PKCS#12/PFX file nor a PEM certificate.",
                    path);
        }

        X509Certificate2? leaf = collection.FirstOrDefault(c => c.HasPrivateKey);
        if (leaf is null)
        {
            DisposeAll(collection);
            throw Failure(
                ErrorIds.ClientCertificateNoPrivateKey,
                FailureCategory.InvalidData,
                $"The PKCS#12/PFX file '{path}' holds no private key. Export the certificate together with its private"
                + " key.",
                path);
        }

        return (leaf, collection.Where(c => !ReferenceEquals(c, leaf)).ToArray());
    }

    private static (X509Certificate2 Leaf, X509Certificate2[] Extra) FromPem(
        string path,
        string pem,
        string? keyPath,
        SecretValue? password)
    {
        var certificates = new X509Certificate2Collection();
        try
        {
            certificates.ImportFromPem(pem);
        }
        catch (CryptographicException)
        {
            throw Failure(
                ErrorIds.ClientCertificateUnreadable,
                FailureCategory.InvalidData,
                $"The PEM file '{path}' holds a certificate that cannot be read.",
                path);
        }

        if (certificates.Count == 0)
        {
            throw Failure(
                ErrorIds.ClientCertificateUnreadable,
                FailureCategory.InvalidData,
                $"The PEM file '{path}' holds no CERTIFICATE block.",
                path);
        }

        string keySource = keyPath ?? path;
        string keyPem;
        if (keyPath is null)
        {
            keyPem = pem;
        }
        else
        {
            byte[] keyBytes = ReadFile(keyPath);
            keyPem = Encoding.ASCII.GetString(keyBytes);
            CryptographicOperations.ZeroMemory(keyBytes);
        }

        X509Certificate2 certificate = certificates[0];
        string subject = certificate.Subject;
        bool encrypted = keyPem.Contains("-----BEGIN ENCRYPTED PRIVATE KEY-----", StringComparison.Ordinal);
        if (!encrypted && !keyPem.Contains("PRIVATE KEY-----", StringComparison.Ordinal))
        {
            DisposeAll(certificates);
            throw Failure(
                ErrorIds.ClientCertificateNoPrivateKey,
                FailureCategory.InvalidData,
                keyPath is null
                    ? $"The PEM file '{path}' holds no private key. Put the key in the same file, or pass its file with"
                      + " -ClientCertificateKeyPath."
                    : $"The key file '{keyPath}' holds no PEM private key.",
                keySource);
        }

        if (encrypted && password is null)
        {
            DisposeAll(certificates);
            throw Failure(
                ErrorIds.ClientCertificatePasswordInvalid,
                FailureCategory.SecurityError,
                $"The private key in '{keySource}' is encrypted: pass its password with -ClientCertificatePassword.",
                keySource);
        }

        using AsymmetricAlgorithm key = CreateKey(certificate, path);
        try
        {
            if (encrypted)
            {
                key.ImportFromEncryptedPem(keyPem, password!.Reveal());
            }
            else
            {
                key.ImportFromPem(keyPem);
            }
        }
        catch (CryptographicException) when (encrypted)
        {
            DisposeAll(certificates);
            throw Failure(
                ErrorIds.ClientCertificatePasswordInvalid,
                FailureCategory.SecurityError,
                $"The encrypted private key in '{keySource}' could not be decrypted: the password is wrong.",
                keySource);
        }
        catch (Exception ex) when (ex is ArgumentException or CryptographicException)
        {
            // The PEM holds a key, but not one of the certificate's type (an EC key for an RSA certificate).
            DisposeAll(certificates);
            throw Failure(
                ErrorIds.ClientCertificateKeyMismatch,
                FailureCategory.InvalidData,
                $"The private key in '{keySource}' does not belong to the certificate '{subject}' in '{path}' (a"
                + " different key type, or a key that cannot be read).",
                keySource);
        }

        X509Certificate2 withKey;
        try
        {
            using X509Certificate2 ephemeral = key switch
            {
                RSA rsa => certificate.CopyWithPrivateKey(rsa),
                ECDsa ecdsa => certificate.CopyWithPrivateKey(ecdsa),
                _ => throw new ArgumentException("unsupported key"),
            };
            // Through PKCS#12 once, so the key is exportable on every platform for the stored form.
            withKey = new X509Certificate2(
                ephemeral.Export(X509ContentType.Pkcs12),
                (string?)null,
                X509KeyStorageFlags.Exportable | ImportFlags);
        }
        catch (ArgumentException)
        {
            DisposeAll(certificates);
            throw Failure(
                ErrorIds.ClientCertificateKeyMismatch,
                FailureCategory.InvalidData,
                $"The private key in '{keySource}' does not match the certificate '{subject}' in '{path}': it is the"
                + " key of another certificate.",
                keySource);
        }

        X509Certificate2[] extra = certificates.Skip(1).ToArray();
        certificate.Dispose();
        return (withKey, extra);
    }

    private static AsymmetricAlgorithm CreateKey(X509Certificate2 certificate, string path)
        => certificate.GetKeyAlgorithm() switch
        {
            "1.2.840.113549.1.1.1" => RSA.Create(),
            "1.2.840.10045.2.1" => ECDsa.Create(),
            string oid => throw Failure(
                ErrorIds.ClientCertificateUnreadable,
                FailureCategory.InvalidData,
                $"The certificate '{certificate.Subject}' in '{path}' has a key type ({oid}) that is not supported:"
                + " use an RSA or ECDSA certificate.",
                path),
        };

    // Import only to check and re-export: ephemeral where the platform has it, so no key file is written.
    private static X509KeyStorageFlags ImportFlags => OperatingSystem.IsMacOS()
        ? X509KeyStorageFlags.DefaultKeySet
        : X509KeyStorageFlags.EphemeralKeySet;

    private static bool LooksLikePem(byte[] bytes)
        => Encoding.ASCII.GetString(bytes, 0, Math.Min(bytes.Length, 64 * 1024))
            .Contains("-----BEGIN ", StringComparison.Ordinal);

    private static byte[] ReadFile(string path)
    {
        try
        {
            return File.ReadAllBytes(path);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw Failure(
                ErrorIds.ClientCertificateFileNotFound,
                FailureCategory.ObjectNotFound,
                $"The file '{path}' could not be read: {ex.Message}",
                path,
                ex);
        }
    }

    private static void DisposeAll(X509Certificate2Collection collection)
    {
        foreach (X509Certificate2 certificate in collection)
        {
            certificate.Dispose();
        }
    }

    private static FhirSecurityException Failure(
        string id,
        FailureCategory category,
        string message,
        string target,
        Exception? inner = null)
        => new(id, category, message, target, inner);
}

/// <summary>A checked client certificate and the warnings found (such as an expiry within 30 days).</summary>
/// <param name="Certificate">The certificate in its stored form.</param>
/// <param name="Warnings">What the user should hear about.</param>
public sealed record ClientCertificateImport(ClientCertificate Certificate, IReadOnlyList<string> Warnings);
