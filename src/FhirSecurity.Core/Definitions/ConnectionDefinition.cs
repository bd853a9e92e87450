using FhirSecurity.Core.Definitions.Edits;
using FhirSecurity.Core.Errors;
using FhirSecurity.Core.Fhir;
using FhirSecurity.Core.Tls;

namespace FhirSecurity.Core.Definitions;

/// <summary>
/// A FHIR server: its base URL, at most one way to authenticate, and how to validate its TLS certificate.
/// </summary>
public sealed record ConnectionDefinition : Definition
{
    /// <summary>The timeout when none is given.</summary>
    public const int DefaultTimeoutSec = 100;

    /// <summary>The longest timeout accepted.</summary>
    public const int MaxTimeoutSec = 3600;

    /// <summary>The FHIR base URL, e.g. <c>https://fhir.example.org/r4/</c>.</summary>
    public required Uri BaseUri { get; init; }

    /// <summary>The Basic Auth definition to use, or null.</summary>
    public string? BasicAuth { get; init; }

    /// <summary>The OAuth definition to use, or null. Never set together with <see cref="BasicAuth"/>.</summary>
    public string? OAuth { get; init; }

    /// <summary>How the server certificate is validated.</summary>
    public TlsValidationMode TlsValidation { get; init; } = TlsValidationMode.Default;

    /// <summary>The CA bundle for <see cref="TlsValidationMode.CustomBundle"/>.</summary>
    public string? CaBundle { get; init; }

    /// <summary>
    /// The oldest TLS version negotiated (TLS 1.2 unless raised to 1.3); nothing older is ever offered.
    /// </summary>
    public TlsVersion MinimumTlsVersion { get; init; } = TlsVersion.Tls12;

    /// <summary>Whether the server's certificate chain is checked for revocation.</summary>
    public RevocationCheckMode RevocationMode { get; init; } = RevocationCheckMode.NoCheck;

    /// <summary>Per-request timeout in seconds.</summary>
    public int TimeoutSec { get; init; } = DefaultTimeoutSec;

    /// <summary>Lets credentials travel over plain http://. Off unless the user asked for it.</summary>
    public bool AllowUnencryptedAuthentication { get; init; }

    /// <summary>The TLS client certificate sent to the FHIR server and the token endpoint, or null.</summary>
    public ClientCertificate? ClientCertificate { get; init; }

    /// <summary>The proxy for the FHIR server and the token endpoint (the system proxy unless set).</summary>
    public ProxySettings Proxy { get; init; } = ProxySettings.System;

    /// <summary>
    /// Other origins (https://host[:port]) that may receive the connection's credentials during a Bulk Data export:
    /// a provider's status or file server on another host. Ordinary requests never send credentials there.
    /// </summary>
    public IReadOnlyList<Uri> BulkDataOrigins { get; init; } = [];

    /// <inheritdoc />
    public override DefinitionKind Kind => DefinitionKind.Connection;

    /// <summary>
    /// The base URI with a trailing slash, so that relative paths such as <c>Patient/1</c> resolve below it
    /// instead of replacing its last segment.
    /// </summary>
    public static Uri NormalizeBaseUri(Uri baseUri)
        => baseUri.IsAbsoluteUri && !baseUri.AbsolutePath.EndsWith('/')
            ? new UriBuilder(baseUri) { Path = baseUri.AbsolutePath + "/" }.Uri
            : baseUri;

    /// <summary>True when the connection sends credentials.</summary>
    public bool HasAuthentication => BasicAuth is not null || OAuth is not null;

    /// <summary>
    /// True when a request to <paramref name="uri"/> may carry the connection's credentials: on the base URL's
    /// origin always, on a <see cref="BulkDataOrigins"/> entry only for a Bulk Data export's requests.
    /// </summary>
    public bool MaySendCredentialsTo(Uri uri, bool bulkData)
        => FhirUris.SameOrigin(uri, BaseUri)
           || (bulkData && BulkDataOrigins.Any(origin => FhirUris.SameOrigin(uri, origin)));

    /// <summary>The origin of <paramref name="uri"/>: scheme, host and port, e.g. https://files.example.org.</summary>
    public static string OriginOf(Uri uri) => uri.GetLeftPart(UriPartial.Authority);

    /// <inheritdoc />
    public override IEnumerable<DefinitionReference> References
    {
        get
        {
            if (BasicAuth is not null)
            {
                yield return new DefinitionReference(DefinitionKind.BasicAuth, BasicAuth);
            }

            if (OAuth is not null)
            {
                yield return new DefinitionReference(DefinitionKind.OAuth, OAuth);
            }

            if (CaBundle is not null)
            {
                yield return new DefinitionReference(DefinitionKind.CaBundle, CaBundle);
            }
        }
    }

    /// <inheritdoc />
    public override void Validate()
    {
        DefinitionName.Validate(Name, Kind);
        if (!BaseUri.IsAbsoluteUri || (BaseUri.Scheme != Uri.UriSchemeHttps && BaseUri.Scheme != Uri.UriSchemeHttp)
            || !string.IsNullOrEmpty(BaseUri.Query)
            || !string.IsNullOrEmpty(BaseUri.Fragment)
            || !string.IsNullOrEmpty(BaseUri.UserInfo))
        {
            throw Invalid(
                ErrorIds.ConnectionBaseUriInvalid,
                $"The base URI '{BaseUri}' must be an absolute https:// (or http://) URL without query, fragment or"
                + " user info, e.g. https://fhir.example.org/r4/.");
        }

        if (BasicAuth is not null && OAuth is not null)
        {
            throw Invalid(
                ErrorIds.ConnectionAuthenticationConflict,
                "A connection uses Basic Auth or OAuth, not both: HTTP has one Authorization header. Choose one.");
        }

        if (BasicAuth is not null)
        {
            DefinitionName.Validate(BasicAuth, DefinitionKind.BasicAuth);
        }

        if (OAuth is not null)
        {
            DefinitionName.Validate(OAuth, DefinitionKind.OAuth);
        }

        switch (TlsValidationChoice.Check(TlsValidation, CaBundle))
        {
            case TlsBundleProblem.BundleRequired:
                throw Invalid(
                    ErrorIds.ConnectionCaBundleRequired,
                    "TLS validation 'CustomBundle' needs a CA bundle: pass -CaBundle with the name of a bundle made by"
                    + " Import-FhirCaBundle.");
            case TlsBundleProblem.BundleUnused:
                throw Invalid(
                    ErrorIds.ConnectionCaBundleUnused,
                    "A CA bundle is only used with -TlsValidation CustomBundle, and this connection uses"
                    + $" '{TlsValidation}'. Pass -TlsValidation CustomBundle, or leave -CaBundle out.");
        }

        if (CaBundle is not null)
        {
            DefinitionName.Validate(CaBundle, DefinitionKind.CaBundle);
        }

        if (TimeoutSec is < 1 or > MaxTimeoutSec)
        {
            throw Invalid(
                ErrorIds.ConnectionTimeoutInvalid,
                $"The timeout must be between 1 and {MaxTimeoutSec} seconds.");
        }

        Proxy.Validate(Name);
        foreach (Uri origin in BulkDataOrigins)
        {
            ValidateBulkDataOrigin(origin);
        }

        if (HasAuthentication && BaseUri.Scheme == Uri.UriSchemeHttp && !AllowUnencryptedAuthentication)
        {
            throw new FhirSecurityException(
                ErrorIds.ConnectionUnencryptedAuthentication,
                FailureCategory.SecurityError,
                $"The base URI '{BaseUri}' is plain http://, so credentials would travel unencrypted. Use https://, or"
                + " pass -AllowUnencryptedAuthentication if this is a deliberate test setup.",
                Name);
        }
    }

    private void ValidateBulkDataOrigin(Uri origin)
    {
        // Plain http only where the connection's own credentials may travel unencrypted (a test setup).
        if (!origin.IsAbsoluteUri
            || (origin.Scheme != Uri.UriSchemeHttps
                && !(origin.Scheme == Uri.UriSchemeHttp && AllowUnencryptedAuthentication))
            || origin.AbsolutePath != "/"
            || !string.IsNullOrEmpty(origin.Query)
            || !string.IsNullOrEmpty(origin.Fragment)
            || !string.IsNullOrEmpty(origin.UserInfo))
        {
            throw Invalid(
                ErrorIds.ConnectionBulkDataOriginInvalid,
                $"The Bulk Data origin '{Shown(origin)}' must be an https:// origin: scheme, host and optional port,"
                + " without path, query or user info, e.g. https://files.example.org or https://files.example.org:8443."
                + " The connection's credentials may go to every URL on it during an export.");
        }
    }

    // Never the user info or query a user may have pasted in with the URL: either may be a secret.
    private static string Shown(Uri origin)
        => origin.IsAbsoluteUri ? Http.UrlRedaction.WithoutQuery(origin) : origin.OriginalString;

    private FhirSecurityException Invalid(string errorId, string message)
        => new(errorId, FailureCategory.InvalidArgument, message, Name);
}
