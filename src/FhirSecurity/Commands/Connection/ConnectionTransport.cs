using System.Management.Automation;
using System.Security;
using FhirSecurity.Core.Definitions;
using FhirSecurity.Core.Errors;
using FhirSecurity.Core.Secrets;
using FhirSecurity.Core.Tls;

namespace FhirSecurity.Commands;

/// <summary>
/// The client certificate and proxy parameters New-FhirConnection and Set-FhirConnection share: reading the
/// certificate files (resolved against the current location) and turning the proxy switches into settings, with
/// an error id for every contradiction.
/// </summary>
internal static class ConnectionTransport
{
    /// <summary>
    /// The client certificate from -ClientCertificatePath (with -ClientCertificateKeyPath and -ClientCertificatePassword),
    /// read and checked before the vault is touched, or null when no path is given; a key or password without a path
    /// is <c>ConnectionClientCertificateConflict</c>. Its warnings (expiry soon) go to the warning stream.
    /// </summary>
    public static ClientCertificate? ReadClientCertificate(PSCmdlet cmdlet, string? path, string? keyPath, SecureString? password, string name)
    {
        if (path is null)
        {
            if (keyPath is not null || password is not null)
            {
                throw new FhirSecurityException(
                    ErrorIds.ConnectionClientCertificateConflict,
                    FailureCategory.InvalidArgument,
                    "-ClientCertificateKeyPath and -ClientCertificatePassword go with -ClientCertificatePath: pass the certificate file too.",
                    name);
            }

            return null;
        }

        string file = Resolve(cmdlet, path, "client certificate");
        string? keyFile = keyPath is null ? null : Resolve(cmdlet, keyPath, "client certificate key");
        ClientCertificateImport import = ClientCertificateReader.Read(file, keyFile, SecureStrings.ToSecret(password), DateTimeOffset.UtcNow);
        foreach (string warning in import.Warnings)
        {
            cmdlet.WriteWarning(warning);
        }

        return import.Certificate;
    }

    /// <summary>
    /// The proxy from -Proxy, -ProxyCredential, -NoProxy and -SystemProxy, or <paramref name="current"/> when none
    /// is given. A new -Proxy without -ProxyCredential drops earlier credentials: they were for another proxy.
    /// -ProxyCredential alone changes the credentials of the connection's explicit proxy.
    /// </summary>
    public static ProxySettings Proxy(Uri? proxy, PSCredential? credential, bool noProxy, bool systemProxy, ProxySettings current, string name)
    {
        int modes = (proxy is not null ? 1 : 0) + (noProxy ? 1 : 0) + (systemProxy ? 1 : 0);
        if (modes > 1)
        {
            throw Conflict("-Proxy, -NoProxy and -SystemProxy exclude each other: choose one.", name);
        }

        if (credential is not null && (noProxy || systemProxy))
        {
            throw Conflict("-ProxyCredential goes with an explicit proxy (-Proxy), not with -NoProxy or -SystemProxy.", name);
        }

        if (noProxy)
        {
            return ProxySettings.None;
        }

        if (systemProxy)
        {
            return ProxySettings.System;
        }

        (string? user, SecretValue? password) = credential is null
            ? (null, null)
            : (credential.UserName, new SecretValue(credential.GetNetworkCredential().Password));
        if (proxy is not null)
        {
            return ProxySettings.Explicit(proxy, user, password);
        }

        if (credential is null)
        {
            return current;
        }

        if (current.Mode != ProxyMode.Explicit || current.Address is null)
        {
            throw Conflict("-ProxyCredential needs an explicit proxy: pass -Proxy with the proxy URL too (the system proxy takes no stored credentials).", name);
        }

        return ProxySettings.Explicit(current.Address, user, password);
    }

    private static FhirSecurityException Conflict(string message, string name)
        => new(ErrorIds.ConnectionProxyConflict, FailureCategory.InvalidArgument, message, name);

    private static string Resolve(PSCmdlet cmdlet, string path, string what)
        => UserFiles.Resolve(cmdlet, path, ErrorIds.ClientCertificateFileNotFound, $"The {what} file '{path}' was not found. Give the path of one file (no wildcards).");
}
