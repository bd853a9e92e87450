using System.Text.Json.Nodes;
using FhirSecurity.Core.Errors;
using FhirSecurity.Core.Secrets;
using FhirSecurity.Core.Tls;

namespace FhirSecurity.Core.Definitions;

/// <summary>
/// The transport fields of a connection document: <c>clientCertificate</c> (a passwordless PKCS#12, base64; a
/// secret), <c>proxyMode</c> (System, None, Explicit), <c>proxyUri</c>, <c>proxyUserName</c> and
/// <c>proxyPassword</c> (a secret). All came after the first release and are optional: a document without them
/// reads as no client certificate and the system proxy, so documents written by earlier builds keep working
/// under schema 1.
/// </summary>
internal static class ConnectionTransportFields
{
    public static void Write(JsonObject root, ConnectionDefinition connection)
    {
        if (connection.ClientCertificate is { } certificate)
        {
            root["clientCertificate"] = certificate.Pkcs12.Reveal();
        }

        root["proxyMode"] = connection.Proxy.Mode.ToString();
        if (connection.Proxy.Address is { } address)
        {
            root["proxyUri"] = address.AbsoluteUri;
        }

        if (connection.Proxy.UserName is { } user)
        {
            root["proxyUserName"] = user;
            root["proxyPassword"] = connection.Proxy.Password?.Reveal() ?? string.Empty;
        }
    }

    public static ConnectionDefinition Read(JsonObject root, ConnectionDefinition connection, string secretName, Func<string, Exception> corrupt)
    {
        string? certificate = Text(root, "clientCertificate", corrupt);
        string? mode = Text(root, "proxyMode", corrupt);
        string? uri = Text(root, "proxyUri", corrupt);
        string? user = Text(root, "proxyUserName", corrupt);
        string? password = Text(root, "proxyPassword", corrupt);
        ProxySettings proxy = mode switch
        {
            null or nameof(ProxyMode.System) => ProxySettings.System,
            nameof(ProxyMode.None) => ProxySettings.None,
            nameof(ProxyMode.Explicit) => ProxySettings.Explicit(
                Uri.TryCreate(uri, UriKind.Absolute, out Uri? address) ? address : throw corrupt("the field 'proxyUri' is missing or not an absolute URI"),
                user,
                user is null ? null : new SecretValue(password ?? string.Empty)),
            _ => throw new FhirSecurityException(
                ErrorIds.DefinitionSchemaUnsupported,
                FailureCategory.InvalidData,
                $"The secret '{secretName}' uses the proxy mode '{mode}', which this version of FhirSecurity does not know. Update the module: Update-Module FhirSecurity.",
                secretName),
        };

        return connection with
        {
            ClientCertificate = certificate is null ? null : ClientCertificate.FromStored(certificate, corrupt),
            Proxy = proxy,
        };
    }

    private static string? Text(JsonObject root, string field, Func<string, Exception> corrupt)
        => root[field] switch
        {
            null => null,
            JsonValue value when value.TryGetValue(out string? text) => text,
            _ => throw corrupt($"the field '{field}' is not a string"),
        };
}
