using System.Text.RegularExpressions;
using FhirSecurity.Core.Secrets;

namespace FhirSecurity.Core.Http;

/// <summary>
/// Takes out of a server's excerpt (<see cref="ServerExcerpt"/>) whatever may be a credential before it goes into an
/// error message: the secrets the caller names, everything after an <c>Authorization:</c> (or cookie, API key)
/// header name, the word after <c>Bearer</c>/<c>Basic</c>/<c>DPoP</c>, the values of token, secret, password and
/// code parameters, every query string, and long opaque strings (what tokens, keys and signatures look like). It
/// errs on the side of taking out too much: the excerpt only has to say what kind of refusal it was.
/// </summary>
internal static partial class ExcerptRedaction
{
    private const string Redacted = SecretValue.Redacted;
    private const RegexOptions Options = RegexOptions.IgnoreCase | RegexOptions.CultureInvariant;
    private const int TimeoutMs = 200;

    // A run of OpaqueRun's alphabet (base64, base64url, hex, JWT dots) this long is no word, whatever it holds.
    private const int AlwaysOpaqueLength = 32;

    /// <summary>
    /// The text with credentials replaced by <see cref="SecretValue.Redacted"/>; null if it cannot be checked in time.
    /// </summary>
    public static string? Redact(string text, IEnumerable<string?>? secrets)
    {
        text = SecretValue.RedactIn(text, secrets ?? []);
        try
        {
            text = HeaderValue().Replace(text, m => $"{m.Groups[1].Value}: {Redacted}");
            text = SchemeCredential().Replace(text, m => $"{m.Groups[1].Value} {Redacted}");
            text = SecretParameter().Replace(text, m => $"{m.Groups[1].Value}={Redacted}");
            text = QueryString().Replace(text, "?" + Redacted);
            return OpaqueRun().Replace(text, m => IsOpaque(m.Value) ? Redacted : m.Value);
        }
        catch (RegexMatchTimeoutException)
        {
            // Text that cannot be checked in time is not shown.
            return null;
        }
    }

    private static bool IsOpaque(string run)
        => run.Length >= AlwaysOpaqueLength || (run.Any(char.IsAsciiDigit) && run.Any(char.IsAsciiLetter));

    // The rest of the text after a header that carries credentials: its value may hold spaces ("Basic abc").
    [GeneratedRegex(@"\b((?:proxy-)?authorization|(?:set-)?cookie|x-api-key)\s*[:=].*", Options, TimeoutMs)]
    private static partial Regex HeaderValue();

    [GeneratedRegex(@"\b(bearer|basic|dpop)\s+[^\s,;""']+", Options, TimeoutMs)]
    private static partial Regex SchemeCredential();

    [GeneratedRegex(
        @"\b(access_token|refresh_token|id_token|token|client_secret|client_assertion|assertion|password|passwd|secret"
        + @"|api_?key|code)[""']?\s*[:=]\s*(?:""[^""]*""|'[^']*'|[^\s,;&""']+)",
        Options,
        TimeoutMs)]
    private static partial Regex SecretParameter();

    [GeneratedRegex(@"\?[^\s""'<>]+", Options, TimeoutMs)]
    private static partial Regex QueryString();

    // 20 characters or more of a token alphabet; with letters and digits (or 32 and more), no word but a credential.
    [GeneratedRegex(@"[A-Za-z0-9\-_.~+/=]{20,}", Options, TimeoutMs)]
    private static partial Regex OpaqueRun();
}
