using System.Net;
using System.Security.Cryptography;
using System.Text;
using FhirSecurity.Core.Errors;
using FhirSecurity.Core.Secrets;

namespace FhirSecurity.Core.Definitions;

/// <summary>
/// The proxy of a connection, used for the FHIR server and the token endpoint alike. An explicit proxy is an
/// http:// URL (requests to https:// servers go through it as CONNECT tunnels, so TLS stays end to end) with
/// optional credentials, sent when the proxy asks for them (407).
/// </summary>
public sealed record ProxySettings
{
    /// <summary>The default: the process's system or environment proxy.</summary>
    public static ProxySettings System { get; } = new() { Mode = ProxyMode.System };

    /// <summary>No proxy at all.</summary>
    public static ProxySettings None { get; } = new() { Mode = ProxyMode.None };

    /// <summary>Which kind of proxy.</summary>
    public ProxyMode Mode { get; init; }

    /// <summary>The proxy URL, for <see cref="ProxyMode.Explicit"/> only.</summary>
    public Uri? Address { get; init; }

    /// <summary>The proxy user name, or null for a proxy without authentication.</summary>
    public string? UserName { get; init; }

    /// <summary>The proxy password (with <see cref="UserName"/>), or null.</summary>
    public SecretValue? Password { get; init; }

    /// <summary>An explicit proxy.</summary>
    public static ProxySettings Explicit(Uri address, string? userName = null, SecretValue? password = null)
        => new()
        {
            Mode = ProxyMode.Explicit,
            Address = address,
            UserName = userName,
            Password = userName is null ? null : password ?? new SecretValue(string.Empty),
        };

    /// <summary>
    /// Identifies the settings for pooling: different proxies or credentials never share a handler. The
    /// credentials appear only as a hash.
    /// </summary>
    public string Fingerprint => Mode switch
    {
        ProxyMode.Explicit => "Explicit-" + Address?.AbsoluteUri + "-" + (UserName is null ? "anonymous"
            : Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(UserName + "\n" + Password?.Reveal())))),
        _ => Mode.ToString(),
    };

    /// <summary>The proxy for the handler, or null for System (the default proxy) and None.</summary>
    public IWebProxy? ToWebProxy()
        => Mode != ProxyMode.Explicit || Address is null
            ? null
            : new WebProxy(Address)
            {
                // Every host goes through it, loopback included: the user chose this proxy for this connection.
                BypassProxyOnLocal = false,
                Credentials = UserName is null
                    ? null
                    : new NetworkCredential(UserName, Password?.Reveal() ?? string.Empty),
            };

    /// <summary>
    /// The proxy a request to <paramref name="target"/> goes through, or null when it goes direct (for error
    /// messages: a refused connection is then the proxy's).
    /// </summary>
    public Uri? ProxyFor(Uri target)
    {
        try
        {
            return Mode switch
            {
                ProxyMode.Explicit => Address,
                ProxyMode.System => HttpClient.DefaultProxy.IsBypassed(target)
                    ? null
                    : HttpClient.DefaultProxy.GetProxy(target),
                _ => null,
            };
        }
        catch (Exception ex)
            when (ex is InvalidOperationException or PlatformNotSupportedException or UriFormatException)
        {
            return null;
        }
    }

    /// <summary>
    /// Checks an explicit proxy's URL and credentials; throws <c>ConnectionProxyUriInvalid</c> or
    /// <c>ConnectionProxyConflict</c>.
    /// </summary>
    public void Validate(string connectionName)
    {
        if (Mode != ProxyMode.Explicit)
        {
            if (Address is not null || UserName is not null || Password is not null)
            {
                throw new FhirSecurityException(
                    ErrorIds.ConnectionProxyConflict,
                    FailureCategory.InvalidArgument,
                    "A proxy address or proxy credentials only go with an explicit proxy, and this connection uses"
                    + $" {(Mode == ProxyMode.None ? "no proxy" : "the system proxy")}. Pass -Proxy with the proxy URL.",
                    connectionName);
            }

            return;
        }

        if (Address is null || !Address.IsAbsoluteUri || Address.Scheme != Uri.UriSchemeHttp
            || Address.AbsolutePath != "/"
            || !string.IsNullOrEmpty(Address.Query)
            || !string.IsNullOrEmpty(Address.Fragment)
            || !string.IsNullOrEmpty(Address.UserInfo))
        {
            throw new FhirSecurityException(
                ErrorIds.ConnectionProxyUriInvalid,
                FailureCategory.InvalidArgument,
                $"The proxy '{Describe(Address)}' must be an http:// URL with host and port only, e.g."
                + " http://proxy.example.org:3128 (requests to https:// servers go through it as CONNECT tunnels, so"
                + " TLS stays end to end). https:// proxies and user info in the URL are not supported: pass"
                + " credentials with -ProxyCredential.",
                connectionName);
        }
    }

    /// <inheritdoc />
    public override string ToString()
        => Mode == ProxyMode.Explicit
            ? $"{Address?.GetLeftPart(UriPartial.Authority)}{(UserName is null ? string.Empty : $" (user {UserName})")}"
            : Mode.ToString();

    // A URL with user info could hold a password: never echo that part.
    private static string Describe(Uri? address)
        => address is null ? string.Empty
            : address.IsAbsoluteUri && !string.IsNullOrEmpty(address.UserInfo)
                ? address.GetComponents(UriComponents.SchemeAndServer | UriComponents.Path, UriFormat.UriEscaped)
            : address.OriginalString;
}
