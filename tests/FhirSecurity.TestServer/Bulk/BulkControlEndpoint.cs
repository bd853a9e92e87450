using System.Net;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http;

namespace FhirSecurity.TestServer;

/// <summary>
/// <c>/_test/bulk</c>, for a process that runs the server as a child (the Pester suites, benchmarks): GET shows the
/// recorded Bulk Data requests, the file signatures issued and the number of deleted exports; PUT with a JSON object sets scenario fields by
/// name (<c>pollsBeforeReady</c>, <c>retryAfterSeconds</c>, <c>requiresAccessToken</c>, <c>filesOnSecondOrigin</c>,
/// <c>signedUrls</c>, <c>gzip</c>, <c>bytesPerSecond</c>, <c>exportFails</c>, <c>unauthorizedFileRequests</c>,
/// <c>abortFileRequests</c>, <c>files</c>: [{type, lines, lineBytes, section, reportedCount, corruptLine}]);
/// DELETE resets the scenario and forgets the requests. Loopback callers only.
/// </summary>
internal static class BulkControlEndpoint
{
    public const string Path = "/_test/bulk";

    public static async Task HandleAsync(HttpContext context, BulkExportState bulk)
    {
        if (context.Connection.RemoteIpAddress is not { } remote || !IPAddress.IsLoopback(remote))
        {
            await JsonResponses.WriteOutcomeAsync(context, StatusCodes.Status404NotFound, "not-found", "Not here.");
            return;
        }

        string method = context.Request.Method;
        if (HttpMethods.IsDelete(method))
        {
            bulk.Scenario.Reset();
            bulk.ClearRequests();
            context.Response.StatusCode = StatusCodes.Status204NoContent;
            return;
        }

        if (HttpMethods.IsPut(method))
        {
            using var reader = new StreamReader(context.Request.Body);
            if (JsonNode.Parse(await reader.ReadToEndAsync(context.RequestAborted)) is not JsonObject settings)
            {
                await JsonResponses.WriteOutcomeAsync(context, 400, "invalid", "PUT a JSON object.");
                return;
            }

            Apply(bulk.Scenario, settings);
            context.Response.StatusCode = StatusCodes.Status204NoContent;
            return;
        }

        var body = new JsonObject
        {
            ["deletedExports"] = bulk.DeletedExports,
            // The canaries a child-process suite looks for: test signatures, never a real secret.
            ["issuedFileSignatures"] = new JsonArray([.. bulk.Signatures.Select(sig => (JsonNode?)sig)]),
            ["secondOrigin"] = bulk.SecondOrigin?.AbsoluteUri,
            ["requests"] = new JsonArray(bulk.Requests.Select(r => (JsonNode)new JsonObject
            {
                ["kind"] = r.Kind.ToString(),
                ["method"] = r.Method,
                ["path"] = r.Path,
                ["query"] = r.Query,
                ["port"] = r.Port,
                ["authorizationScheme"] = r.AuthorizationScheme,
                ["accept"] = r.Accept,
                ["acceptEncoding"] = r.AcceptEncoding,
                ["prefer"] = r.Prefer,
            }).ToArray()),
        };
        context.Response.Headers.CacheControl = "no-store";
        await JsonResponses.WriteAsync(context, StatusCodes.Status200OK, body, JsonResponses.PlainJson);
    }

    /// <summary>Sets the fields <paramref name="settings"/> names; others keep their values.</summary>
    public static void Apply(BulkExportScenario scenario, JsonObject settings)
    {
        foreach ((string name, JsonNode? value) in settings)
        {
            switch (name)
            {
                case "pollsBeforeReady": scenario.PollsBeforeReady = (int)value!; break;
                case "retryAfterSeconds": scenario.RetryAfterSeconds = (int?)value; break;
                case "requiresAccessToken": scenario.RequiresAccessToken = (bool)value!; break;
                case "filesOnSecondOrigin": scenario.FilesOnSecondOrigin = (bool)value!; break;
                case "signedUrls": scenario.SignedUrls = (bool)value!; break;
                case "gzip": scenario.Gzip = (bool)value!; break;
                case "bytesPerSecond": scenario.BytesPerSecond = (long?)value; break;
                case "exportFails": scenario.ExportFails = (bool)value!; break;
                case "unauthorizedFileRequests": scenario.UnauthorizedFileRequests = (int)value!; break;
                case "abortFileRequests": scenario.AbortFileRequests = (int)value!; break;
                case "files": scenario.Files = [.. value!.AsArray().Select(f => FileOf(f!.AsObject()))]; break;
                default: throw new ArgumentException($"'{name}' is not a scenario field this endpoint sets.");
            }
        }
    }

    private static BulkFileSpec FileOf(JsonObject file)
        => new((string)file["type"]!, (int)file["lines"]!, (int?)file["lineBytes"] ?? 0)
        {
            Section = file["section"] is { } section
                ? Enum.Parse<BulkFileSection>((string)section!, ignoreCase: true)
                : BulkFileSection.Output,
            ReportedCount = (long?)file["reportedCount"],
            CorruptLine = (int?)file["corruptLine"],
        };
}
