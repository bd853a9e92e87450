using System.Net.Http.Headers;

namespace FhirSecurity.Core.Http;

/// <summary>What a server answered, read in full, so the response can be disposed at once.</summary>
/// <param name="Status">The HTTP status.</param>
/// <param name="ReasonPhrase">The reason phrase, or null.</param>
/// <param name="Body">The body text (empty for none).</param>
/// <param name="ContentType">The body's media type, or null.</param>
/// <param name="Location">The Location header, or null.</param>
/// <param name="ETag">The ETag header, or null.</param>
/// <param name="RetryAfter">How long the server's <c>Retry-After</c> asked to wait, or null.</param>
/// <param name="Date">The server's <c>Date</c> header, or null.</param>
/// <param name="ContentLocation">The <c>Content-Location</c> header (a Bulk Data status URL), or null.</param>
/// <param name="Progress">The <c>X-Progress</c> header (a Bulk Data status), or null.</param>
internal sealed record HttpAnswer(
    int Status,
    string? ReasonPhrase,
    string Body,
    string? ContentType,
    Uri? Location,
    EntityTagHeaderValue? ETag,
    TimeSpan? RetryAfter,
    DateTimeOffset? Date,
    Uri? ContentLocation = null,
    string? Progress = null)
{
    /// <summary>True for 2xx.</summary>
    public bool IsSuccess => Status is >= 200 and < 300;

    /// <summary>
    /// The answer in <paramref name="response"/> with its <paramref name="body"/>, received at <paramref name="now"/>.
    /// </summary>
    public static HttpAnswer From(HttpResponseMessage response, string body, DateTimeOffset now)
        => new(
            (int)response.StatusCode,
            response.ReasonPhrase,
            body,
            response.Content.Headers.ContentType?.MediaType,
            response.Headers.Location,
            response.Headers.ETag,
            RetryPolicy.RetryAfter(response.Headers.RetryAfter, now),
            response.Headers.Date,
            response.Content.Headers.ContentLocation,
            response.Headers.TryGetValues("X-Progress", out IEnumerable<string>? progress)
                ? string.Join(", ", progress)
                : null);
}
