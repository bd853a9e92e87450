using System.Buffers;
using System.Net.Http.Headers;
using FhirSecurity.Core.Auth;
using FhirSecurity.Core.Errors;
using FhirSecurity.Core.Fhir;
using FhirSecurity.Core.Http;

namespace FhirSecurity.Core.Bulk;

/// <summary>
/// Downloads one file of an export: streamed to a temporary name next to its final one (never whole in memory),
/// counted and optionally validated as it arrives, then checked against the manifest's count and renamed. A passing
/// failure (429, 503, a download cut short) restarts the file as the retry policy allows; a 401 to the token drops
/// it and restarts the file once with a new one. Whatever fails, no partial file is left.
/// </summary>
internal sealed class BulkFileDownloader
{
    private const int BufferSize = 256 * 1024;
    private readonly ResolvedConnection _connection;
    private readonly BulkManifest _manifest;
    private readonly PooledClient _client;
    private readonly TokenCache _tokens;
    private readonly TimeProvider _clock;
    private readonly BulkDownloadSettings _settings;
    private readonly Action<string>? _verbose;

    public BulkFileDownloader(
        ResolvedConnection connection,
        BulkManifest manifest,
        PooledClient client,
        TokenCache tokens,
        TimeProvider clock,
        BulkDownloadSettings settings,
        Action<string>? verbose)
    {
        _connection = connection;
        _manifest = manifest;
        _client = client;
        _tokens = tokens;
        _clock = clock;
        _settings = settings;
        _verbose = verbose;
    }

    /// <summary>Downloads <paramref name="file"/>; <paramref name="received"/> hears each chunk's size.</summary>
    /// <exception cref="FhirSecurityException">
    /// The file could not be downloaded or is not what the manifest says.
    /// </exception>
    public async Task<BulkFileResult> DownloadAsync(
        BulkManifestFile file, Action<long>? received, CancellationToken cancellation)
    {
        string path = Path.Combine(_settings.Destination, file.FileName);
        string partial = path + BulkDownloadSettings.PartialSuffix;
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        try
        {
            Attempts<FileOutcome> sent = await SendAsync(file, partial, received, cancellation).ConfigureAwait(false);
            int attempts = sent.Count;
            if (sent.Result.TokenRefused)
            {
                _verbose?.Invoke($"GET {file.DisplayUrl}: 401 Unauthorized to the access token: it was dropped;"
                    + " restarting the file once with a new one.");
                sent = await SendAsync(file, partial, received, cancellation).ConfigureAwait(false);
                attempts += sent.Count;
            }

            FileOutcome outcome = sent.Result;
            if (outcome.TokenRefused)
            {
                throw Failed(file, "401 Unauthorized, also with a new access token", 401, null);
            }

            if (outcome.Failure is { } failure)
            {
                throw failure;
            }

            if (file.Count is { } stated && stated != outcome.Lines)
            {
                throw new FhirSecurityException(
                    ErrorIds.BulkExportCountMismatch,
                    FailureCategory.InvalidData,
                    $"The export's {file.Type} file {file.DisplayUrl} has {outcome.Lines} line(s), but the manifest"
                    + $" says {stated}: the file was not kept. Run again with -StatusUrl to download it again; if it"
                    + " stays short, ask the server's maintainers.",
                    file.DisplayUrl);
            }

            File.Move(partial, path, overwrite: true);
            return new BulkFileResult(file, path, outcome.Lines, outcome.Bytes, attempts);
        }
        finally
        {
            TryDelete(partial);
        }
    }

    private Task<Attempts<FileOutcome>> SendAsync(
        BulkManifestFile file, string partial, Action<long>? received, CancellationToken cancellation)
    {
        var plan = new RequestPlan(
            HttpMethod.Get,
            _settings.Retry,
            BulkDownloadSettings.FileTimeout,
            _clock,
            () => $"GET {file.DisplayUrl}",
            () => new FhirSecurityException(
                ErrorIds.BulkExportFileStalled,
                FailureCategory.OperationTimeout,
                $"The export's {file.Type} file {file.DisplayUrl} did not finish within"
                + $" {BulkDownloadSettings.FileTimeout.TotalHours:0} hours.",
                file.DisplayUrl))
        {
            Verbose = _verbose,
            NotRetried = _verbose,
        };
        return RequestPipeline.RunAsync(
            plan, deadline => AttemptAsync(file, partial, received, deadline, cancellation), cancellation);
    }

    private async Task<Attempt<FileOutcome>> AttemptAsync(
        BulkManifestFile file,
        string partial,
        Action<long>? received,
        CancellationToken deadline,
        CancellationToken cancellation)
    {
        var hop = new FhirRequest(
            HttpMethod.Get, file.Url, null, new Dictionary<string, string>(), _settings.StallTimeout);
        for (int redirects = 0; ; redirects++)
        {
            bool credentials = BulkUrlRules.FileCredentials(_connection, _manifest, file, hop.Uri);
            using var message = new HttpRequestMessage(HttpMethod.Get, hop.Uri);
            message.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue(BulkExportRequest.Ndjson));
            AccessToken? token = null;
            if (credentials)
            {
                (message.Headers.Authorization, token, _) = await ConnectionAuthorization.HeaderAsync(
                    _connection, _client.Http, _client.Transport, _tokens, _clock, _settings.StallTimeout,
                    _settings.Retry, deadline, cancellation, _verbose).ConfigureAwait(false);
            }

            HttpResponseMessage response;
            try
            {
                response = await _client.Http
                    .SendAsync(message, HttpCompletionOption.ResponseHeadersRead, deadline)
                    .ConfigureAwait(false);
            }
            catch (Exception ex) when (ex is HttpRequestException or IOException && !deadline.IsCancellationRequested)
            {
                return Transport(file, hop.Uri, ex);
            }

            using (response)
            {
                int status = (int)response.StatusCode;
                if (RedirectPolicy.Next(hop, status, response.Headers.Location?.OriginalString, redirects,
                        UrlRedaction.WithoutQuery) is { } next)
                {
                    _verbose?.Invoke($"GET {UrlRedaction.WithoutQuery(hop.Uri)} -> {status}: following to"
                        + $" {UrlRedaction.WithoutQuery(next.Uri)}.");
                    hop = next;
                    continue;
                }

                if (status == 401 && token is not null)
                {
                    _tokens.Invalidate(_connection.TokenKey!, token);
                    return new(new FileOutcome(0, 0, null, TokenRefused: true));
                }

                if (!response.IsSuccessStatusCode)
                {
                    string said = $"{status} {response.ReasonPhrase}";
                    var failure = new FileOutcome(0, 0, Failed(file, said, status, null));
                    TimeSpan? retryAfter = RetryPolicy.RetryAfter(response.Headers.RetryAfter, _clock.GetUtcNow());
                    return RetryPolicy.IsRetryableStatus(status) ? new(failure, said, retryAfter) : new(failure);
                }

                return await WriteAsync(file, partial, response, received, deadline).ConfigureAwait(false);
            }
        }
    }

    private async Task<Attempt<FileOutcome>> WriteAsync(
        BulkManifestFile file,
        string partial,
        HttpResponseMessage response,
        Action<long>? received,
        CancellationToken deadline)
    {
        var check = new NdjsonCheck(file.Type, _settings.Validate);
        byte[] buffer = ArrayPool<byte>.Shared.Rent(BufferSize);
        long bytes = 0;
        using var stall = CancellationTokenSource.CreateLinkedTokenSource(deadline);
        try
        {
            await using FileStream target = OpenPartial(file, partial);
            Stream body = await response.Content.ReadAsStreamAsync(deadline).ConfigureAwait(false);
            await using (body.ConfigureAwait(false))
            {
                while (true)
                {
                    int read;
                    try
                    {
                        stall.CancelAfter(_settings.StallTimeout);
                        read = await body.ReadAsync(buffer.AsMemory(0, BufferSize), stall.Token).ConfigureAwait(false);
                    }
                    catch (OperationCanceledException) when (!deadline.IsCancellationRequested)
                    {
                        string said = $"no data for {Durations.Seconds(_settings.StallTimeout)} s after {bytes} bytes";
                        return new(new FileOutcome(0, 0, Stalled(file, said)), said);
                    }
                    catch (Exception ex) when (ex is IOException or HttpRequestException
                        && !deadline.IsCancellationRequested)
                    {
                        string said = $"the download broke off after {bytes} bytes";
                        return new(new FileOutcome(0, 0, Failed(file, said, null, ex)), said);
                    }

                    if (read == 0)
                    {
                        break;
                    }

                    check.Append(buffer.AsSpan(0, read));
                    await WriteChunkAsync(file, partial, target, buffer.AsMemory(0, read), deadline)
                        .ConfigureAwait(false);
                    bytes += read;
                    received?.Invoke(read);
                }
            }

            check.Complete();
            return new(new FileOutcome(check.Lines, bytes, null));
        }
        catch (NdjsonLineException bad)
        {
            return new(new FileOutcome(0, 0, new FhirSecurityException(
                ErrorIds.BulkExportLineInvalid,
                FailureCategory.InvalidData,
                $"The export's {file.Type} file {file.DisplayUrl} is not NDJSON of {file.Type} resources at"
                + $" {bad.Message}: the file was not kept (-Validate). Ask the server's maintainers.",
                file.DisplayUrl)));
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    private static FileStream OpenPartial(BulkManifestFile file, string partial)
    {
        try
        {
            return new FileStream(
                partial, FileMode.Create, FileAccess.Write, FileShare.None, 0, FileOptions.Asynchronous);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw WriteFailed(file, partial, ex);
        }
    }

    private static async Task WriteChunkAsync(
        BulkManifestFile file, string partial, FileStream target, ReadOnlyMemory<byte> chunk, CancellationToken token)
    {
        try
        {
            await target.WriteAsync(chunk, token).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw WriteFailed(file, partial, ex);
        }
    }

    private Attempt<FileOutcome> Transport(BulkManifestFile file, Uri uri, Exception ex)
    {
        HttpRequestException transport = ex as HttpRequestException ?? new HttpRequestException(ex.Message, ex);
        bool transient = RetryPolicy.IsTransient(ex)
            && !TransportFailures.IsClientCertificateFailure(ex, _client.Transport, uri);

        // The error names the URL without its query: TransportFailures shows only the origin, and targets the URL.
        var bare = new UriBuilder(uri) { Query = string.Empty, UserName = string.Empty, Password = string.Empty };
        FhirSecurityException failure = TransportFailures.From(
            transport, _client.Transport, bare.Uri, $"the export's {file.Type} file server",
            ErrorIds.BulkExportDownloadFailed);
        return new(new FileOutcome(0, 0, failure), transient ? failure.Message : null);
    }

    private static FhirSecurityException Failed(BulkManifestFile file, string said, int? status, Exception? inner)
        => new(
            ErrorIds.BulkExportDownloadFailed,
            status is 401 or 403 ? FailureCategory.AuthenticationError : FailureCategory.ReadError,
            $"The export's {file.Type} file {file.DisplayUrl} could not be downloaded: {said}. No partial file was"
            + " kept; the export stays on the server: run again with -StatusUrl to finish it.",
            file.DisplayUrl,
            inner is null ? null : new IOException(TransportFailures.Innermost(inner).Message))
        { StatusCode = status };

    private static FhirSecurityException Stalled(BulkManifestFile file, string said)
        => new(
            ErrorIds.BulkExportFileStalled,
            FailureCategory.OperationTimeout,
            $"The export's {file.Type} file {file.DisplayUrl} stalled: {said}. No partial file was kept; run again"
            + " with -StatusUrl, or raise the connection's -TimeoutSec (the longest wait for data).",
            file.DisplayUrl);

    private static FhirSecurityException WriteFailed(BulkManifestFile file, string partial, Exception ex)
        => new(
            ErrorIds.BulkExportDestinationInvalid,
            FailureCategory.WriteError,
            $"The export's {file.Type} file could not be written to {partial}: {ex.Message} Check the destination's"
            + " free space and permissions, then run again with -StatusUrl.",
            partial,
            ex);

    private static void TryDelete(string path)
    {
        try
        {
            File.Delete(path);
        }
        catch (IOException)
        {
            // Best effort: a file still open elsewhere is left for the next run, which overwrites it.
        }
        catch (UnauthorizedAccessException)
        {
        }
    }

    /// <summary>What one attempt came to: a complete partial file, a failure, or a refused token.</summary>
    private sealed record FileOutcome(
        long Lines, long Bytes, FhirSecurityException? Failure, bool TokenRefused = false);
}
