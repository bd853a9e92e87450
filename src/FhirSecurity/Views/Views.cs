using FhirSecurity.Core.Definitions;
using FhirSecurity.Core.Diagnostics;
using FhirSecurity.Core.Tls;

namespace FhirSecurity;

/// <summary>Turns engine definitions into the objects users see. Secrets are not carried over.</summary>
internal static class Views
{
    public static object Of(Definition definition, string vault) => definition switch
    {
        BasicAuthDefinition d => Of(d, vault),
        OAuthDefinition d => Of(d, vault),
        CaBundleDefinition d => Of(d, d.Load(), vault),
        ConnectionDefinition d => Of(d, vault),
        _ => throw new ArgumentException("Unknown definition type.", nameof(definition)),
    };

    public static FhirBasicAuthInfo Of(BasicAuthDefinition d, string vault)
        => new(name: d.Name, userName: d.UserName, vault: vault, revision: d.Revision, updated: d.Updated);

    public static FhirOAuthInfo Of(OAuthDefinition d, string vault)
        => new(
            name: d.Name,
            tokenUrl: d.TokenUrl,
            clientId: d.ClientId.Length == 0 ? null : d.ClientId,
            clientAuthentication: ToView(d.ClientAuthentication),
            scope: d.Scopes,
            extraParameter: d.ExtraParameters,
            vault: vault,
            revision: d.Revision,
            updated: d.Updated)
        {
            HasClientSecret = d.ClientSecret is not null,
            PrivateKey = d.ClientAuthentication == OAuthClientAuthentication.PrivateKeyJwt
                ? d.LoadKey().Description
                : null,
            Algorithm = d.Algorithm is { } algorithm ? ToView(algorithm) : null,
            KeyId = d.KeyId,
            JwksUrl = d.JwksUrl,
            ClientAssertionPath = d.ClientAssertionPath,
            DiscoveredFrom = d.DiscoveredFrom,
        };

    public static FhirCaBundleInfo Of(CaBundleDefinition d, CaBundle bundle, string vault)
        => new(
            name: d.Name,
            certificates: bundle.Certificates.Select(c => new FhirCaCertificateInfo(
                subject: c.Subject,
                issuer: c.Issuer,
                sha256Fingerprint: c.Sha256Fingerprint,
                notBefore: c.NotBefore,
                notAfter: c.NotAfter,
                isRoot: c.IsRoot)).ToArray(),
            vault: vault,
            revision: d.Revision,
            updated: d.Updated);

    public static FhirConnectionInfo Of(ConnectionDefinition d, string vault)
        => new(
            name: d.Name,
            baseUri: d.BaseUri,
            basicAuth: d.BasicAuth,
            oAuth: d.OAuth,
            tlsValidation: ToView(d.TlsValidation),
            caBundle: d.CaBundle,
            minimumTlsVersion: TlsVersions.ToText(d.MinimumTlsVersion),
            revocationMode: ToView(d.RevocationMode),
            timeoutSec: d.TimeoutSec,
            allowUnencryptedAuthentication: d.AllowUnencryptedAuthentication,
            vault: vault,
            revision: d.Revision,
            updated: d.Updated)
        {
            ClientCertificateSubject = d.ClientCertificate?.Subject,
            ClientCertificateThumbprint = d.ClientCertificate?.Thumbprint,
            ClientCertificateNotAfter = d.ClientCertificate?.NotAfter,
            ProxyMode = d.Proxy.Mode.ToString(),
            Proxy = d.Proxy.Address,
            ProxyUserName = d.Proxy.UserName,
            BulkDataOrigin = [.. d.BulkDataOrigins.Select(ConnectionDefinition.OriginOf)],
        };

    public static FhirConnectionTestResult Of(ConnectionTestReport r)
        => new(
            connection: r.Connection,
            vault: r.Vault,
            baseUri: r.BaseUri,
            steps: r.Steps.Select(s => new FhirConnectionTestStep(
                name: s.Name.ToString(),
                status: ByName<FhirTestStatus>(s.Status),
                duration: s.Duration,
                detail: s.Detail,
                errorId: s.ErrorId)).ToArray(),
            addresses: r.Addresses,
            remoteEndPoint: r.RemoteEndPoint,
            tlsProtocol: r.TlsProtocol,
            cipherSuite: r.CipherSuite,
            tlsValidation: ToView(r.TlsValidation),
            serverCertificates: r.ServerCertificates.Select(c => new FhirServerCertificate(
                subject: c.Subject,
                issuer: c.Issuer,
                notBefore: c.NotBefore,
                notAfter: c.NotAfter,
                sha256Fingerprint: c.Sha256Fingerprint)).ToArray(),
            tokenEndpoint: r.TokenEndpoint,
            grantedScopes: r.GrantedScopes,
            tokenLifetime: r.TokenLifetime,
            fhirVersion: r.FhirVersion,
            software: r.Software,
            clockSkew: r.ClockSkew,
            duration: r.Duration);

    public static FhirClientAuthentication ToView(OAuthClientAuthentication method)
        => ByName<FhirClientAuthentication>(method);

    public static OAuthClientAuthentication ToEngine(FhirClientAuthentication method)
        => ByName<OAuthClientAuthentication>(method);

    public static FhirJwtAlgorithm ToView(JwtSigningAlgorithm algorithm) => ByName<FhirJwtAlgorithm>(algorithm);

    public static JwtSigningAlgorithm ToEngine(FhirJwtAlgorithm algorithm) => ByName<JwtSigningAlgorithm>(algorithm);

    public static FhirTlsValidation ToView(TlsValidationMode mode) => ByName<FhirTlsValidation>(mode);

    public static TlsValidationMode ToEngine(FhirTlsValidation mode) => ByName<TlsValidationMode>(mode);

    public static FhirRevocationMode ToView(RevocationCheckMode mode) => ByName<FhirRevocationMode>(mode);

    public static RevocationCheckMode ToEngine(FhirRevocationMode mode) => ByName<RevocationCheckMode>(mode);

    /// <summary>
    /// "1.2" or "1.3" as the engine's version; the parameters' ValidateSet lets nothing else through.
    /// </summary>
    public static TlsVersion ToTlsVersion(string text)
        => TlsVersions.TryParse(text, out TlsVersion version)
            ? version
            : throw new ArgumentException($"Unknown TLS version '{text}'.", nameof(text));

    /// <summary>
    /// The member of the same name in the other layer's enum. A value the other enum lacks (a new engine value the
    /// view was not given) is a bug to see, not a silent fallback to some default; a test keeps the pairs in step.
    /// </summary>
    internal static T ByName<T>(Enum value)
        where T : struct, Enum
        => Enum.TryParse(value.ToString(), ignoreCase: false, out T mapped) && Enum.IsDefined(mapped)
            ? mapped
            : throw new InvalidOperationException(
                $"{value.GetType().Name}.{value} has no {typeof(T).Name} counterpart; add it to {typeof(T).Name}.");
}
