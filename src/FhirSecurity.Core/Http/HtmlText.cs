using System.Net;
using System.Text;

namespace FhirSecurity.Core.Http;

/// <summary>
/// The text of an HTML page's title or first heading, found without an HTML parser: error pages from TLS fronts and
/// gateways are small and simple, and anything unusual (an element never closed) gives nothing rather than a guess.
/// </summary>
internal static class HtmlText
{
    /// <summary>The title's text, or the first heading's (h1 to h6) when there is no title; decoded.</summary>
    public static string? TitleOrHeading(string html)
    {
        // A comment may hold anything, a commented-out title included; it is no part of what the page says.
        string page = WithoutComments(html);
        string? text = Content(page, "title", 0);
        int at = page.IndexOf("<h", StringComparison.OrdinalIgnoreCase);
        while (string.IsNullOrWhiteSpace(text) && at >= 0)
        {
            if (at + 2 < page.Length && page[at + 2] is >= '1' and <= '6')
            {
                text = Content(page, page.Substring(at + 1, 2), at);
            }

            at = page.IndexOf("<h", at + 2, StringComparison.OrdinalIgnoreCase);
        }

        return string.IsNullOrWhiteSpace(text) ? null : WebUtility.HtmlDecode(WithoutTags(text));
    }

    // The content of the first <name ...>...</name> at or after start, or null when there is none or it never closes.
    private static string? Content(string page, string name, int start)
    {
        for (int open = page.IndexOf("<" + name, start, StringComparison.OrdinalIgnoreCase); open >= 0;
             open = page.IndexOf("<" + name, open + 1, StringComparison.OrdinalIgnoreCase))
        {
            int after = open + 1 + name.Length;
            if (after < page.Length && page[after] != '>' && page[after] != '/' && !char.IsWhiteSpace(page[after]))
            {
                // <header>, <h10>, <titles>: another element.
                continue;
            }

            int body = page.IndexOf('>', after);
            int close = body < 0 ? -1 : page.IndexOf("</" + name, body, StringComparison.OrdinalIgnoreCase);
            return close < 0 ? null : page[(body + 1)..close];
        }

        return null;
    }

    private static string WithoutComments(string html)
    {
        var text = new StringBuilder(html.Length);
        int at = 0;
        while (at < html.Length)
        {
            int open = html.IndexOf("<!--", at, StringComparison.Ordinal);
            if (open < 0)
            {
                text.Append(html, at, html.Length - at);
                break;
            }

            text.Append(html, at, open - at);
            int close = html.IndexOf("-->", open + 4, StringComparison.Ordinal);
            at = close < 0 ? html.Length : close + 3;
        }

        return text.ToString();
    }

    private static string WithoutTags(string html)
    {
        var text = new StringBuilder(html.Length);
        bool inTag = false;
        foreach (char c in html)
        {
            if (c == '<' || c == '>')
            {
                inTag = c == '<';
                text.Append(' ');
            }
            else if (!inTag)
            {
                text.Append(c);
            }
        }

        return text.ToString();
    }
}
