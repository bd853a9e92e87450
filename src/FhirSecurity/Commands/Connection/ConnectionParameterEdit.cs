using System.Management.Automation;
using FhirSecurity.Core.Definitions.Edits;
using FhirSecurity.Core.Errors;
using FhirSecurity.Core.Tls;

namespace FhirSecurity.Commands;

/// <summary>
/// The engine's connection edit from the parameters New-FhirConnection and Set-FhirConnection share: the client
/// certificate files read (resolved against the current location) before the vault is touched, secrets converted.
/// </summary>
internal static class ConnectionParameterEdit
{
    /// <summary>
    /// The edit the shared parameters give, the client certificate read and checked; with
    /// <paramref name="removeCertificate"/> (-NoClientCertificate) a certificate path is a contradiction.
    /// </summary>
    public static ConnectionEdit From(ConnectionWriteCommand cmdlet, string name, bool removeCertificate = false)
        => new()
        {
            BasicAuth = cmdlet.ParameterSetName == ConnectionWriteCommand.BasicSet ? cmdlet.BasicAuth : null,
            OAuth = cmdlet.ParameterSetName == ConnectionWriteCommand.OAuthSet ? cmdlet.OAuth : null,
            NoAuthentication = cmdlet.ParameterSetName == ConnectionWriteCommand.NoAuthSet,
            CaBundle = cmdlet.CaBundle,
            AllowUnencryptedAuthentication = cmdlet.IsBound(nameof(cmdlet.AllowUnencryptedAuthentication))
                ? cmdlet.AllowUnencryptedAuthentication.IsPresent
                : null,
            ClientCertificate = ReadClientCertificate(cmdlet, name, removeCertificate),
            NoClientCertificate = removeCertificate,
            Proxy = cmdlet.Proxy,
            ProxyCredential = SecureStrings.ToCredential(cmdlet.ProxyCredential),
            NoProxy = cmdlet.NoProxy,
            BulkDataOrigins = cmdlet.BulkDataOrigin,
        };

    // Its warnings (expiry soon) go to the warning stream.
    private static ClientCertificate? ReadClientCertificate(ConnectionWriteCommand cmdlet, string name, bool remove)
    {
        string? path = cmdlet.ClientCertificatePath;
        string? keyPath = cmdlet.ClientCertificateKeyPath;
        bool keyOrPassword = keyPath is not null || cmdlet.ClientCertificatePassword is not null;
        ConnectionEdit.CheckClientCertificateParameters(path is not null, keyOrPassword, remove, name);
        if (path is null)
        {
            return null;
        }

        string file = Resolve(cmdlet, path, "client certificate");
        string? keyFile = keyPath is null ? null : Resolve(cmdlet, keyPath, "client certificate key");
        ClientCertificateImport import = ClientCertificateReader.Read(
            file, keyFile, SecureStrings.ToSecret(cmdlet.ClientCertificatePassword), DateTimeOffset.UtcNow);
        foreach (string warning in import.Warnings)
        {
            cmdlet.WriteWarning(warning);
        }

        return import.Certificate;
    }

    private static string Resolve(PSCmdlet cmdlet, string path, string what)
        => UserFiles.Resolve(
            cmdlet,
            path,
            ErrorIds.ClientCertificateFileNotFound,
            $"The {what} file '{path}' was not found. Give the path of one file (no wildcards).");
}
