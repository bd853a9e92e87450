using System.Text;
using FhirSecurity.Core.Errors;

namespace FhirSecurity.Core.Fhir;

/// <summary>Builds request URLs below a connection's base and decides which of them may carry credentials.</summary>
public static class FhirUris
{
    /// <summary>
    /// The absolute URL for <paramref name="path"/> (relative to <paramref name="baseUri"/>, e.g. <c>Patient/1</c>
    /// or <c>Patient?name=x</c>, or absolute) with <paramref name="query"/> appended, values URL-encoded, a list
    /// value giving one parameter per item.
    /// </summary>
    public static Uri Resolve(
        Uri baseUri,
        string? path,
        IEnumerable<KeyValuePair<string, IReadOnlyList<string>>>? query)
    {
        Uri target;
        string trimmed = (path ?? string.Empty).Trim();
        if (Uri.TryCreate(trimmed, UriKind.Absolute, out Uri? absolute)
            && (absolute.Scheme == Uri.UriSchemeHttps || absolute.Scheme == Uri.UriSchemeHttp))
        {
            target = absolute;
        }
        else if (trimmed.Split(['?', '#'], 2)[0].Contains("://", StringComparison.Ordinal)
            || trimmed.StartsWith("//", StringComparison.Ordinal))
        {
            // Only before the query: token searches carry URLs in their values (code=http://loinc.org|8867-4).
            throw PathInvalid(path);
        }
        else
        {
            // A leading slash would jump to the server root and out of the FHIR base.
            target = new Uri(baseUri, trimmed.TrimStart('/'));

            // A scheme without slashes (mailto:, urn:) replaces the base instead of resolving below it.
            // ../ segments would climb out of the FHIR base (to other APIs of the same server, with the credentials).
            if ((target.Scheme != Uri.UriSchemeHttps && target.Scheme != Uri.UriSchemeHttp)
                || !target.AbsolutePath.StartsWith(baseUri.AbsolutePath, StringComparison.Ordinal))
            {
                throw PathInvalid(path);
            }
        }

        string extra = Encode(query);
        if (extra.Length == 0)
        {
            return target;
        }

        var builder = new UriBuilder(target);
        builder.Query = string.IsNullOrEmpty(builder.Query) || builder.Query == "?"
            ? extra
            : builder.Query.TrimStart('?') + "&" + extra;
        return builder.Uri;
    }

    /// <summary>
    /// True when <paramref name="uri"/> is on the same origin (scheme, host, port) as <paramref name="baseUri"/>.
    /// </summary>
    public static bool SameOrigin(Uri uri, Uri baseUri)
        => string.Equals(uri.Scheme, baseUri.Scheme, StringComparison.OrdinalIgnoreCase)
           && string.Equals(uri.IdnHost, baseUri.IdnHost, StringComparison.OrdinalIgnoreCase)
           && uri.Port == baseUri.Port;

    private static FhirSecurityException PathInvalid(string? path)
        => new(
            ErrorIds.FhirPathInvalid,
            FailureCategory.InvalidArgument,
            $"'{path}' is not a path below the base URL nor an http(s) URL.",
            path);

    private static string Encode(IEnumerable<KeyValuePair<string, IReadOnlyList<string>>>? query)
    {
        var text = new StringBuilder();
        foreach (KeyValuePair<string, IReadOnlyList<string>> pair in query ?? [])
        {
            foreach (string value in pair.Value)
            {
                text.Append(text.Length == 0 ? string.Empty : "&")
                    .Append(Uri.EscapeDataString(pair.Key)).Append('=').Append(Uri.EscapeDataString(value));
            }
        }

        return text.ToString();
    }
}
