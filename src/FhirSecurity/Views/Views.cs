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
        => new(d.Name, d.UserName, vault, d.Revision, d.Updated);

    public static FhirOAuthInfo Of(OAuthDefinition d, string vault)
        => new(d.Name, d.TokenUrl, d.ClientId, ToView(d.ClientAuthentication), d.Scopes, d.ExtraParameters, vault, d.Revision, d.Updated)
        {
            HasClientSecret = d.ClientSecret is not null,
            PrivateKey = d.ClientAuthentication == OAuthClientAuthentication.PrivateKeyJwt ? d.LoadKey().Description : null,
            Algorithm = d.Algorithm is { } algorithm ? ToView(algorithm) : null,
            KeyId = d.KeyId,
            JwksUrl = d.JwksUrl,
            DiscoveredFrom = d.DiscoveredFrom,
        };

    public static FhirCaBundleInfo Of(CaBundleDefinition d, CaBundle bundle, string vault)
        => new(
            d.Name,
            bundle.Certificates.Select(c => new FhirCaCertificateInfo(c.Subject, c.Issuer, c.Sha256Fingerprint, c.NotBefore, c.NotAfter, c.IsRoot)).ToArray(),
            vault,
            d.Revision,
            d.Updated);

    public static FhirConnectionInfo Of(ConnectionDefinition d, string vault)
        => new(d.Name, d.BaseUri, d.BasicAuth, d.OAuth, ToView(d.TlsValidation), d.CaBundle, TlsVersions.ToText(d.MinimumTlsVersion), ToView(d.RevocationMode), d.TimeoutSec, d.AllowUnencryptedAuthentication, vault, d.Revision, d.Updated,
            new FhirConnectionTransport(
                d.ClientCertificate?.Subject,
                d.ClientCertificate?.Thumbprint,
                d.ClientCertificate?.NotAfter,
                d.Proxy.Mode.ToString(),
                d.Proxy.Address,
                d.Proxy.UserName));

    public static FhirConnectionTestResult Of(ProbeReport r)
        => new(
            r.Connection,
            r.Vault,
            r.BaseUri,
            r.Steps.Select(s => new FhirConnectionTestStep(s.Name.ToString(), ByName<FhirTestStatus>(s.Status), s.Duration, s.Detail, s.ErrorId)).ToArray(),
            r.Addresses,
            r.RemoteEndPoint,
            r.TlsProtocol,
            r.CipherSuite,
            ToView(r.TlsValidation),
            r.ServerCertificates.Select(c => new FhirServerCertificate(c.Subject, c.Issuer, c.NotBefore, c.NotAfter, c.Sha256Fingerprint)).ToArray(),
            r.TokenEndpoint,
            r.GrantedScopes,
            r.TokenLifetime,
            r.FhirVersion,
            r.Software,
            r.ClockSkew,
            r.Duration);

    public static FhirClientAuthentication ToView(OAuthClientAuthentication method) => ByName<FhirClientAuthentication>(method);

    public static OAuthClientAuthentication ToEngine(FhirClientAuthentication method) => ByName<OAuthClientAuthentication>(method);

    public static FhirJwtAlgorithm ToView(JwtSigningAlgorithm algorithm) => ByName<FhirJwtAlgorithm>(algorithm);

    public static JwtSigningAlgorithm ToEngine(FhirJwtAlgorithm algorithm) => ByName<JwtSigningAlgorithm>(algorithm);

    public static FhirTlsValidation ToView(TlsValidationMode mode) => ByName<FhirTlsValidation>(mode);

    public static TlsValidationMode ToEngine(FhirTlsValidation mode) => ByName<TlsValidationMode>(mode);

    public static FhirRevocationMode ToView(RevocationCheckMode mode) => ByName<FhirRevocationMode>(mode);

    public static RevocationCheckMode ToEngine(FhirRevocationMode mode) => ByName<RevocationCheckMode>(mode);

    /// <summary>"1.2" or "1.3" as the engine's version; the parameters' ValidateSet lets nothing else through.</summary>
    public static TlsVersion ToTlsVersion(string text)
        => TlsVersions.TryParse(text, out TlsVersion version) ? version : throw new ArgumentException($"Unknown TLS version '{text}'.", nameof(text));

    /// <summary>
    /// The member of the same name in the other layer's enum. A value the other enum lacks (a new engine value the
    /// view was not given) is a bug to see, not a silent fallback to some default; a test keeps the pairs in step.
    /// </summary>
    private static T ByName<T>(Enum value)
        where T : struct, Enum
        => Enum.TryParse(value.ToString(), ignoreCase: false, out T mapped) && Enum.IsDefined(mapped)
            ? mapped
            : throw new InvalidOperationException(
                $"{value.GetType().Name}.{value} has no {typeof(T).Name} counterpart; add it to {typeof(T).Name}.");
}
