using System.Net.Http.Headers;
using System.Text;
using FhirSecurity.Core.Auth;
using FhirSecurity.Core.Http;

namespace FhirSecurity.Core.Fhir;

/// <summary>
/// The Authorization header of a connection's requests: Basic from its Basic Auth definition, or Bearer with a token
/// from the process-wide cache (fetched when none is valid). Which URLs get it is the caller's decision.
/// </summary>
internal static class ConnectionAuthorization
{
    /// <summary>
    /// The header (null for a connection without credentials), the token it carries and where that came from. A
    /// token request that runs out of <paramref name="deadline"/> is the token endpoint's timeout.
    /// </summary>
    public static async Task<(AuthenticationHeaderValue? Header, AccessToken? Token, TokenSource Source)> HeaderAsync(
        ResolvedConnection connection,
        HttpClient http,
        TransportPolicy transport,
        TokenCache tokens,
        TimeProvider clock,
        TimeSpan timeout,
        RetryPolicy retry,
        CancellationToken deadline,
        CancellationToken cancellation,
        Action<string>? verbose)
    {
        if (connection.Basic is { } basic)
        {
            string pair = basic.UserName + ":" + basic.Password.Reveal();
            return (
                new AuthenticationHeaderValue("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes(pair))),
                null,
                TokenSource.None);
        }

        if (connection.OAuth is not { } oauth)
        {
            return (null, null, TokenSource.None);
        }

        try
        {
            (AccessToken token, TokenSource source) =
                await tokens.GetAsync(connection.TokenKey!, oauth, Fetch, deadline).ConfigureAwait(false);
            return (new AuthenticationHeaderValue("Bearer", token.Value.Reveal()), token, source);
        }
        catch (OperationCanceledException) when (!cancellation.IsCancellationRequested)
        {
            throw oauth.TokenUrl is { } tokenUrl
                ? Endpoint.TokenEndpoint.Timeout(tokenUrl, timeout)
                : ManagedIdentityTokenClient.TimedOut(oauth, timeout);
        }

        // Token requests share the request's retry limits (TokenClient retries them whatever its method).
        Task<AccessToken> Fetch(AccessToken? replacing, CancellationToken token)
            => TokenClient.RequestAsync(oauth, http, transport, clock, timeout, token, retry, verbose, replacing);
    }
}
