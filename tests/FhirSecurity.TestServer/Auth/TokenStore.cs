using System.Collections.Concurrent;
using System.Security.Cryptography;

namespace FhirSecurity.TestServer;

/// <summary>Opaque access tokens the server issued, with their expiry.</summary>
internal sealed class TokenStore(TimeProvider time)
{
    private readonly ConcurrentDictionary<string, IssuedToken> _tokens = new(StringComparer.Ordinal);
    private readonly ConcurrentQueue<string> _everIssued = new();

    /// <summary>Every token value ever issued, revoked ones included: canaries for "a token never leaks" tests.</summary>
    public IReadOnlyCollection<string> EverIssued => _everIssued.ToArray();

    public IssuedToken Issue(string clientId, IReadOnlyList<string> scopes, TimeSpan lifetime)
    {
        // 256 random bits, base64url: unguessable, and nothing in it a client could parse or depend on.
        var value = Base64Url(RandomNumberGenerator.GetBytes(32));
        var token = new IssuedToken(value, clientId, scopes, time.GetUtcNow() + lifetime);
        _tokens[value] = token;
        _everIssued.Enqueue(value);
        return token;
    }

    public TokenCheck Check(string value)
    {
        if (!_tokens.TryGetValue(value, out var token))
        {
            return TokenCheck.Unknown;
        }

        return time.GetUtcNow() >= token.ExpiresAt ? TokenCheck.Expired : TokenCheck.Valid;
    }

    public void RevokeAll() => _tokens.Clear();

    private static string Base64Url(byte[] bytes) => Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');
}

/// <summary>An issued access token.</summary>
internal sealed record IssuedToken(string Value, string ClientId, IReadOnlyList<string> Scopes, DateTimeOffset ExpiresAt);

/// <summary>Result of looking up a presented token.</summary>
internal enum TokenCheck
{
    Valid,
    Unknown,
    Expired,
}
