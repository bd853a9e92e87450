using FhirSecurity.Core.Secrets;

namespace FhirSecurity.Core.Auth;

/// <summary>A bearer token and when it stops being usable.</summary>
/// <param name="Value">The token itself; shows as redacted.</param>
/// <param name="IssuedAt">When it was received.</param>
/// <param name="ExpiresAt">When the server stops accepting it.</param>
/// <param name="GrantedScope">The scope the server granted (null when it did not say).</param>
public sealed record AccessToken(
    SecretValue Value,
    DateTimeOffset IssuedAt,
    DateTimeOffset ExpiresAt,
    string? GrantedScope)
{
    /// <summary>The fraction of the lifetime after which a token is refreshed before use.</summary>
    public const double RefreshAt = 0.8;

    /// <summary>
    /// Scopes that were requested and that the server's <c>scope</c> answer left out (empty when it said nothing).
    /// </summary>
    public IReadOnlyList<string> MissingScopes { get; init; } = [];

    /// <summary>The lifetime the server gave.</summary>
    public TimeSpan Lifetime => ExpiresAt - IssuedAt;

    /// <summary>
    /// True while the token may be sent without refreshing: before 80 % of its lifetime, so a 300 s token is used for
    /// 240 s, and never at or after expiry.
    /// </summary>
    public bool IsFresh(DateTimeOffset now) => now < IssuedAt + (Lifetime * RefreshAt) && now < ExpiresAt;

    /// <summary>True until the server stops accepting it (a refresh that failed may fall back to it).</summary>
    public bool IsUsable(DateTimeOffset now) => now < ExpiresAt;
}
