namespace FhirSecurity.Core.Auth;

/// <summary>What the token cache may show about an entry: never the token.</summary>
/// <param name="OAuth">The OAuth definition's name.</param>
/// <param name="TokenUrl">The token endpoint (null for a managed identity).</param>
/// <param name="ClientId">The client id.</param>
/// <param name="Scope">The scopes requested.</param>
/// <param name="GrantedScope">The scopes granted, when the server said.</param>
/// <param name="IssuedAt">When the current token arrived (null: none cached).</param>
/// <param name="ExpiresAt">When it expires.</param>
/// <param name="RefreshAfter">When it will be refreshed before use.</param>
/// <param name="Fetches">How many tokens this entry fetched in this process.</param>
public sealed record TokenCacheEntryInfo(
    string OAuth,
    Uri? TokenUrl,
    string ClientId,
    IReadOnlyList<string> Scope,
    string? GrantedScope,
    DateTimeOffset? IssuedAt,
    DateTimeOffset? ExpiresAt,
    DateTimeOffset? RefreshAfter,
    int Fetches);
