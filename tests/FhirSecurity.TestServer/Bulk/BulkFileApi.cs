using System.Diagnostics;
using System.Globalization;
using System.IO.Compression;
using Microsoft.AspNetCore.Http;

namespace FhirSecurity.TestServer;

/// <summary>
/// Serves export files at <c>/_bulk/files/{job}/{number}.ndjson</c> on either origin: checks the token when the
/// export requires it and the signature when URLs are signed, and plays the scenario's faults (401, redirects,
/// aborted and stalled bodies) and its bandwidth limit. Bodies are generated as they are sent.
/// </summary>
internal sealed class BulkFileApi(ServerState state)
{
    private const int ChunkBytes = 16 * 1024;

    private BulkExportState Bulk => state.Bulk;

    public static BulkRequestRecord RecordOf(HttpContext context, BulkRequestKind kind, string query)
    {
        HttpRequest request = context.Request;
        string authorization = request.Headers.Authorization.ToString();
        return new BulkRequestRecord(
            kind,
            request.Method,
            request.Path.Value ?? "/",
            query,
            context.Connection.LocalPort,
            authorization.Length == 0 ? null : HttpAuthorization.SchemeOf(authorization),
            Header(request, "Accept"),
            Header(request, "Accept-Encoding"),
            Header(request, "Prefer"));
    }

    public async Task HandleAsync(HttpContext context, string relative)
    {
        Bulk.Record(RecordOf(context, BulkRequestKind.File, string.Empty));
        string[] parts = relative.Split('/');
        BulkExportJob? job = parts.Length == 2 ? Bulk.Find(parts[0]) : null;
        BulkJobFile? file = job?.Files.FirstOrDefault(
            f => parts[1] == f.Number.ToString(CultureInfo.InvariantCulture) + ".ndjson");
        if (job is null || job.Deleted || file is null || !HttpMethods.IsGet(context.Request.Method))
        {
            await JsonResponses.WriteOutcomeAsync(context, 404, "not-found", "No such export file.");
            return;
        }

        BulkExportScenario scenario = Bulk.Scenario;
        if ((job.RequiresAccessToken && !HasValidToken(context)) || scenario.TakeUnauthorized())
        {
            context.Response.Headers.WWWAuthenticate = "Bearer error=\"invalid_token\"";
            await JsonResponses.WriteOutcomeAsync(context, 401, "login", "A valid Bearer token is required.");
            return;
        }

        if (file.Signature is { } signature && context.Request.Query["X-Signature"].ToString() != signature)
        {
            await JsonResponses.WriteOutcomeAsync(context, 403, "forbidden", "The signature is missing or wrong.");
            return;
        }

        if (scenario.TakeRedirect())
        {
            Uri other = context.Connection.LocalPort == Bulk.SecondOrigin!.Port
                ? new Uri($"https://127.0.0.1:{state.MainPort}/")
                : Bulk.SecondOrigin;
            context.Response.StatusCode = StatusCodes.Status302Found;
            context.Response.Headers.Location =
                new Uri(other, context.Request.Path.Value + context.Request.QueryString.Value).AbsoluteUri;
            return;
        }

        await SendAsync(context, file, scenario);
    }

    private async Task SendAsync(HttpContext context, BulkJobFile file, BulkExportScenario scenario)
    {
        bool abort = scenario.TakeAbort();
        bool stall = !abort && scenario.TakeStall();
        long length = BulkLines.Length(file.Spec, file.Number);
        bool gzip = scenario.Gzip
            && context.Request.Headers.AcceptEncoding.ToString().Contains("gzip", StringComparison.Ordinal);
        HttpResponse response = context.Response;
        response.StatusCode = 200;
        response.ContentType = "application/fhir+ndjson";
        Stream body = response.Body;
        if (gzip)
        {
            response.Headers.ContentEncoding = "gzip";
            body = new GZipStream(response.Body, CompressionLevel.Fastest, leaveOpen: true);
        }
        else
        {
            response.ContentLength = length;
        }

        var throttle = new Throttle(scenario.BytesPerSecond);
        long sent = 0;
        var chunk = new MemoryStream(ChunkBytes * 2);
        CancellationToken aborted = context.RequestAborted;
        for (int number = 1; number <= file.Spec.Lines; number++)
        {
            chunk.Write(BulkLines.Line(file.Spec, file.Number, number));
            if (chunk.Length < ChunkBytes && number < file.Spec.Lines)
            {
                continue;
            }

            await body.WriteAsync(chunk.GetBuffer().AsMemory(0, (int)chunk.Length), aborted);
            sent += chunk.Length;
            chunk.SetLength(0);
            await throttle.WaitAsync(sent, aborted);
            if ((abort || stall) && sent * 2 >= length)
            {
                await body.FlushAsync(aborted);
                await response.Body.FlushAsync(aborted);
                if (abort)
                {
                    context.Abort();
                    return;
                }

                await Task.Delay(Timeout.Infinite, aborted);
            }
        }

        if (gzip)
        {
            await body.DisposeAsync();
        }
    }

    private bool HasValidToken(HttpContext context)
        => HttpAuthorization.TryGetCredentials(context.Request.Headers.Authorization.ToString(), "Bearer", out var token)
           && state.Tokens.Check(token) == TokenCheck.Valid;

    private static string? Header(HttpRequest request, string name)
        => request.Headers.TryGetValue(name, out var value) ? value.ToString() : null;

    /// <summary>Holds a response to a rate: after each chunk, waits until the bytes sent are due.</summary>
    private sealed class Throttle(long? bytesPerSecond)
    {
        private readonly Stopwatch _watch = Stopwatch.StartNew();

        public Task WaitAsync(long sent, CancellationToken cancellation)
        {
            if (bytesPerSecond is not { } rate)
            {
                return Task.CompletedTask;
            }

            TimeSpan due = TimeSpan.FromSeconds((double)sent / rate) - _watch.Elapsed;
            return due > TimeSpan.Zero ? Task.Delay(due, cancellation) : Task.CompletedTask;
        }
    }
}
