using System.Globalization;
using System.Net;
using Microsoft.AspNetCore.Http;

namespace FhirSecurity.TestServer;

/// <summary>
/// <c>/_test/federated-assertion</c>, for a process that runs the server as a child (the Pester suites): GET answers
/// a new assertion of the <see cref="FederatedIssuer"/> for the first federated client, as text. Query
/// <c>lifetimeSeconds</c> (default 600; negative: expired), <c>subject</c> and <c>audience</c> (default: the
/// credential's). Loopback callers only.
/// </summary>
internal static class FederatedAssertionEndpoint
{
    public const string Path = "/_test/federated-assertion";

    public static async Task HandleAsync(HttpContext context, ServerState state)
    {
        var client = state.Options.OAuthClients.FirstOrDefault(c => c.Federated is not null);
        if (context.Connection.RemoteIpAddress is not { } remote || !IPAddress.IsLoopback(remote) || client is null)
        {
            await JsonResponses.WriteOutcomeAsync(context, StatusCodes.Status404NotFound, "not-found", "Not here.");
            return;
        }

        var query = context.Request.Query;
        long seconds = query.TryGetValue("lifetimeSeconds", out var text)
            && long.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out long parsed) ? parsed : 600;
        string assertion = state.FederatedIssuer.Sign(
            client.Federated!, state.Time.GetUtcNow(), TimeSpan.FromSeconds(seconds), query["subject"].FirstOrDefault(), query["audience"].FirstOrDefault());
        context.Response.ContentType = "text/plain";
        await context.Response.WriteAsync(assertion, context.RequestAborted);
    }
}
