using FhirSecurity.Core.Definitions;
using FhirSecurity.Core.Errors;
using FhirSecurity.Core.Fhir;

namespace FhirSecurity.Core.Bulk;

/// <summary>
/// Where an export's requests may go and which carry the connection's credentials. A status URL must be on the
/// connection's origin or one of its Bulk Data origins (it gets the credentials); a file URL gets them only when the
/// manifest says <c>requiresAccessToken</c>, and then only on those origins (a file elsewhere is refused, not sent
/// bare); with <c>requiresAccessToken</c> false no file request carries them, wherever it goes. Nothing goes from
/// https to http.
/// </summary>
internal static class BulkUrlRules
{
    /// <summary>Checks a status URL a server (or a user, with -StatusUrl) gave.</summary>
    /// <exception cref="FhirSecurityException">BulkExportInsecureUrl, BulkExportStatusUrlForeign.</exception>
    public static void CheckStatusUrl(ResolvedConnection connection, Uri statusUrl)
    {
        RefuseDowngrade(connection, statusUrl, "status URL", statusUrl.ToString());
        if (!connection.Connection.MaySendCredentialsTo(statusUrl, bulkData: true))
        {
            throw new FhirSecurityException(
                ErrorIds.BulkExportStatusUrlForeign,
                FailureCategory.SecurityError,
                $"The export's status URL {statusUrl} is not on connection '{connection.Connection.Name}''s origin"
                + $" ({ConnectionDefinition.OriginOf(connection.Connection.BaseUri)}) nor one of its Bulk Data"
                + " origins: it was not called, and the connection's credentials went nowhere. If the server's"
                + " status endpoint really lives there, allow its origin: "
                + AllowCommand(connection.Connection, statusUrl) + ".",
                statusUrl);
        }
    }

    /// <summary>
    /// True when the request for <paramref name="file"/> (or a redirect hop of it, <paramref name="hop"/>) carries
    /// the connection's credentials.
    /// </summary>
    /// <exception cref="FhirSecurityException">BulkExportInsecureUrl, BulkExportFileOriginNotAllowed.</exception>
    public static bool FileCredentials(
        ResolvedConnection connection, BulkManifest manifest, BulkManifestFile file, Uri hop)
    {
        RefuseDowngrade(connection, hop, "file URL", UrlRedactionOf(hop));
        if (!manifest.RequiresAccessToken || !connection.Connection.HasAuthentication)
        {
            return false;
        }

        if (connection.Connection.MaySendCredentialsTo(hop, bulkData: true))
        {
            return true;
        }

        // A hop (a redirect to a signed storage URL) may leave; the manifest's own URL may not.
        if (hop != file.Url)
        {
            return false;
        }

        throw new FhirSecurityException(
            ErrorIds.BulkExportFileOriginNotAllowed,
            FailureCategory.SecurityError,
            $"The export's {file.Type} file {file.DisplayUrl} needs the access token (requiresAccessToken) but is"
            + $" on {ConnectionDefinition.OriginOf(hop)}, neither connection '{connection.Connection.Name}''s origin"
            + " nor one of its Bulk Data origins: it was not downloaded and the token was not sent. If that host is"
            + " the provider's file server, allow it: " + AllowCommand(connection.Connection, hop) + ".",
            file.DisplayUrl);
    }

    // The command that allows the origin, keeping the ones already allowed (the parameter replaces the list).
    private static string AllowCommand(ConnectionDefinition connection, Uri target)
        => $"Set-FhirConnection -Name {connection.Name} -BulkDataOrigin "
           + string.Join(
               ',',
               connection.BulkDataOrigins.Select(ConnectionDefinition.OriginOf)
                   .Append(ConnectionDefinition.OriginOf(target)));

    private static void RefuseDowngrade(ResolvedConnection connection, Uri target, string what, string shown)
    {
        if (connection.Connection.BaseUri.Scheme == Uri.UriSchemeHttps && target.Scheme != Uri.UriSchemeHttps)
        {
            throw new FhirSecurityException(
                ErrorIds.BulkExportInsecureUrl,
                FailureCategory.SecurityError,
                $"The export's {what} {shown} is not https, while connection '{connection.Connection.Name}' is:"
                + " nothing was sent there. Ask the server's maintainers to serve exports over https.",
                shown);
        }
    }

    private static string UrlRedactionOf(Uri uri) => Http.UrlRedaction.WithoutQuery(uri);
}
