using System.Globalization;
using System.Security.Cryptography;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http;

namespace FhirSecurity.TestServer;

/// <summary>
/// Bulk Data IG v2 kick-off, status and DELETE under a FHIR base (after its authentication). Files are served
/// outside the bases by <see cref="BulkFileApi"/>.
/// </summary>
internal sealed class BulkExportApi(ServerState state)
{
    /// <summary>The only Group a Group export knows.</summary>
    public const string KnownGroupId = "pat-group";

    /// <summary>Where files live: <c>{origin}/_bulk/files/{job}/{number}.ndjson</c>.</summary>
    public const string FilesPath = "/_bulk/files/";

    private static readonly string[] OutputFormats = ["application/fhir+ndjson", "application/ndjson", "ndjson"];

    private BulkExportState Bulk => state.Bulk;

    public async Task KickoffAsync(HttpContext context, string baseUrl, string origin, string? groupId)
    {
        HttpRequest request = context.Request;
        Record(context, BulkRequestKind.Kickoff, request.QueryString.Value ?? string.Empty);
        BulkExportScenario scenario = Bulk.Scenario;
        if (!request.Headers.Accept.ToString().Contains("application/fhir+json", StringComparison.Ordinal))
        {
            await Refuse(context, 400, "invalid", "A kick-off needs Accept: application/fhir+json.");
            return;
        }

        if (!request.Headers["Prefer"].ToString().Contains("respond-async", StringComparison.Ordinal))
        {
            await Refuse(context, 400, "invalid", "A kick-off needs Prefer: respond-async.");
            return;
        }

        string format = request.Query["_outputFormat"].ToString();
        if (format.Length > 0 && !OutputFormats.Contains(format, StringComparer.Ordinal))
        {
            await Refuse(context, 400, "not-supported", $"_outputFormat '{format}' is not supported.");
            return;
        }

        if (groupId is not null && groupId != KnownGroupId)
        {
            await Refuse(context, 404, "not-found", $"Group/{groupId} is not known.");
            return;
        }

        if (scenario.Refusal is { } refusal)
        {
            await Refuse(context, refusal.StatusCode, "not-supported", refusal.Diagnostics);
            return;
        }

        string id = Convert.ToHexString(RandomNumberGenerator.GetBytes(8)).ToLowerInvariant();
        string[] types = request.Query["_type"].ToString()
            .Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        Uri fileOrigin = scenario.FilesOnSecondOrigin ? Bulk.SecondOrigin! : new Uri(origin);
        var files = new List<BulkJobFile>();
        foreach (BulkFileSpec spec in scenario.Files)
        {
            if (types.Length > 0 && spec.Section != BulkFileSection.Error && !types.Contains(spec.Type))
            {
                continue;
            }

            int number = files.Count + 1;
            string? signature = scenario.SignedUrls
                ? Convert.ToHexString(RandomNumberGenerator.GetBytes(16)).ToLowerInvariant()
                : null;
            var url = new Uri(fileOrigin, $"{FilesPath}{id}/{number}.ndjson"
                + (signature is null ? string.Empty : "?X-Signature=" + signature));
            files.Add(new BulkJobFile(spec, number, scenario.RewriteFileUrl?.Invoke(url) ?? url, signature));
        }

        string kickoff = $"{origin}{request.Path}{request.QueryString}";
        Bulk.Add(new BulkExportJob(id, kickoff, state.Time.GetUtcNow(), files, scenario.RequiresAccessToken,
            scenario.PollsBeforeReady, scenario.ExportFails));
        context.Response.StatusCode = StatusCodes.Status202Accepted;
        context.Response.Headers.ContentLocation =
            (scenario.StatusUrlOverride?.AbsoluteUri) ?? $"{baseUrl}_bulk/status/{id}";
    }

    public async Task StatusAsync(HttpContext context, string id)
    {
        bool delete = HttpMethods.IsDelete(context.Request.Method);
        Record(context, delete ? BulkRequestKind.Delete : BulkRequestKind.Status, string.Empty);
        if (Bulk.Find(id) is not { Deleted: false } job)
        {
            await JsonResponses.WriteOutcomeAsync(context, 404, "not-found", $"No export {id} here.");
            return;
        }

        if (delete)
        {
            job.Delete();
            Bulk.CountDelete();
            context.Response.StatusCode = StatusCodes.Status202Accepted;
            return;
        }

        if (job.TakePoll())
        {
            context.Response.StatusCode = StatusCodes.Status202Accepted;
            context.Response.Headers["X-Progress"] = Bulk.Scenario.Progress;
            if (Bulk.Scenario.RetryAfterSeconds is { } seconds)
            {
                context.Response.Headers.RetryAfter = seconds.ToString(CultureInfo.InvariantCulture);
            }

            return;
        }

        if (job.Fails)
        {
            await JsonResponses.WriteOutcomeAsync(context, 500, "exception", "The export failed on the server.");
            return;
        }

        await JsonResponses.WriteAsync(context, 200, Manifest(job), JsonResponses.PlainJson);
    }

    private static JsonObject Manifest(BulkExportJob job)
    {
        JsonArray List(BulkFileSection section) => new(job.Files.Where(f => f.Spec.Section == section)
            .Select(f =>
            {
                var entry = new JsonObject { ["type"] = f.Spec.Type, ["url"] = f.Url.AbsoluteUri };
                if (!f.Spec.OmitCount)
                {
                    entry["count"] = f.Spec.ReportedCount ?? f.Spec.Lines;
                }

                return (JsonNode)entry;
            }).ToArray());

        return new JsonObject
        {
            ["transactionTime"] = job.TransactionTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fffK", CultureInfo.InvariantCulture),
            ["request"] = job.Request,
            ["requiresAccessToken"] = job.RequiresAccessToken,
            ["output"] = List(BulkFileSection.Output),
            ["error"] = List(BulkFileSection.Error),
            ["deleted"] = List(BulkFileSection.Deleted),
        };
    }

    private void Record(HttpContext context, BulkRequestKind kind, string query)
        => Bulk.Record(BulkFileApi.RecordOf(context, kind, query));

    private static Task Refuse(HttpContext context, int status, string code, string diagnostics)
        => JsonResponses.WriteOutcomeAsync(context, status, code, diagnostics);
}
