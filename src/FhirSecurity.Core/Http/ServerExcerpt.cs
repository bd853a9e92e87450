using System.Text;

namespace FhirSecurity.Core.Http;

/// <summary>
/// One short line of what a server said in an error answer that is neither FHIR nor OAuth JSON, for an error message:
/// an HTML page's title (or, without one, its first heading), or the first line of plain text. Whitespace is
/// collapsed, control characters dropped, anything that looks like a credential redacted
/// (<see cref="ExcerptRedaction"/>), and the line cut to <see cref="MaxLength"/> characters. Nothing else of the body
/// is used: a page's text may echo the request, credentials included. Other bodies (JSON, XML, binary) give nothing.
/// </summary>
internal static class ServerExcerpt
{
    /// <summary>The longest excerpt, "..." included.</summary>
    public const int MaxLength = 200;

    // Only the top of a body is read: a title or first line is there, and a huge page must not cost.
    private const int ScanLength = 64 * 1024;

    /// <summary>
    /// The excerpt of <paramref name="body"/>, or null when there is nothing to show. <paramref name="secrets"/> are
    /// values the caller knows are secret (the token sent, the client secret): they never show, whatever the body.
    /// </summary>
    public static string? From(string? body, string? contentType, IEnumerable<string?>? secrets = null)
    {
        if (string.IsNullOrWhiteSpace(body))
        {
            return null;
        }

        bool cut = body.Length > ScanLength;
        string top = cut ? body[..ScanLength] : body;
        string? media = contentType?.Split(';')[0].Trim();
        string? text = IsHtml(media, top) ? HtmlText.TitleOrHeading(top)
            : string.Equals(media, "text/plain", StringComparison.OrdinalIgnoreCase) ? FirstLine(top, cut)
            : null;
        return text is null ? null : Finish(text, secrets);
    }

    /// <summary>How a message quotes an excerpt: <c>; the server said "..."</c>, or nothing without one.</summary>
    public static string Said(string? excerpt) => excerpt is null ? string.Empty : $"; the server said \"{excerpt}\"";

    private static bool IsHtml(string? media, string body)
        => media is not null
            ? media.Equals("text/html", StringComparison.OrdinalIgnoreCase)
              || media.Equals("application/xhtml+xml", StringComparison.OrdinalIgnoreCase)
            : body.TrimStart().StartsWith('<');

    private static string? FirstLine(string text, bool cut)
    {
        string[] lines = text.Split('\n');
        int index = Array.FindIndex(lines, l => !string.IsNullOrWhiteSpace(l));
        if (index < 0)
        {
            return null;
        }

        string line = lines[index];
        if (cut && index == lines.Length - 1)
        {
            // The line goes on past what was read: drop its last word, which may be part of a longer one.
            int end = line.LastIndexOfAny([' ', '\t']);
            line = end < 0 ? string.Empty : line[..end];
        }

        return line;
    }

    private static string? Finish(string text, IEnumerable<string?>? secrets)
    {
        var collapsed = new StringBuilder(Math.Min(text.Length, ScanLength));
        foreach (char c in text)
        {
            bool space = char.IsWhiteSpace(c) || char.IsControl(c);
            if (!space)
            {
                collapsed.Append(c);
            }
            else if (collapsed.Length > 0 && collapsed[^1] != ' ')
            {
                collapsed.Append(' ');
            }
        }

        string? redacted = ExcerptRedaction.Redact(collapsed.ToString(), secrets)?.Trim();
        if (string.IsNullOrEmpty(redacted))
        {
            return null;
        }

        return redacted.Length <= MaxLength ? redacted : redacted[..(MaxLength - 3)].TrimEnd() + "...";
    }
}
