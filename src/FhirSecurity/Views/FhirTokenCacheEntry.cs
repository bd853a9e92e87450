using System.Collections.ObjectModel;

namespace FhirSecurity;

/// <summary>One OAuth client's entry in the process's token cache. The token itself is never part of it.</summary>
public sealed class FhirTokenCacheEntry
{
    internal FhirTokenCacheEntry(
        string oAuth,
        Uri? tokenUrl,
        string clientId,
        IReadOnlyList<string> scope,
        string? grantedScope,
        DateTimeOffset? issuedAt,
        DateTimeOffset? expiresAt,
        DateTimeOffset? refreshAfter,
        int fetches)
    {
        OAuth = oAuth;
        TokenUrl = tokenUrl;
        ClientId = clientId;
        Scope = new ReadOnlyCollection<string>(scope.ToArray());
        GrantedScope = grantedScope;
        IssuedAt = issuedAt;
        ExpiresAt = expiresAt;
        RefreshAfter = refreshAfter;
        Fetches = fetches;
    }

    /// <summary>The OAuth definition's name.</summary>
    public string OAuth { get; }

    /// <summary>The token endpoint.</summary>
    public Uri? TokenUrl { get; }

    /// <summary>The client id.</summary>
    public string ClientId { get; }

    /// <summary>The scopes requested.</summary>
    public ReadOnlyCollection<string> Scope { get; }

    /// <summary>The scopes granted, when the server said.</summary>
    public string? GrantedScope { get; }

    /// <summary>When the cached token arrived (null: none cached).</summary>
    public DateTimeOffset? IssuedAt { get; }

    /// <summary>When the cached token expires.</summary>
    public DateTimeOffset? ExpiresAt { get; }

    /// <summary>After this the token is refreshed before use.</summary>
    public DateTimeOffset? RefreshAfter { get; }

    /// <summary>Tokens fetched for this entry in this process.</summary>
    public int Fetches { get; }

    /// <summary>Always the redaction mark: tokens are not shown.</summary>
    public string Token => Redaction.Mark;

    /// <summary>True when a token is cached and not expired.</summary>
    public bool IsValid => ExpiresAt is { } expires && expires > DateTimeOffset.UtcNow;

    /// <inheritdoc />
    public override string ToString() => OAuth;
}
