using System.Net;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http;

namespace FhirSecurity.TestServer;

/// <summary>
/// OAuth 2.0 token endpoint for the client credentials grant (RFC 6749 4.4): client secrets, or private_key_jwt
/// assertions (RFC 7523) checked by <see cref="ClientAssertionVerifier"/>, or federated assertions of a client that
/// <c>client_id</c> names, checked by <see cref="FederatedAssertionVerifier"/>.
/// </summary>
internal sealed class TokenEndpointHandler(ServerState state)
{
    public const string Path = "/oauth/token";
    private const string BasicMethod = "client_secret_basic";
    private const string PostMethod = "client_secret_post";
    private const string JwtMethod = "private_key_jwt";
    private const string FederatedMethod = "federated_assertion";
    private readonly ClientAssertionVerifier _assertions = new(state);
    private readonly FederatedAssertionVerifier _federated = new(state);

    public async Task HandleAsync(HttpContext context)
    {
        var request = context.Request;
        // RFC 6749 5.1: token responses, errors included, must not be cached.
        context.Response.Headers.CacheControl = "no-store";
        context.Response.Headers.Pragma = "no-cache";
        if (!HttpMethods.IsPost(request.Method))
        {
            context.Response.Headers.Allow = "POST";
            await ErrorAsync(context, StatusCodes.Status405MethodNotAllowed, "invalid_request", "The token endpoint accepts POST only.");
            return;
        }

        if (!request.HasFormContentType)
        {
            state.LastTokenRequest = new TokenRequestRecord([], null, null, null, null);
            await ErrorAsync(context, StatusCodes.Status400BadRequest, "invalid_request", "Send application/x-www-form-urlencoded.");
            return;
        }

        var form = await request.ReadFormAsync(context.RequestAborted);
        var authorization = request.Headers.Authorization.ToString();
        var headerCredentials = BasicCredentials.TryParse(authorization, out var headerId, out var headerSecret);
        if (headerCredentials)
        {
            // RFC 6749 2.3.1: id and secret are form-urlencoded before they go into the Basic header.
            headerId = WebUtility.UrlDecode(headerId);
            headerSecret = WebUtility.UrlDecode(headerSecret);
        }

        string? Field(string name) => form.TryGetValue(name, out var v) ? v.ToString() : null;
        var bodySecret = Field("client_secret");
        var assertion = Field("client_assertion");
        var method = headerCredentials ? BasicMethod : bodySecret is not null ? PostMethod : assertion is not null ? JwtMethod : null;
        var clientId = headerCredentials ? headerId : Field("client_id");
        state.LastTokenRequest = new TokenRequestRecord([.. form.Keys], clientId, method, Field("grant_type"), Field("scope"))
        {
            ClientAssertionType = Field("client_assertion_type"),
        };

        if (form.Any(f => f.Value.Count > 1))
        {
            await ErrorAsync(context, StatusCodes.Status400BadRequest, "invalid_request", "A parameter was sent more than once.");
            return;
        }

        if ((headerCredentials ? 1 : 0) + (bodySecret is not null ? 1 : 0) + (assertion is not null ? 1 : 0) > 1)
        {
            await ErrorAsync(context, StatusCodes.Status400BadRequest, "invalid_request", "Use one client authentication method, not two.");
            return;
        }

        if (headerCredentials && Field("client_id") is { } bodyId && bodyId != headerId)
        {
            await ErrorAsync(context, StatusCodes.Status400BadRequest, "invalid_request", "client_id in the body differs from the Authorization header.");
            return;
        }

        OAuthClientRegistration? client;
        if (assertion is not null && _federated.FederatedClient(clientId) is { } federatedClient)
        {
            string? rejection = _federated.Verify(federatedClient, assertion, Field("client_assertion_type"), out var received);
            state.LastTokenRequest = state.LastTokenRequest with { ClientAuthMethod = FederatedMethod };
            if (received is not null)
            {
                state.RecordAssertion(received with { Rejection = rejection });
                state.LastTokenRequest = state.LastTokenRequest with { AssertionHeader = received.Header.DeepClone().AsObject(), AssertionClaims = received.Claims.DeepClone().AsObject() };
            }

            if (rejection is not null)
            {
                await ErrorAsync(context, StatusCodes.Status400BadRequest, "invalid_client", rejection);
                return;
            }

            client = federatedClient;
        }
        else if (assertion is not null)
        {
            var origin = $"{request.Scheme}://{request.Host}";
            (client, var rejection) = _assertions.Verify(assertion, Field("client_assertion_type"), clientId, origin + Path, out var received);
            if (received is not null)
            {
                state.RecordAssertion(received with { Rejection = rejection });
                state.LastTokenRequest = state.LastTokenRequest with { ClientId = received.Claims["iss"]?.ToString(), AssertionHeader = received.Header.DeepClone().AsObject(), AssertionClaims = received.Claims.DeepClone().AsObject() };
            }

            if (client is null)
            {
                await ErrorAsync(context, StatusCodes.Status400BadRequest, "invalid_client", rejection!);
                return;
            }
        }
        else
        {
            var secret = headerCredentials ? headerSecret : bodySecret;
            client = state.Options.OAuthClients.FirstOrDefault(c => c.ClientId == clientId);
            var allowed = method switch
            {
                BasicMethod => ClientAuthMethods.ClientSecretBasic,
                PostMethod => ClientAuthMethods.ClientSecretPost,
                _ => ClientAuthMethods.None,
            };
            if (client is null || secret is null || allowed == ClientAuthMethods.None
                || !client.AllowedAuthMethods.HasFlag(allowed) || !SecretComparer.AreEqual(secret, client.ClientSecret))
            {
                // One message for every cause, so a caller cannot probe which client ids exist.
                context.Response.Headers.WWWAuthenticate = "Basic realm=\"oauth\"";
                await ErrorAsync(context, StatusCodes.Status401Unauthorized, "invalid_client", "Client authentication failed.");
                return;
            }
        }

        switch (Field("grant_type"))
        {
            case null or "":
                await ErrorAsync(context, StatusCodes.Status400BadRequest, "invalid_request", "grant_type is missing.");
                return;
            case not "client_credentials":
                await ErrorAsync(context, StatusCodes.Status400BadRequest, "unsupported_grant_type", "Only client_credentials is supported.");
                return;
        }

        var requested = (Field("scope") ?? string.Empty).Split(' ', StringSplitOptions.RemoveEmptyEntries);
        IReadOnlyList<string> granted = requested.Length == 0
            ? client.AllowedScopes
            : [.. requested.Where(client.AllowedScopes.Contains).Distinct(StringComparer.Ordinal)];
        if (granted.Count == 0)
        {
            await ErrorAsync(context, StatusCodes.Status400BadRequest, "invalid_scope", "None of the requested scopes is allowed for this client.");
            return;
        }

        var lifetime = state.TokenLifetime;
        var token = state.Tokens.Issue(client.ClientId, granted, lifetime);
        state.Counters.CountTokenIssued();
        var body = new JsonObject
        {
            ["access_token"] = token.Value,
            ["token_type"] = "Bearer",
            ["expires_in"] = (long)Math.Ceiling(lifetime.TotalSeconds),
            ["scope"] = string.Join(' ', granted),
        };
        await JsonResponses.WriteAsync(context, StatusCodes.Status200OK, body, JsonResponses.PlainJson);
    }

    /// <summary>An RFC 6749 5.2 error response.</summary>
    public static Task ErrorAsync(HttpContext context, int status, string error, string description) =>
        JsonResponses.WriteAsync(context, status, new JsonObject { ["error"] = error, ["error_description"] = description }, JsonResponses.PlainJson);
}
