using FhirSecurity.Core.Errors;
using FhirSecurity.Core.Tls;

namespace FhirSecurity.Core.Definitions.Edits;

/// <summary>
/// What New-FhirConnection or Set-FhirConnection was given (null: not given). Choosing Basic Auth drops OAuth and
/// the other way round; a CA bundle implies CustomBundle (<see cref="TlsValidationChoice"/>); a new proxy drops the
/// credentials of the one it replaces.
/// </summary>
public sealed record ConnectionEdit : IDefinitionEdit<ConnectionDefinition>
{
    /// <summary>The FHIR base URL (normalised to end in a slash).</summary>
    public Uri? BaseUri { get; init; }

    /// <summary>Authenticate with this Basic Auth definition (drops OAuth).</summary>
    public string? BasicAuth { get; init; }

    /// <summary>Authenticate with this OAuth definition (drops Basic Auth).</summary>
    public string? OAuth { get; init; }

    /// <summary>Send no credentials.</summary>
    public bool NoAuthentication { get; init; }

    /// <summary>How to validate the server certificate.</summary>
    public TlsValidationMode? TlsValidation { get; init; }

    /// <summary>The CA bundle for CustomBundle validation.</summary>
    public string? CaBundle { get; init; }

    /// <summary>The oldest TLS version to negotiate.</summary>
    public TlsVersion? MinimumTlsVersion { get; init; }

    /// <summary>Whether the server's chain is checked for revocation.</summary>
    public RevocationCheckMode? RevocationMode { get; init; }

    /// <summary>The per-request timeout in seconds.</summary>
    public int? TimeoutSec { get; init; }

    /// <summary>Whether credentials may go over plain http://.</summary>
    public bool? AllowUnencryptedAuthentication { get; init; }

    /// <summary>A client certificate, read and checked already.</summary>
    public ClientCertificate? ClientCertificate { get; init; }

    /// <summary>Removes the client certificate.</summary>
    public bool NoClientCertificate { get; init; }

    /// <summary>An explicit http:// proxy.</summary>
    public Uri? Proxy { get; init; }

    /// <summary>Credentials for the explicit proxy: with <see cref="Proxy"/>, or alone for the current one.</summary>
    public UserCredential? ProxyCredential { get; init; }

    /// <summary>Connect directly.</summary>
    public bool NoProxy { get; init; }

    /// <summary>Back to the system proxy.</summary>
    public bool SystemProxy { get; init; }

    /// <summary>The origins that replace the connection's Bulk Data origins.</summary>
    public IReadOnlyList<Uri>? BulkDataOrigins { get; init; }

    /// <summary>Removes every Bulk Data origin.</summary>
    public bool NoBulkDataOrigin { get; init; }

    /// <inheritdoc />
    public DefinitionKind Kind => DefinitionKind.Connection;

    /// <summary>
    /// The client-certificate parameters that contradict each other before any file is read: removing a certificate
    /// while setting one, and a key file or password without the certificate file they belong to.
    /// </summary>
    /// <exception cref="FhirSecurityException"><c>ConnectionClientCertificateConflict</c>.</exception>
    public static void CheckClientCertificateParameters(bool path, bool keyOrPassword, bool remove, string name)
    {
        if (remove && path)
        {
            throw CertificateConflict(
                "-NoClientCertificate removes the client certificate and -ClientCertificatePath sets one: choose one.",
                name);
        }

        if (!path && keyOrPassword)
        {
            throw CertificateConflict(
                "-ClientCertificateKeyPath and -ClientCertificatePassword go with -ClientCertificatePath: pass the"
                + " certificate file too.",
                name);
        }
    }

    /// <inheritdoc />
    public ConnectionDefinition Create(string name)
        => ApplyTo(new ConnectionDefinition
        {
            Name = name,
            BaseUri = BaseUri ?? throw new InvalidOperationException("A new connection needs a base URL."),
        });

    /// <inheritdoc />
    public ConnectionDefinition ApplyTo(ConnectionDefinition current)
    {
        (TlsValidationMode mode, string? caBundle)
            = TlsValidationChoice.Apply(TlsValidation, CaBundle, current.TlsValidation, current.CaBundle);
        return current with
        {
            BaseUri = BaseUri is null ? current.BaseUri : ConnectionDefinition.NormalizeBaseUri(BaseUri),
            BasicAuth = BasicAuth ?? (OAuth is not null || NoAuthentication ? null : current.BasicAuth),
            OAuth = OAuth ?? (BasicAuth is not null || NoAuthentication ? null : current.OAuth),
            TlsValidation = mode,
            CaBundle = caBundle,
            MinimumTlsVersion = MinimumTlsVersion ?? current.MinimumTlsVersion,
            RevocationMode = RevocationMode ?? current.RevocationMode,
            TimeoutSec = TimeoutSec ?? current.TimeoutSec,
            AllowUnencryptedAuthentication
                = AllowUnencryptedAuthentication ?? current.AllowUnencryptedAuthentication,
            ClientCertificate = NoClientCertificate ? null : ClientCertificate ?? current.ClientCertificate,
            Proxy = ProxyOver(current.Proxy, current.Name),
            BulkDataOrigins = BulkDataOriginsOver(current.BulkDataOrigins, current.Name),
        };
    }

    /// <summary>
    /// The Bulk Data origins after this edit: the ones given (each once, whatever its trailing slash or case),
    /// none with <see cref="NoBulkDataOrigin"/>, else <paramref name="current"/>.
    /// </summary>
    /// <exception cref="FhirSecurityException"><c>ConnectionBulkDataOriginConflict</c>.</exception>
    public IReadOnlyList<Uri> BulkDataOriginsOver(IReadOnlyList<Uri> current, string name)
    {
        if (NoBulkDataOrigin && BulkDataOrigins is not null)
        {
            throw new FhirSecurityException(
                ErrorIds.ConnectionBulkDataOriginConflict,
                FailureCategory.InvalidArgument,
                "-BulkDataOrigin sets the Bulk Data origins and -NoBulkDataOrigin removes them: choose one.",
                name);
        }

        if (NoBulkDataOrigin)
        {
            return [];
        }

        // Relative or odd values are kept as given for ConnectionDefinition.Validate to refuse with their text.
        return BulkDataOrigins?.DistinctBy(o => o.IsAbsoluteUri ? o.AbsoluteUri : o.OriginalString).ToArray()
               ?? current;
    }

    /// <summary>
    /// The proxy after this edit, or <paramref name="current"/> when no proxy parameter was given. A new proxy
    /// without credentials drops the earlier ones: they were for another proxy. Credentials alone change those of
    /// the current explicit proxy.
    /// </summary>
    /// <exception cref="FhirSecurityException"><c>ConnectionProxyConflict</c>.</exception>
    public ProxySettings ProxyOver(ProxySettings current, string name)
    {
        int modes = (Proxy is not null ? 1 : 0) + (NoProxy ? 1 : 0) + (SystemProxy ? 1 : 0);
        if (modes > 1)
        {
            throw ProxyConflict("-Proxy, -NoProxy and -SystemProxy exclude each other: choose one.", name);
        }

        if (ProxyCredential is not null && (NoProxy || SystemProxy))
        {
            throw ProxyConflict(
                "-ProxyCredential goes with an explicit proxy (-Proxy), not with -NoProxy or -SystemProxy.", name);
        }

        if (NoProxy)
        {
            return ProxySettings.None;
        }

        if (SystemProxy)
        {
            return ProxySettings.System;
        }

        if (Proxy is not null)
        {
            return ProxySettings.Explicit(Proxy, ProxyCredential?.UserName, ProxyCredential?.Password);
        }

        if (ProxyCredential is null)
        {
            return current;
        }

        if (current.Mode != ProxyMode.Explicit || current.Address is null)
        {
            throw ProxyConflict(
                "-ProxyCredential needs an explicit proxy: pass -Proxy with the proxy URL too (the system proxy takes"
                + " no stored credentials).",
                name);
        }

        return ProxySettings.Explicit(current.Address, ProxyCredential.UserName, ProxyCredential.Password);
    }

    private static FhirSecurityException ProxyConflict(string message, string name)
        => new(ErrorIds.ConnectionProxyConflict, FailureCategory.InvalidArgument, message, name);

    private static FhirSecurityException CertificateConflict(string message, string name)
        => new(ErrorIds.ConnectionClientCertificateConflict, FailureCategory.InvalidArgument, message, name);
}
