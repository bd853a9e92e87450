using System.Text.Json;
using FhirSecurity.Core.Auth;
using FhirSecurity.Core.Definitions;
using FhirSecurity.Core.Errors;
using FhirSecurity.Core.Secrets;
using FhirSecurity.Core.Tests.Fakes;
using FhirSecurity.Core.Tests.TestServer;
using Xunit;

namespace FhirSecurity.Core.Tests.Auth;

public sealed class TokenCacheTests
{
    private static readonly TimeSpan Lifetime = TimeSpan.FromSeconds(100);

    private readonly ManualTimeProvider _clock = new(new DateTimeOffset(2025, 1, 1, 12, 0, 0, TimeSpan.Zero));
    private readonly OAuthDefinition _oauth = Samples.OAuth();
    private readonly string _key;
    private readonly TokenCache _cache;
    private int _fetches;

    public TokenCacheTests()
    {
        _cache = new TokenCache(_clock);
        _key = TokenCache.KeyFor(_oauth, "fp");
    }

    private AccessToken NewToken(TimeSpan? lifetime = null)
    {
        int n = Interlocked.Increment(ref _fetches);
        DateTimeOffset now = _clock.GetUtcNow();
        return new AccessToken(new SecretValue("token-" + n), now, now + (lifetime ?? Lifetime), "system/Patient.rs");
    }

    private Task<AccessToken> Fetch(CancellationToken _) => Task.FromResult(NewToken());

    private Task<(AccessToken Token, TokenSource Source)> GetAsync(Func<CancellationToken, Task<AccessToken>>? fetch = null)
        => _cache.GetAsync(_key, _oauth, fetch ?? Fetch, CancellationToken.None);

    private static FhirSecurityException Refused()
        => new(ErrorIds.OAuthTokenRequestFailed, FailureCategory.ResourceUnavailable, "token endpoint down") { StatusCode = 503 };

    [Fact]
    public async Task FreshTokenIsServedFromTheCache()
    {
        (AccessToken first, TokenSource firstSource) = await GetAsync();
        _clock.Advance(TimeSpan.FromSeconds(10));
        (AccessToken second, TokenSource secondSource) = await GetAsync();

        Assert.Equal(TokenSource.New, firstSource);
        Assert.Equal(TokenSource.Cache, secondSource);
        Assert.Same(first, second);
        Assert.Equal(1, _fetches);
    }

    [Fact]
    public async Task RefreshesAfterEightyPercentOfTheLifetime()
    {
        (AccessToken first, _) = await GetAsync();

        _clock.Advance(TimeSpan.FromSeconds(79));
        (AccessToken beforeRefreshPoint, TokenSource cached) = await GetAsync();
        _clock.Advance(TimeSpan.FromSeconds(1));
        (AccessToken atRefreshPoint, TokenSource refreshed) = await GetAsync();

        Assert.Same(first, beforeRefreshPoint);
        Assert.Equal(TokenSource.Cache, cached);
        Assert.NotSame(first, atRefreshPoint);
        Assert.Equal(TokenSource.New, refreshed);
        Assert.Equal(2, _fetches);
    }

    [Fact]
    public async Task AnExpiredTokenIsNeverSent()
    {
        (AccessToken first, _) = await GetAsync();
        _clock.Advance(Lifetime + TimeSpan.FromSeconds(1));

        (AccessToken next, TokenSource source) = await GetAsync();

        Assert.NotSame(first, next);
        Assert.Equal(TokenSource.New, source);
        Assert.True(next.IsUsable(_clock.GetUtcNow()));
    }

    [Fact]
    public async Task AZeroLifetimeTokenIsNotReused()
    {
        // expires_in 0 (or a server clock far ahead): the token is already at its expiry when it arrives.
        Task<AccessToken> FetchExpired(CancellationToken _) => Task.FromResult(NewToken(TimeSpan.Zero));

        await GetAsync(FetchExpired);
        (_, TokenSource source) = await GetAsync(FetchExpired);

        Assert.Equal(TokenSource.New, source);
        Assert.Equal(2, _fetches);
    }

    [Fact]
    public async Task ConcurrentCallersShareOneTokenRequest()
    {
        var release = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var calls = 0;
        async Task<AccessToken> SlowFetch(CancellationToken _)
        {
            Interlocked.Increment(ref calls);
            await release.Task;
            return NewToken();
        }

        // Every caller starts before the one fetch may finish, so all of them overlap it.
        Task<(AccessToken Token, TokenSource Source)>[] callers = Enumerable.Range(0, 20).Select(_ => Task.Run(() => GetAsync(SlowFetch))).ToArray();
        await Task.Delay(200);
        release.SetResult();
        (AccessToken Token, TokenSource Source)[] results = await Task.WhenAll(callers);

        Assert.Equal(1, calls);
        Assert.All(results, r => Assert.Same(results[0].Token, r.Token));
        Assert.Single(results, r => r.Source == TokenSource.New);
    }

    [Fact]
    public async Task AFailedRefreshFallsBackToTheStillValidToken()
    {
        (AccessToken first, _) = await GetAsync();
        _clock.Advance(TimeSpan.FromSeconds(90));

        (AccessToken fallback, TokenSource source) = await GetAsync(_ => throw Refused());

        Assert.Same(first, fallback);
        Assert.Equal(TokenSource.CacheAfterFailedRefresh, source);
    }

    [Fact]
    public async Task AFailedRefreshRethrowsOnceTheTokenExpired()
    {
        await GetAsync();
        _clock.Advance(Lifetime);
        FhirSecurityException refused = Refused();

        FhirSecurityException thrown = await Assert.ThrowsAsync<FhirSecurityException>(() => GetAsync(_ => throw refused));

        Assert.Same(refused, thrown);
    }

    [Fact]
    public async Task AFirstFetchThatFailsIsRethrown()
    {
        FhirSecurityException thrown = await Assert.ThrowsAsync<FhirSecurityException>(() => GetAsync(_ => throw Refused()));

        Assert.Equal(ErrorIds.OAuthTokenRequestFailed, thrown.ErrorId);
    }

    [Fact]
    public async Task InvalidateDropsTheRejectedToken()
    {
        (AccessToken rejected, _) = await GetAsync();

        _cache.Invalidate(_key, rejected);
        (AccessToken next, TokenSource source) = await GetAsync();

        Assert.NotSame(rejected, next);
        Assert.Equal(TokenSource.New, source);
    }

    [Fact]
    public async Task InvalidateKeepsANewerTokenAnotherCallerFetched()
    {
        (AccessToken rejected, _) = await GetAsync();
        _cache.Invalidate(_key, rejected);
        (AccessToken newer, _) = await GetAsync();

        // A second request that was still in flight with the old token reports its 401 late.
        _cache.Invalidate(_key, rejected);
        (AccessToken after, TokenSource source) = await GetAsync();

        Assert.Same(newer, after);
        Assert.Equal(TokenSource.Cache, source);
        Assert.Equal(2, _fetches);
    }

    [Fact]
    public void InvalidateOfAnUnknownKeyDoesNothing()
    {
        _cache.Invalidate("no-such-key", NewToken());

        Assert.Empty(_cache.Snapshot());
    }

    public static TheoryData<string> Changes => new()
    {
        "secret", "scopes", "revision", "tls", "token url", "client id", "auth method", "extra parameter", "name",
    };

    [Theory]
    [MemberData(nameof(Changes))]
    public void KeyForChangesWithEveryTokenParameter(string change)
    {
        OAuthDefinition changed = change switch
        {
            "secret" => _oauth with { ClientSecret = new SecretValue(Samples.ClientSecret + "x") },
            "scopes" => _oauth with { Scopes = ["system/Patient.rs"] },
            "revision" => _oauth with { Revision = _oauth.Revision + 1 },
            "token url" => _oauth with { TokenUrl = new Uri("https://auth.example.org/token2") },
            "client id" => _oauth with { ClientId = "client-2" },
            "auth method" => _oauth with { ClientAuthentication = OAuthClientAuthentication.ClientSecretBasic },
            "extra parameter" => _oauth with { ExtraParameters = new Dictionary<string, string> { ["audience"] = "https://other.example.org" } },
            "name" => _oauth with { Name = "oauth2" },
            _ => _oauth,
        };
        string tls = change == "tls" ? "other-fp" : "fp";

        Assert.NotEqual(_key, TokenCache.KeyFor(changed, tls));
    }

    [Fact]
    public void KeyForChangesWithTheKeyTheKidTheAlgorithmAndTheJwksUrl()
    {
        OAuthDefinition rsa = TestKeys.KeyOAuth(JwtSigningAlgorithm.RS384);
        OAuthDefinition ec = TestKeys.KeyOAuth(JwtSigningAlgorithm.ES384) with { KeyId = rsa.KeyId };
        string key = TokenCache.KeyFor(rsa, "fp");

        Assert.NotEqual(key, TokenCache.KeyFor(rsa with { PrivateKey = ec.PrivateKey }, "fp"));
        Assert.NotEqual(key, TokenCache.KeyFor(rsa with { KeyId = "rsa-kid-2" }, "fp"));
        Assert.NotEqual(key, TokenCache.KeyFor(rsa with { Algorithm = JwtSigningAlgorithm.ES384 }, "fp"));
        Assert.NotEqual(key, TokenCache.KeyFor(rsa with { JwksUrl = new Uri("https://client.example.org/jwks") }, "fp"));
        Assert.Equal(key, TokenCache.KeyFor(TestKeys.KeyOAuth(JwtSigningAlgorithm.RS384), "fp"));
        Assert.DoesNotContain(rsa.PrivateKey!.Reveal(), key, StringComparison.Ordinal);
    }

    [Fact]
    public void KeyForIsEqualForEqualInputs()
    {
        // Separate instances with the same content, as two runspaces reading the same vault would have.
        OAuthDefinition again = Samples.OAuth() with
        {
            ExtraParameters = new Dictionary<string, string> { ["audience"] = "https://fhir.example.org" },
        };

        Assert.Equal(_key, TokenCache.KeyFor(again, "fp"));
        Assert.DoesNotContain(Samples.ClientSecret, _key, StringComparison.Ordinal);
    }

    [Fact]
    public async Task SnapshotDescribesEntriesWithoutTheToken()
    {
        (AccessToken token, _) = await GetAsync();

        TokenCacheEntryInfo entry = Assert.Single(_cache.Snapshot());

        Assert.Equal(_oauth.Name, entry.OAuth);
        Assert.Equal(_oauth.ClientId, entry.ClientId);
        Assert.Equal(_oauth.TokenUrl, entry.TokenUrl);
        Assert.Equal(token.IssuedAt, entry.IssuedAt);
        Assert.Equal(token.ExpiresAt, entry.ExpiresAt);
        Assert.Equal(token.IssuedAt + TimeSpan.FromSeconds(80), entry.RefreshAfter);
        Assert.Equal(1, entry.Fetches);
        string value = token.Value.Reveal();
        Assert.DoesNotContain(value, entry.ToString(), StringComparison.Ordinal);
        Assert.DoesNotContain(value, JsonSerializer.Serialize(entry), StringComparison.Ordinal);
    }

    [Fact]
    public async Task ClearForgetsEveryToken()
    {
        await GetAsync();
        await _cache.GetAsync(TokenCache.KeyFor(_oauth, "other-fp"), _oauth, Fetch, CancellationToken.None);

        int cleared = _cache.Clear();
        (_, TokenSource source) = await GetAsync();

        Assert.Equal(2, cleared);
        Assert.Equal(TokenSource.New, source);
        Assert.Single(_cache.Snapshot());
    }
}
