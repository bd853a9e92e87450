using System.Diagnostics.CodeAnalysis;

namespace FhirSecurity.TestServer;

/// <summary>Splits an <c>Authorization</c> header into scheme and credentials.</summary>
internal static class HttpAuthorization
{
    /// <summary>The scheme of a header value (case as sent), or null when there is no header.</summary>
    public static string? SchemeOf(string? authorization)
    {
        if (string.IsNullOrWhiteSpace(authorization))
        {
            return null;
        }

        var trimmed = authorization.Trim();
        var space = trimmed.IndexOf(' ', StringComparison.Ordinal);
        return space < 0 ? trimmed : trimmed[..space];
    }

    /// <summary>The credentials after <paramref name="scheme"/> (compared case-insensitively, RFC 9110 11.1).</summary>
    public static bool TryGetCredentials(string? authorization, string scheme, [NotNullWhen(true)] out string? credentials)
    {
        credentials = null;
        var actual = SchemeOf(authorization);
        if (actual is null || !actual.Equals(scheme, StringComparison.OrdinalIgnoreCase))
        {
            return false;
        }

        credentials = authorization!.Trim()[actual.Length..].Trim();
        return credentials.Length > 0;
    }
}
