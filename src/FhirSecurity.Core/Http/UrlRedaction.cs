namespace FhirSecurity.Core.Http;

/// <summary>
/// URLs as messages, verbose lines and error targets show them: without the user info (<c>user:password@</c>) that
/// a server may have put into a Location or a user into a URL, since those go to logs and transcripts.
/// </summary>
public static class UrlRedaction
{
    /// <summary>The URL without its user info.</summary>
    public static string Display(Uri uri)
        => uri.GetComponents(UriComponents.AbsoluteUri & ~UriComponents.UserInfo, UriFormat.UriEscaped);

    /// <summary>What a query is shown as where it may be a secret.</summary>
    public const string RedactedQuery = "?redacted";

    /// <summary>
    /// The URL without its user info, and with its query (if any) shown as <see cref="RedactedQuery"/>: for
    /// pre-signed URLs (Bulk Data files), whose query strings are credentials.
    /// </summary>
    public static string WithoutQuery(Uri uri)
        => uri.GetComponents(UriComponents.SchemeAndServer | UriComponents.Path, UriFormat.UriEscaped)
           + (uri.Query.Length > 1 ? RedactedQuery : string.Empty);
}
