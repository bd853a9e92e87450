using System.Diagnostics;
using FhirSecurity.Core.Auth;
using FhirSecurity.Core.Errors;
using FhirSecurity.Core.Fhir;
using FhirSecurity.Core.Http;

namespace FhirSecurity.Core.Bulk;

/// <summary>
/// The requests of a Bulk Data export (IG v2) that are not file downloads: kick-off, status polls and cancel, each
/// through the connection's <see cref="FhirClient"/> (its TLS, proxy, client certificate, token cache, retries and
/// redirect rules).
/// </summary>
public sealed class BulkExportClient
{
    /// <summary>The longest wait between two polls without a <c>Retry-After</c>.</summary>
    public static readonly TimeSpan MaximumPollInterval = TimeSpan.FromSeconds(60);

    /// <summary>The first wait between polls without a <c>Retry-After</c>; it doubles per poll.</summary>
    public static readonly TimeSpan FirstPollInterval = TimeSpan.FromSeconds(1);

    /// <summary>How many polls in a row may fail (after their own retries) before the export is given up.</summary>
    public const int MaximumFailedPolls = 3;

    private readonly ResolvedConnection _connection;
    private readonly FhirClient _client;
    private readonly TimeProvider _clock;
    private readonly RetryPolicy _retry;

    /// <summary>Creates the client of one export over the shared pool and token cache.</summary>
    public BulkExportClient(
        ResolvedConnection connection, HandlerPool pool, TokenCache tokens, TimeProvider clock, RetryPolicy retry)
    {
        _connection = connection;
        _client = new FhirClient(connection, pool, tokens, clock);
        _clock = clock;
        _retry = retry;
    }

    private TimeSpan Timeout => TimeSpan.FromSeconds(_connection.Connection.TimeoutSec);

    /// <summary>
    /// Kicks off <paramref name="export"/> and gives back its status URL; null for a 401 when
    /// <paramref name="lastTry"/> is false (the caller reads the definitions again and tries once more).
    /// </summary>
    /// <exception cref="FhirSecurityException">
    /// BulkExportKickoffRefused, BulkExportStatusUrlMissing, BulkExportStatusUrlForeign, BulkExportInsecureUrl.
    /// </exception>
    public async Task<Uri?> KickOffAsync(
        BulkExportRequest export, bool lastTry, CancellationToken cancellation, Action<string>? verbose)
    {
        Uri kickoff = export.KickoffUri(_connection.Connection.BaseUri);
        var request = new FhirRequest(
            HttpMethod.Get,
            kickoff,
            null,
            new Dictionary<string, string> { ["Prefer"] = "respond-async" },
            Timeout) { Retry = _retry };
        FhirResponse response = await _client.SendAsync(request, cancellation, verbose).ConfigureAwait(false);
        verbose?.Invoke($"GET {kickoff} -> {response.StatusCode} {response.ReasonPhrase}"
            + $" in {response.Elapsed.TotalMilliseconds:0} ms.");
        if (response.StatusCode == 401 && !lastTry && _connection.Connection.HasAuthentication)
        {
            return null;
        }

        if (response.StatusCode != 202)
        {
            FhirSecurityException said = FhirPayload.Failure(response, "GET");
            string why = response.IsSuccess
                ? $"it answered {response.StatusCode} instead of 202 Accepted: it does not run exports"
                  + " asynchronously (Prefer: respond-async), which Bulk Data requires"
                : said.Message.TrimEnd('.');
            throw new FhirSecurityException(
                ErrorIds.BulkExportKickoffRefused,
                response.IsSuccess ? FailureCategory.ProtocolError : said.Category,
                $"The server did not start the export: {why}. Check the export's level, -Type and -TypeFilter"
                + " against what the server supports (its CapabilityStatement), and the OAuth scopes"
                + " (system/*.read or system/<Type>.read).",
                kickoff) { StatusCode = response.StatusCode, Issues = said.Issues };
        }

        if (response.ContentLocation is not { } location
            || !Uri.TryCreate(kickoff, location.OriginalString, out Uri? statusUrl))
        {
            throw new FhirSecurityException(
                ErrorIds.BulkExportStatusUrlMissing,
                FailureCategory.ProtocolError,
                $"The server accepted the export (202) but sent no Content-Location to poll: the export cannot be"
                + " followed. Ask the server's maintainers.",
                kickoff);
        }

        BulkUrlRules.CheckStatusUrl(_connection, statusUrl);
        return statusUrl;
    }

    /// <summary>
    /// Polls <paramref name="statusUrl"/> until the export is complete and gives back its manifest: honouring
    /// <c>Retry-After</c>, else waiting from <see cref="FirstPollInterval"/> doubled per poll up to
    /// <see cref="MaximumPollInterval"/>; a 429 slows down; passing failures are retried.
    /// </summary>
    /// <exception cref="FhirSecurityException">
    /// BulkExportFailed, BulkExportNotFound, BulkExportStatusUnavailable, BulkExportManifestInvalid.
    /// </exception>
    public async Task<(BulkManifest Manifest, TimeSpan Waited)> WaitForManifestAsync(
        Uri statusUrl, IBulkExportObserver observer, CancellationToken cancellation)
    {
        BulkUrlRules.CheckStatusUrl(_connection, statusUrl);
        var watch = Stopwatch.StartNew();
        TimeSpan interval = FirstPollInterval;
        int failedPolls = 0;
        for (int poll = 1; ; poll++)
        {
            var request = new FhirRequest(HttpMethod.Get, statusUrl, null, new Dictionary<string, string>(), Timeout)
            {
                Retry = _retry,
                BulkData = true,
            };
            FhirResponse response = await _client.SendAsync(request, cancellation, observer.Verbose)
                .ConfigureAwait(false);
            TimeSpan wait;
            switch (response.StatusCode)
            {
                case 200:
                    return (BulkManifest.Parse(response.Body, statusUrl), watch.Elapsed);
                case 202:
                    failedPolls = 0;
                    observer.Waiting(response.Progress, watch.Elapsed);
                    wait = response.RetryAfter ?? interval;
                    interval = Doubled(interval);
                    break;
                case 429:
                    // Still refused after the request's own retries: poll less often from now on.
                    interval = Doubled(Doubled(interval));
                    wait = response.RetryAfter is { } asked && asked > interval ? asked : interval;
                    observer.Verbose($"GET {statusUrl}: 429 Too Many Requests; polling every"
                        + $" {Durations.Seconds(interval, tenths: true)} s from now on.");
                    break;
                case 404 or 410:
                    throw new FhirSecurityException(
                        ErrorIds.BulkExportNotFound,
                        FailureCategory.ObjectNotFound,
                        $"The export at {statusUrl} is not known to the server ({response.StatusCode}): it was"
                        + " cancelled, or its files expired. Start a new export.",
                        statusUrl) { StatusCode = response.StatusCode };
                case var status when RetryPolicy.IsRetryableStatus(status) && ++failedPolls < MaximumFailedPolls:
                    wait = interval;
                    interval = Doubled(interval);
                    break;
                default:
                    throw Failed(statusUrl, response, failedPolls);
            }

            await Task.Delay(wait, _clock, cancellation).ConfigureAwait(false);
        }
    }

    /// <summary>
    /// Cancels the export at <paramref name="statusUrl"/> (DELETE), so the server can drop its files.
    /// </summary>
    /// <exception cref="FhirSecurityException">BulkExportNotFound, BulkExportCancelFailed.</exception>
    public async Task CancelAsync(Uri statusUrl, CancellationToken cancellation, Action<string>? verbose)
    {
        BulkUrlRules.CheckStatusUrl(_connection, statusUrl);
        var request = new FhirRequest(HttpMethod.Delete, statusUrl, null, new Dictionary<string, string>(), Timeout)
        {
            Retry = _retry,
            BulkData = true,
        };
        FhirResponse response = await _client.SendAsync(request, cancellation, verbose).ConfigureAwait(false);
        verbose?.Invoke($"DELETE {statusUrl} -> {response.StatusCode} {response.ReasonPhrase}.");
        if (response.IsSuccess)
        {
            return;
        }

        if (response.StatusCode is 404 or 410)
        {
            throw new FhirSecurityException(
                ErrorIds.BulkExportNotFound,
                FailureCategory.ObjectNotFound,
                $"The export at {statusUrl} is not known to the server ({response.StatusCode}): it was already"
                + " cancelled, or its files expired. Nothing to stop.",
                statusUrl) { StatusCode = response.StatusCode };
        }

        FhirSecurityException said = FhirPayload.Failure(response, "DELETE");
        throw new FhirSecurityException(
            ErrorIds.BulkExportCancelFailed,
            said.Category,
            $"The server did not cancel the export: {said.Message}",
            statusUrl) { StatusCode = response.StatusCode, Issues = said.Issues };
    }

    private static TimeSpan Doubled(TimeSpan interval)
        => interval * 2 > MaximumPollInterval ? MaximumPollInterval : interval * 2;

    private static FhirSecurityException Failed(Uri statusUrl, FhirResponse response, int failedPolls)
    {
        FhirSecurityException said = FhirPayload.Failure(response, "GET");
        bool passing = RetryPolicy.IsRetryableStatus(response.StatusCode);
        return passing
            ? new FhirSecurityException(
                ErrorIds.BulkExportStatusUnavailable,
                FailureCategory.ResourceUnavailable,
                $"The export's status URL failed {failedPolls} polls in a row: {said.Message} The export may still"
                + $" run on the server: run again later with -StatusUrl {statusUrl}.",
                statusUrl) { StatusCode = response.StatusCode, Issues = said.Issues }
            : new FhirSecurityException(
                ErrorIds.BulkExportFailed,
                said.Category,
                $"The export failed on the server: {said.Message}",
                statusUrl) { StatusCode = response.StatusCode, Issues = said.Issues };
    }
}
