using System.Collections.Concurrent;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace FhirSecurity.TestServer;

/// <summary>
/// Checks a private_key_jwt client assertion as a strict SMART Backend Services server does: a JWT whose <c>kid</c>
/// names a key in the client's registered JWKS, signed with it (RS384 or ES384, matching the key), <c>iss</c> =
/// <c>sub</c> = a registered client id, <c>aud</c> = this token endpoint, <c>exp</c> in the future and at most 5
/// minutes ahead, and a <c>jti</c> never seen before.
/// </summary>
internal sealed class ClientAssertionVerifier(ServerState state)
{
    public const string AssertionType = "urn:ietf:params:oauth:client-assertion-type:jwt-bearer";
    private static readonly TimeSpan MaxAhead = TimeSpan.FromMinutes(5);
    private readonly ConcurrentDictionary<string, DateTimeOffset> _seenJti = new(StringComparer.Ordinal);

    /// <summary>The client the assertion proves, or the reason it proves nothing. <paramref name="received"/> is what could be decoded.</summary>
    public (OAuthClientRegistration? Client, string? Error) Verify(string assertion, string? assertionType, string? formClientId, string tokenEndpoint, out ReceivedAssertion? received)
    {
        received = null;
        string[] parts = assertion.Split('.');
        JsonObject? header;
        JsonObject? claims;
        try
        {
            header = parts.Length == 3 ? JsonNode.Parse(TestJwks.FromBase64Url(parts[0])) as JsonObject : null;
            claims = parts.Length == 3 ? JsonNode.Parse(TestJwks.FromBase64Url(parts[1])) as JsonObject : null;
        }
        catch (Exception ex) when (ex is FormatException or JsonException)
        {
            header = claims = null;
        }

        if (header is null || claims is null)
        {
            return (null, "client_assertion is not a JWT.");
        }

        received = new ReceivedAssertion(assertion, header, claims);
        if (assertionType != AssertionType)
        {
            return (null, $"client_assertion_type must be {AssertionType}.");
        }

        string? iss = Text(claims, "iss");
        var client = state.Options.OAuthClients.FirstOrDefault(c => c.ClientId == iss);
        if (client is null || client.Jwks is null || !client.AllowedAuthMethods.HasFlag(ClientAuthMethods.PrivateKeyJwt))
        {
            return (null, "iss is not a client registered for private_key_jwt.");
        }

        if (Text(claims, "sub") != iss)
        {
            return (null, "sub must equal iss (the client id).");
        }

        if (formClientId is not null && formClientId != iss)
        {
            return (null, "client_id differs from the assertion's iss.");
        }

        string? kid = Text(header, "kid");
        if (kid is null || TestJwks.Find(client.Jwks, kid) is not { } registered)
        {
            return (null, "kid names no registered key of this client.");
        }

        using AsymmetricAlgorithm key = registered.Key;
        string? alg = Text(header, "alg");
        if (alg is not ("RS384" or "ES384") || (registered.Algorithm is not null && registered.Algorithm != alg))
        {
            return (null, $"alg {alg} is not the registered key's algorithm.");
        }

        byte[] signed = Encoding.ASCII.GetBytes(parts[0] + "." + parts[1]);
        byte[] signature;
        try
        {
            signature = TestJwks.FromBase64Url(parts[2]);
        }
        catch (FormatException)
        {
            return (null, "The signature is not base64url.");
        }

        bool valid = (alg, key) switch
        {
            ("RS384", RSA rsa) => rsa.VerifyData(signed, signature, HashAlgorithmName.SHA384, RSASignaturePadding.Pkcs1),
            ("ES384", ECDsa ec) => ec.VerifyData(signed, signature, HashAlgorithmName.SHA384, DSASignatureFormat.IeeeP1363FixedFieldConcatenation),
            _ => false,
        };
        if (!valid)
        {
            return (null, "The signature does not verify with the registered key.");
        }

        if (Text(claims, "aud") != tokenEndpoint)
        {
            return (null, "aud is not this token endpoint.");
        }

        var now = state.Time.GetUtcNow();
        if (claims["exp"] is not JsonValue expValue || !expValue.TryGetValue(out long exp))
        {
            return (null, "exp is missing.");
        }

        var expires = DateTimeOffset.FromUnixTimeSeconds(exp);
        if (expires <= now)
        {
            return (null, "The assertion expired.");
        }

        if (expires > now + MaxAhead)
        {
            return (null, "exp is more than 5 minutes ahead.");
        }

        string? jti = Text(claims, "jti");
        if (string.IsNullOrEmpty(jti))
        {
            return (null, "jti is missing.");
        }

        if (!_seenJti.TryAdd(jti, expires))
        {
            return (null, "jti was already used.");
        }

        return (client, null);
    }

    private static string? Text(JsonObject json, string name) => json[name] is JsonValue v && v.TryGetValue(out string? s) ? s : null;
}

/// <summary>A client assertion the token endpoint received, decoded.</summary>
/// <param name="Raw">The assertion as sent (a credential: tests use it as a canary, never print it).</param>
/// <param name="Header">Its JOSE header.</param>
/// <param name="Claims">Its claims.</param>
public sealed record ReceivedAssertion(string Raw, JsonObject Header, JsonObject Claims)
{
    /// <summary>Why the server refused it, or null when it was accepted.</summary>
    public string? Rejection { get; init; }

    /// <summary>Shows the claims only: the raw assertion must not reach a log through string formatting.</summary>
    public override string ToString() => $"{nameof(ReceivedAssertion)} {{ Header = {Header.ToJsonString()}, Claims = {Claims.ToJsonString()}, Rejection = {Rejection} }}";
}
