using FhirSecurity.Core.Errors;
using FhirSecurity.Core.Http;

namespace FhirSecurity.Core.Fhir;

/// <summary>
/// Which redirects are followed and how (the handler follows none, so credentials never go where the module did
/// not decide): 301, 302, 303, 307 and 308 with a Location, at most <see cref="MaximumRedirects"/> in a row. 303
/// turns the request into a GET without body, as do 301 and 302 for a POST (what browsers and HttpClient do); 307
/// and 308 keep the method and body. A redirect from https to http is refused before anything is sent to it.
/// Whether a hop carries credentials is not decided here: each hop is a request of its own, and only those to the
/// connection's origin get them.
/// </summary>
public static class RedirectPolicy
{
    /// <summary>How many redirects one request follows before it fails with FhirTooManyRedirects.</summary>
    public const int MaximumRedirects = 5;

    /// <summary>True for the statuses that are followed.</summary>
    public static bool IsRedirect(int status) => status is 301 or 302 or 303 or 307 or 308;

    /// <summary>
    /// The request to send after <paramref name="request"/> was answered <paramref name="status"/> with
    /// <paramref name="location"/>, or null when the answer is not a redirect to follow (another status, no or an
    /// unusable Location): then it is the final answer. <paramref name="redirects"/> counts the redirects already
    /// followed. <paramref name="display"/> shows URLs in errors (default <see cref="UrlRedaction.Display"/>; a
    /// pre-signed URL's query is a secret).
    /// </summary>
    /// <exception cref="FhirSecurityException">FhirRedirectInsecure (https to http), FhirTooManyRedirects.</exception>
    public static FhirRequest? Next(
        FhirRequest request, int status, string? location, int redirects, Func<Uri, string>? display = null)
    {
        display ??= UrlRedaction.Display;
        if (!IsRedirect(status) || string.IsNullOrWhiteSpace(location)
            || !Uri.TryCreate(request.Uri, location.Trim(), out Uri? target)
            || (target.Scheme != Uri.UriSchemeHttps && target.Scheme != Uri.UriSchemeHttp))
        {
            return null;
        }

        if (request.Uri.Scheme == Uri.UriSchemeHttps && target.Scheme == Uri.UriSchemeHttp)
        {
            throw new FhirSecurityException(
                ErrorIds.FhirRedirectInsecure,
                FailureCategory.SecurityError,
                $"{request.Method} {display(request.Uri)} was redirected ({status}) from https to"
                + $" {display(target)}, which is not encrypted: the redirect was not followed and"
                + " nothing was sent there. Call the https URL the server should have named, or ask its maintainers"
                + " to fix the redirect.",
                display(target));
        }

        if (redirects >= MaximumRedirects)
        {
            throw new FhirSecurityException(
                ErrorIds.FhirTooManyRedirects,
                FailureCategory.LimitsExceeded,
                $"{request.Method} {display(request.Uri)} was redirected more than"
                + $" {MaximumRedirects} times (the last one, {status}, to {display(target)}): likely a"
                + " redirect loop. Call the final URL directly, or ask the server's maintainers.",
                display(target));
        }

        // A fragment names a part of a document; it is never sent.
        if (target.Fragment.Length > 0)
        {
            target = new UriBuilder(target) { Fragment = string.Empty }.Uri;
        }

        bool toGet = status == 303
            ? request.Method != HttpMethod.Head
            : status is 301 or 302 && request.Method == HttpMethod.Post;
        return toGet
            ? request with { Method = HttpMethod.Get, Uri = target, Body = null }
            : request with { Uri = target };
    }
}
