using System.Collections.Concurrent;
using System.Security.Cryptography;
using System.Text;
using FhirSecurity.Core.Definitions;
using FhirSecurity.Core.Errors;

namespace FhirSecurity.Core.Auth;

/// <summary>
/// OAuth tokens in memory for the process (never on disk), shared by every runspace. An entry's key hashes every
/// token parameter, the secret and the definition revision, so a changed definition gets a new entry and a
/// runspace can only reach a token for credentials it read itself. Concurrent callers of one key share one token
/// request (single flight); a token is refreshed after <see cref="AccessToken.RefreshAt"/> of its lifetime and never
/// sent once expired; a refresh that fails falls back to the cached token while it is still valid.
/// </summary>
public sealed class TokenCache
{
    private readonly ConcurrentDictionary<string, Entry> _entries = new(StringComparer.Ordinal);
    private readonly TimeProvider _clock;

    /// <summary>Creates a cache on a clock.</summary>
    public TokenCache(TimeProvider clock) => _clock = clock;

    /// <summary>The cache the cmdlets use.</summary>
    public static TokenCache Shared { get; } = new(TimeProvider.System);

    /// <summary>The key of an OAuth definition's tokens under a TLS policy fingerprint.</summary>
    public static string KeyFor(OAuthDefinition oauth, string tlsFingerprint)
    {
        var text = new StringBuilder()
            .Append(oauth.TokenUrl?.AbsoluteUri ?? "-").Append('\n')
            .Append(oauth.ClientId).Append('\n')
            .Append(oauth.ClientAuthentication).Append('\n')
            .Append(string.Join(' ', oauth.Scopes)).Append('\n')
            .Append(string.Join(
                '&',
                oauth.ExtraParameters.OrderBy(p => p.Key, StringComparer.Ordinal).Select(p => p.Key + "=" + p.Value)))
            .Append('\n')
            .Append(oauth.ClientSecret?.Fingerprint() ?? "-").Append('\n')
            .Append(oauth.PrivateKey?.Fingerprint() ?? "-").Append('\n')
            .Append(oauth.Algorithm?.ToString() ?? "-").Append('\n')
            .Append(oauth.KeyId ?? "-").Append('\n')
            .Append(oauth.JwksUrl?.AbsoluteUri ?? "-").Append('\n')
            .Append(oauth.ClientAssertionPath ?? "-").Append('\n')
            .Append(oauth.Name).Append('\n')
            .Append(oauth.Revision).Append('\n')
            .Append(tlsFingerprint);
        return Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(text.ToString())));
    }

    /// <summary>
    /// A token for <paramref name="key"/>: the cached one while fresh, else one from <paramref name="fetch"/>,
    /// requested once however many callers ask at the same time.
    /// </summary>
    public Task<(AccessToken Token, TokenSource Source)> GetAsync(
        string key,
        OAuthDefinition oauth,
        Func<CancellationToken, Task<AccessToken>> fetch,
        CancellationToken cancellation)
        => GetAsync(key, oauth, (_, token) => fetch(token), cancellation);

    /// <summary>
    /// As the other overload, with <paramref name="fetch"/> told the token it replaces: the last one fetched for the
    /// key (stale, or refused with a 401), or null for the first.
    /// </summary>
    public async Task<(AccessToken Token, TokenSource Source)> GetAsync(
        string key,
        OAuthDefinition oauth,
        Func<AccessToken?, CancellationToken, Task<AccessToken>> fetch,
        CancellationToken cancellation)
    {
        Entry entry = _entries.GetOrAdd(key, _ => new Entry(oauth));
        if (entry.Token is { } cached && cached.IsFresh(_clock.GetUtcNow()))
        {
            return (cached, TokenSource.Cache);
        }

        await entry.Gate.WaitAsync(cancellation).ConfigureAwait(false);
        try
        {
            // Another caller may have refreshed while this one waited.
            if (entry.Token is { } refreshed && refreshed.IsFresh(_clock.GetUtcNow()))
            {
                return (refreshed, TokenSource.Cache);
            }

            try
            {
                AccessToken fresh = await fetch(entry.Token ?? entry.LastFetched, cancellation).ConfigureAwait(false);
                entry.Token = fresh;
                entry.LastFetched = fresh;
                Interlocked.Increment(ref entry.Fetches);
                return (fresh, TokenSource.New);
            }
            catch (FhirSecurityException) when (entry.Token is { } old && old.IsUsable(_clock.GetUtcNow()))
            {
                return (old, TokenSource.CacheAfterFailedRefresh);
            }
        }
        finally
        {
            entry.Gate.Release();
        }
    }

    /// <summary>
    /// Drops <paramref name="rejected"/> (the server answered 401 to it). A newer token another caller already
    /// fetched stays.
    /// </summary>
    public void Invalidate(string key, AccessToken rejected)
    {
        if (_entries.TryGetValue(key, out Entry? entry))
        {
            Interlocked.CompareExchange(ref entry.Token, null, rejected);
        }
    }

    /// <summary>Forgets every token; returns how many entries there were.</summary>
    public int Clear()
    {
        int count = _entries.Count;
        _entries.Clear();
        return count;
    }

    /// <summary>What is cached, without token values.</summary>
    public IReadOnlyList<TokenCacheEntryInfo> Snapshot()
        => _entries.Values.Select(e =>
        {
            AccessToken? token = e.Token;
            return new TokenCacheEntryInfo(
                OAuth: e.OAuth.Name,
                TokenUrl: e.OAuth.TokenUrl,
                ClientId: e.OAuth.ClientId,
                Scope: e.OAuth.Scopes,
                GrantedScope: token?.GrantedScope,
                IssuedAt: token?.IssuedAt,
                ExpiresAt: token?.ExpiresAt,
                RefreshAfter: token is null ? null : token.IssuedAt + (token.Lifetime * AccessToken.RefreshAt),
                Fetches: e.Fetches);
        }).ToArray();

    private sealed class Entry(OAuthDefinition oauth)
    {
        public readonly SemaphoreSlim Gate = new(1, 1);
        public readonly OAuthDefinition OAuth = oauth;
        public AccessToken? Token;
        public AccessToken? LastFetched;
        public int Fetches;
    }
}
