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
}
