using System.Diagnostics;
using FhirSecurity.Core.Errors;

namespace FhirSecurity.Core.Http;

/// <summary>
/// The one retry loop of FHIR requests, token requests and SMART discovery: every attempt within one timeout, and
/// an attempt that met a passing failure sent again as the <see cref="RetryPolicy"/> allows, after its wait.
/// </summary>
/// <remarks>
/// Hand-written rather than Polly's retry strategy: the decision to retry needs the wait first (a wait that would not
/// leave time for another attempt is not made, and says so), the backoff is this module's documented one, and 0
/// retries is a valid setting; in Polly all three would live in callbacks around a loop of a few lines.
/// </remarks>
internal static class RequestPipeline
{
    /// <summary>
    /// Runs <paramref name="attempt"/> (given the deadline's token) until it gives a final result, the retries are
    /// used up, or the next wait would not fit in the time left; then gives back the last attempt's result. Running
    /// out of time is <paramref name="plan"/>'s timeout error; a cancellation by the caller stays one.
    /// </summary>
    public static async Task<Attempts<T>> RunAsync<T>(
        RequestPlan plan, Func<CancellationToken, Task<Attempt<T>>> attempt, CancellationToken cancellation)
    {
        var watch = Stopwatch.StartNew();
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellation);
        deadline.CancelAfter(plan.Timeout);
        RetryPolicy retry = plan.Retry;
        try
        {
            for (int count = 1; ; count++)
            {
                TimeSpan started = watch.Elapsed;
                Attempt<T> outcome = await attempt(deadline.Token).ConfigureAwait(false);
                if (outcome.Passing is not { } passing || retry.MaximumRetryCount == 0)
                {
                    return new(outcome.Result, count, watch.Elapsed);
                }

                if (!retry.Allows(plan.Method))
                {
                    plan.NotRetried?.Invoke($"{plan.Subject()}: {passing}. Not retried: {plan.Method} is not idempotent"
                        + " (-RetryNonIdempotent retries it, at the risk of doing it twice).");
                    return new(outcome.Result, count, watch.Elapsed);
                }

                TimeSpan remaining = plan.Timeout - watch.Elapsed;
                TimeSpan? retryAfter = outcome.RetryAfter;
                double jitter = Random.Shared.NextDouble();
                TimeSpan? wait = retry.Delay(count, retryAfter, remaining, jitter, watch.Elapsed - started);
                string asked = retryAfter is null ? string.Empty : " (Retry-After)";
                if (wait is null)
                {
                    plan.NotRetried?.Invoke(count > retry.MaximumRetryCount
                        ? $"{plan.Subject()}: {passing}. Not retried: {retry.MaximumRetryCount} retries used."
                        : $"{plan.Subject()}: {passing}. Not retried: the wait"
                          + (retryAfter is null ? string.Empty : " the server asked for (Retry-After)")
                          + " would not leave time within the timeout"
                          + $" ({Durations.Seconds(remaining, tenths: true)} s left).");
                    return new(outcome.Result, count, watch.Elapsed);
                }

                plan.Verbose?.Invoke($"{plan.Subject()}: {passing}. Retry {count} of {retry.MaximumRetryCount}"
                    + $" in {Durations.Seconds(wait.Value, tenths: true)} s{asked}.");
                await Task.Delay(wait.Value, plan.Clock, deadline.Token).ConfigureAwait(false);
            }
        }
        catch (OperationCanceledException) when (!cancellation.IsCancellationRequested)
        {
            throw plan.TimedOut();
        }
    }
}

/// <summary>How a request is sent: which method, how often, within what time, and what it says as it goes.</summary>
/// <param name="Method">The method, which decides whether a retry is allowed.</param>
/// <param name="Retry">When the request is sent again.</param>
/// <param name="Timeout">How long all attempts and waits together may take.</param>
/// <param name="Clock">The clock the waits run on.</param>
/// <param name="Subject">Names the request in messages ("GET https://…", "The token endpoint https://…").</param>
/// <param name="TimedOut">The error for a request that ran out of time.</param>
internal sealed record RequestPlan(
    HttpMethod Method,
    RetryPolicy Retry,
    TimeSpan Timeout,
    TimeProvider Clock,
    Func<string> Subject,
    Func<FhirSecurityException> TimedOut)
{
    /// <summary>Hears each retry (any thread).</summary>
    public Action<string>? Verbose { get; init; }

    /// <summary>Hears why a passing failure was not retried (any thread); null to keep that quiet.</summary>
    public Action<string>? NotRetried { get; init; }
}

/// <summary>What one attempt came to.</summary>
/// <param name="Result">What the caller makes of it.</param>
/// <param name="Passing">Why it may work later ("503 Service Unavailable"), or null when the result is final.</param>
/// <param name="RetryAfter">How long the server asked to wait, or null.</param>
internal readonly record struct Attempt<T>(T Result, string? Passing = null, TimeSpan? RetryAfter = null);

/// <summary>The last attempt's result, how many attempts were made, and how long they took with the waits.</summary>
internal readonly record struct Attempts<T>(T Result, int Count, TimeSpan Elapsed);
