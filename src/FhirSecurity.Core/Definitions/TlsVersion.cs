namespace FhirSecurity.Core.Definitions;

/// <summary>
/// The oldest TLS version a connection negotiates. Nothing below TLS 1.2 is offered at all: SSL 3, TLS 1.0 and 1.1
/// are broken or deprecated (RFC 8996).
/// </summary>
public enum TlsVersion
{
    /// <summary>TLS 1.2 or 1.3, whichever the server prefers. The default.</summary>
    Tls12,

    /// <summary>TLS 1.3 only.</summary>
    Tls13,
}

/// <summary>The text form of <see cref="TlsVersion"/> used by the cmdlets and the vault document.</summary>
public static class TlsVersions
{
    /// <summary>The text forms, oldest first: what <c>-MinimumTlsVersion</c> accepts.</summary>
    public static IReadOnlyList<string> Names { get; } = ["1.2", "1.3"];

    /// <summary>"1.2" or "1.3".</summary>
    public static string ToText(TlsVersion version) => version == TlsVersion.Tls13 ? "1.3" : "1.2";

    /// <summary>Parses "1.2" or "1.3"; false for anything else.</summary>
    public static bool TryParse(string? text, out TlsVersion version)
    {
        switch (text)
        {
            case "1.2":
                version = TlsVersion.Tls12;
                return true;
            case "1.3":
                version = TlsVersion.Tls13;
                return true;
            default:
                version = TlsVersion.Tls12;
                return false;
        }
    }
}
