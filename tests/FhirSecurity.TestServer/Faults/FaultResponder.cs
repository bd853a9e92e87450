using System.Globalization;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http;

namespace FhirSecurity.TestServer;

/// <summary>Turns a <see cref="Fault"/> into a response (or a dropped connection).</summary>
internal static class FaultResponder
{
    public static async Task WriteAsync(HttpContext context, Fault fault, bool tokenEndpoint)
    {
        switch (fault.Kind)
        {
            case FaultKind.Abort:
                context.Abort();
                return;
            case FaultKind.InvalidJson:
                context.Response.StatusCode = StatusCodes.Status200OK;
                context.Response.ContentType = tokenEndpoint ? JsonResponses.PlainJson : JsonResponses.FhirJson;
                await context.Response.WriteAsync("{\"resourceType\": \"Bund", context.RequestAborted);
                return;
            case FaultKind.MissingAccessToken:
                await JsonResponses.WriteAsync(
                    context,
                    StatusCodes.Status200OK,
                    tokenEndpoint ? new JsonObject { ["token_type"] = "Bearer", ["expires_in"] = 300 } : new JsonObject(),
                    tokenEndpoint ? JsonResponses.PlainJson : JsonResponses.FhirJson);
                return;
            case FaultKind.Status:
                if (fault.RetryAfter is { } retryAfter)
                {
                    var seconds = (long)Math.Ceiling(Math.Max(0, retryAfter.TotalSeconds));
                    context.Response.Headers.RetryAfter = fault.RetryAfterAsDate
                        ? DateTimeOffset.UtcNow.Add(retryAfter).ToString("R", CultureInfo.InvariantCulture)
                        : seconds.ToString(CultureInfo.InvariantCulture);
                }

                if (tokenEndpoint)
                {
                    await TokenEndpointHandler.ErrorAsync(context, fault.StatusCode, "temporarily_unavailable", "Injected fault.");
                }
                else
                {
                    var code = fault.StatusCode == StatusCodes.Status429TooManyRequests ? "throttled" : "transient";
                    await JsonResponses.WriteOutcomeAsync(context, fault.StatusCode, code, $"Injected fault {fault.StatusCode}.");
                }

                return;
            case FaultKind.Redirect:
                context.Response.StatusCode = fault.StatusCode;
                context.Response.Headers.Location = fault.Location;
                return;
            case FaultKind.Json:
                context.Response.StatusCode = fault.StatusCode;
                context.Response.ContentType = JsonResponses.FhirJson;
                await context.Response.WriteAsync(fault.Body ?? "{}", context.RequestAborted);
                return;
            case FaultKind.Page:
                context.Response.StatusCode = fault.StatusCode;
                context.Response.ContentType = fault.ContentType;
                var authorization = context.Request.Headers.Authorization.ToString();
                var page = (fault.Body ?? string.Empty).Replace(Fault.AuthorizationPlaceholder, authorization, StringComparison.Ordinal);
                await context.Response.WriteAsync(page, context.RequestAborted);
                return;
            default:
                throw new InvalidOperationException($"Fault kind {fault.Kind} has no response.");
        }
    }
}
