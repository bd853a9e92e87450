using System.Net;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http;

namespace FhirSecurity.TestServer;

/// <summary>
/// <c>GET /_test/counters</c>: the <see cref="ServerCounters"/> as JSON, for a process that runs the server as a child
/// (the pwsh benchmarks) and cannot read them in memory. Loopback callers only; not counted itself, so reading the
/// counters never changes them.
/// </summary>
internal static class CountersEndpoint
{
    public const string Path = "/_test/counters";

    public static Task HandleAsync(HttpContext context, ServerCounters counters)
    {
        if (context.Connection.RemoteIpAddress is not { } remote || !IPAddress.IsLoopback(remote))
        {
            return JsonResponses.WriteOutcomeAsync(context, StatusCodes.Status404NotFound, "not-found", "Not here.");
        }

        if (!HttpMethods.IsGet(context.Request.Method))
        {
            context.Response.Headers.Allow = "GET";
            return JsonResponses.WriteOutcomeAsync(context, StatusCodes.Status405MethodNotAllowed, "not-supported", "The counters are read with GET.");
        }

        var routes = counters.RequestsByRoute;
        var body = new JsonObject
        {
            ["tokenRequests"] = counters.TokenRequests,
            ["tokenRequestsSucceeded"] = counters.TokenRequestsSucceeded,
            ["fhirRequests"] = routes.Where(r => IsFhirRoute(r.Key)).Sum(r => r.Value),
            ["totalRequests"] = routes.Values.Sum(),
            ["connectionsAccepted"] = counters.ConnectionsAccepted,
            ["tlsHandshakes"] = counters.TlsHandshakes,
            ["requestsWithAuthorization"] = counters.RequestsWithAuthorization,
        };
        context.Response.Headers.CacheControl = "no-store";
        return JsonResponses.WriteAsync(context, StatusCodes.Status200OK, body, JsonResponses.PlainJson);
    }

    // Route keys are "METHOD /path" (ServerCounters).
    private static bool IsFhirRoute(string route)
    {
        var path = route[(route.IndexOf(' ', StringComparison.Ordinal) + 1)..];
        return FhirBase.All.Any(b => path.StartsWith(b.Path, StringComparison.Ordinal));
    }
}
