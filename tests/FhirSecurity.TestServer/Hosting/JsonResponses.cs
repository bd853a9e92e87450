using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http;

namespace FhirSecurity.TestServer;

/// <summary>Writes JSON bodies and FHIR OperationOutcomes.</summary>
internal static class JsonResponses
{
    public const string FhirJson = "application/fhir+json; charset=utf-8";
    public const string PlainJson = "application/json; charset=utf-8";

    /// <summary>
    /// Relaxed escaping: bodies are JSON, never HTML, and literal non-ASCII text checks that clients decode UTF-8.
    /// </summary>
    public static JsonSerializerOptions WriterOptions { get; } = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    public static Task WriteAsync(HttpContext context, int status, JsonNode body, string contentType = FhirJson)
    {
        context.Response.StatusCode = status;
        context.Response.ContentType = contentType;
        return context.Response.WriteAsync(body.ToJsonString(WriterOptions), context.RequestAborted);
    }

    /// <summary>An OperationOutcome with one issue.</summary>
    /// <param name="code">An R4 IssueType code: invalid, structure, required, value, login, expired, not-found, deleted, not-supported, throttled, transient...</param>
    public static JsonObject Outcome(string code, string diagnostics, string severity = "error") => new()
    {
        ["resourceType"] = "OperationOutcome",
        ["issue"] = new JsonArray(new JsonObject
        {
            ["severity"] = severity,
            ["code"] = code,
            ["diagnostics"] = diagnostics,
        }),
    };

    public static Task WriteOutcomeAsync(HttpContext context, int status, string code, string diagnostics) =>
        WriteAsync(context, status, Outcome(code, diagnostics));
}
