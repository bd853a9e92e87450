using System.Collections.Concurrent;
using System.Globalization;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http;

namespace FhirSecurity.TestServer;

/// <summary>
/// An Azure App Service / Functions / Automation managed identity endpoint (what IDENTITY_ENDPOINT names), on the
/// server's plain-HTTP loopback listener: <c>GET /msi/token?api-version=2019-08-01&amp;resource=...[&amp;client_id=...]</c>
/// with the <c>X-IDENTITY-HEADER</c> secret. It answers as App Service does (<c>expires_on</c> as epoch seconds in a
/// string) with a token the FHIR bases accept, and refuses in its words: a wrong header, an unknown user-assigned
/// client id, a disabled system-assigned identity, or the status a test sets.
/// </summary>
internal sealed class ManagedIdentityEndpoint(ServerState state)
{
    public const string Path = "/msi/token";
    public const string HeaderName = "X-IDENTITY-HEADER";
    private static readonly IReadOnlyList<string> Scopes = ["system/Patient.read", "system/*.read"];
    private readonly ConcurrentQueue<ManagedIdentityRequestRecord> _requests = new();

    /// <summary>Every request, in order.</summary>
    public IReadOnlyList<ManagedIdentityRequestRecord> Requests => [.. _requests];

    public async Task HandleAsync(HttpContext context)
    {
        var query = context.Request.Query;
        string? resource = query["resource"].FirstOrDefault();
        string? clientId = query["client_id"].FirstOrDefault();
        bool headerMatched = context.Request.Headers[HeaderName].ToString() == state.IdentityHeader;
        _requests.Enqueue(new ManagedIdentityRequestRecord(context.Request.Path, query["api-version"].FirstOrDefault(), resource, clientId, headerMatched)
        {
            RefreshedTokenHash = query["token_sha256_to_refresh"].FirstOrDefault(),
        });

        if (context.Request.Path != Path || !HttpMethods.IsGet(context.Request.Method))
        {
            await ErrorAsync(context, 404, "Not found.");
            return;
        }

        if (!headerMatched)
        {
            // Echoes what it got, as careless endpoints do: the client must not let it reach an error.
            await ErrorAsync(context, 401, $"The X-IDENTITY-HEADER header '{context.Request.Headers[HeaderName]}' is wrong.");
            return;
        }

        if (state.ManagedIdentityFailureStatus is int status)
        {
            await ErrorAsync(context, status, $"The identity endpoint failed with {status} (test fault).");
            return;
        }

        if (string.IsNullOrEmpty(resource) || query["api-version"].FirstOrDefault() != "2019-08-01")
        {
            await ErrorAsync(context, 400, "The resource and api-version=2019-08-01 parameters are required.");
            return;
        }

        if (clientId is null ? !state.Options.ManagedIdentitySystemAssigned : !state.Options.ManagedIdentityClientIds.Contains(clientId))
        {
            await ErrorAsync(context, 400, clientId is null
                ? "No Managed Identity found for specified ClientId/ResourceId/PrincipalId."
                : "No User Assigned or Delegated Managed Identity found for specified ClientId/ResourceId/PrincipalId.");
            return;
        }

        var lifetime = state.TokenLifetime;
        var token = state.Tokens.Issue(clientId ?? "system-assigned", Scopes, lifetime);
        state.Counters.CountTokenIssued();
        var body = new JsonObject
        {
            ["access_token"] = token.Value,
            ["expires_on"] = (state.Time.GetUtcNow() + lifetime).ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture),
            ["resource"] = resource,
            ["token_type"] = "Bearer",
            ["client_id"] = clientId ?? "00000000-0000-0000-0000-0000000000aa",
        };
        await JsonResponses.WriteAsync(context, StatusCodes.Status200OK, body, JsonResponses.PlainJson);
    }

    private static Task ErrorAsync(HttpContext context, int status, string message)
        => JsonResponses.WriteAsync(context, status, new JsonObject
        {
            ["statusCode"] = status,
            ["message"] = message,
            ["correlationId"] = Guid.NewGuid().ToString(),
        }, JsonResponses.PlainJson);
}

/// <summary>A request the managed identity endpoint received.</summary>
/// <param name="Path">The request path.</param>
/// <param name="ApiVersion">The <c>api-version</c> parameter.</param>
/// <param name="Resource">The <c>resource</c> parameter.</param>
/// <param name="ClientId">The <c>client_id</c> parameter (a user-assigned identity), or null.</param>
/// <param name="HeaderMatched">True when <c>X-IDENTITY-HEADER</c> was the server's secret.</param>
public sealed record ManagedIdentityRequestRecord(string Path, string? ApiVersion, string? Resource, string? ClientId, bool HeaderMatched)
{
    /// <summary>The <c>token_sha256_to_refresh</c> parameter MSAL sends for a token it replaces, if any.</summary>
    public string? RefreshedTokenHash { get; init; }
}
