using System.Text.Json.Nodes;
using FhirSecurity.Core.Secrets;
using FhirSecurity.Core.Tls;

namespace FhirSecurity.Core.Definitions;

/// <summary>
/// The transport fields of a connection document: <c>clientCertificate</c> (a passwordless PKCS#12, base64; a
/// secret), <c>proxyMode</c> (System, None, Explicit), <c>proxyUri</c>, <c>proxyUserName</c> and
/// <c>proxyPassword</c> (a secret), <c>bulkDataOrigins</c> (a list of origins, written only when not empty). All
/// came after the first release and are optional: a document without them
/// reads as no client certificate and the system proxy, so documents written by earlier builds keep working
/// under schema 1.
/// </summary>
internal static class ConnectionTransportDocumentFields
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

        if (connection.BulkDataOrigins.Count > 0)
        {
            root["bulkDataOrigins"] = new JsonArray(
                connection.BulkDataOrigins.Select(o => (JsonNode?)ConnectionDefinition.OriginOf(o)).ToArray());
        }
    }

    public static ConnectionDefinition Read(DefinitionDocumentReader reader, ConnectionDefinition connection)
    {
        string? certificate = reader.OptionalString("clientCertificate");
        string? mode = reader.OptionalString("proxyMode");
        string? uri = reader.OptionalString("proxyUri");
        string? user = reader.OptionalString("proxyUserName");
        string? password = reader.OptionalString("proxyPassword");
        ProxySettings proxy = mode switch
        {
            null or nameof(ProxyMode.System) => ProxySettings.System,
            nameof(ProxyMode.None) => ProxySettings.None,
            nameof(ProxyMode.Explicit) => ProxySettings.Explicit(
                Uri.TryCreate(uri, UriKind.Absolute, out Uri? address)
                    ? address
                    : throw reader.Fail("the field 'proxyUri' is missing or not an absolute URI"),
                user,
                user is null ? null : new SecretValue(password ?? string.Empty)),
            _ => throw reader.Unknown($"the proxy mode '{mode}'"),
        };

        return connection with
        {
            ClientCertificate = certificate is null ? null : ClientCertificate.FromStored(certificate, reader.Fail),
            Proxy = proxy,
            BulkDataOrigins = ReadOrigins(reader),
        };
    }

    private static IReadOnlyList<Uri> ReadOrigins(DefinitionDocumentReader reader)
        => reader.OptionalStringArray("bulkDataOrigins") is not { } origins
            ? []
            : origins.Select(text => Uri.TryCreate(text, UriKind.Absolute, out Uri? origin)
                    ? origin
                    : throw reader.Fail("the field 'bulkDataOrigins' holds a value that is not an absolute URI"))
                .ToArray();
}
