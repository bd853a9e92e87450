using System.Net.Http.Headers;
using System.Net.Sockets;
using System.Security.Authentication;

namespace FhirSecurity.Core.Http;

/// <summary>
/// When a request is sent again and how long to wait first: idempotent methods only (unless the caller accepts
/// duplicates), on answers that say "try later" (408, 429, 502, 503, 504) and on transport failures that are not a
/// refused certificate; a bounded number of times, with exponential backoff and jitter from an interval, and a
/// server's <c>Retry-After</c> preferred. A wait that would not fit in the time left is not made.
/// </summary>
/// <param name="MaximumRetryCount">How many times a request may be sent again (0 = never).</param>
/// <param name="Interval">The first backoff; each retry doubles it, up to <see cref="MaximumBackoff"/>.</param>
/// <param name="RetryNonIdempotent">Also retry POST and PATCH (a retried create may create twice).</param>
public sealed record RetryPolicy(int MaximumRetryCount, TimeSpan Interval, bool RetryNonIdempotent = false)
{
    /// <summary>The largest <see cref="MaximumRetryCount"/>.</summary>
    public const int MaxRetryCount = 10;

    /// <summary>The largest <see cref="Interval"/> in seconds.</summary>
    public const int MaxIntervalSec = 60;

    /// <summary>The longest backoff between two attempts, unless the interval itself is longer.</summary>
    public static readonly TimeSpan MaximumBackoff = TimeSpan.FromSeconds(30);

    /// <summary>
    /// The least time a retry is given: one started with less left would only turn the server's answer into a timeout.
    /// </summary>
    public static readonly TimeSpan MinimumAttemptTime = TimeSpan.FromMilliseconds(200);

    /// <summary>
    /// Three retries from one second, idempotent methods only: what Invoke-FhirRequest does by default.
    /// </summary>
    public static RetryPolicy Default { get; } = new(3, TimeSpan.FromSeconds(1));

    /// <summary>Send once.</summary>
    public static RetryPolicy None { get; } = new(0, TimeSpan.FromSeconds(1));

    /// <summary>The same limits for a request that is safe to repeat whatever its method (a token request).</summary>
    public RetryPolicy ForSafeRequest() => this with { RetryNonIdempotent = true };

    /// <summary>
    /// True when a request with <paramref name="method"/> may be sent again: GET, HEAD, OPTIONS, PUT and DELETE
    /// (RFC 9110 9.2.2), or any method with <see cref="RetryNonIdempotent"/>.
    /// </summary>
    public bool Allows(HttpMethod method)
        => RetryNonIdempotent
           || method == HttpMethod.Get || method == HttpMethod.Head || method == HttpMethod.Options
           || method == HttpMethod.Put || method == HttpMethod.Delete;

    /// <summary>
    /// True for answers that mean "this may work later": 408, 429, 502, 503, 504. Never 4xx answers about the request
    /// itself (400, 401, 403, 404...), nor 500, which usually fails the same way again.
    /// </summary>
    public static bool IsRetryableStatus(int status) => status is 408 or 429 or 502 or 503 or 504;

    /// <summary>
    /// True for a transport failure that a new attempt may not meet: a refused or reset connection, a response cut
    /// short. Never a TLS failure (the certificate will be refused again) nor a cancellation.
    /// </summary>
    public static bool IsTransient(Exception failure)
    {
        if (failure is not (HttpRequestException or IOException))
        {
            return false;
        }

        for (Exception? e = failure; e is not null; e = e.InnerException)
        {
            if (e is AuthenticationException or OperationCanceledException)
            {
                return false;
            }

            if (e is SocketException { SocketErrorCode: SocketError.HostNotFound or SocketError.NoData })
            {
                // A name that does not resolve is a configuration error, not a passing fault.
                return false;
            }
        }

        return true;
    }

    /// <summary>
    /// How long a <c>Retry-After</c> header asks to wait from <paramref name="now"/>: its seconds, or the time until
    /// its HTTP date (zero for a date in the past). Null when there is none.
    /// </summary>
    public static TimeSpan? RetryAfter(RetryConditionHeaderValue? header, DateTimeOffset now)
    {
        if (header?.Delta is { } delta)
        {
            return delta < TimeSpan.Zero ? TimeSpan.Zero : delta;
        }

        if (header?.Date is { } date)
        {
            TimeSpan until = date - now;
            return until < TimeSpan.Zero ? TimeSpan.Zero : until;
        }

        return null;
    }

    /// <summary>
    /// The exponential backoff before retry number <paramref name="retry"/> (1 for the first): the interval doubled
    /// per retry, capped, then scaled into its upper half by <paramref name="jitter"/> (0..1), so clients that failed
    /// together do not come back together.
    /// </summary>
    public TimeSpan Backoff(int retry, double jitter)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(retry, 1);
        TimeSpan cap = Interval > MaximumBackoff ? Interval : MaximumBackoff;
        double seconds = Math.Min(cap.TotalSeconds, Interval.TotalSeconds * Math.Pow(2, Math.Min(retry - 1, 30)));
        return TimeSpan.FromSeconds(seconds * (0.5 + (0.5 * Math.Clamp(jitter, 0, 1))));
    }

    /// <summary>
    /// The wait before retry number <paramref name="retry"/>, or null when there is to be none: the retries are used
    /// up, or the wait (the server's <paramref name="retryAfter"/> if it sent one, else the backoff) would not leave
    /// time in <paramref name="remaining"/> for another attempt, taken to need <paramref name="attempt"/> (what the
    /// last one took) and at least <see cref="MinimumAttemptTime"/>.
    /// </summary>
    public TimeSpan? Delay(
        int retry,
        TimeSpan? retryAfter,
        TimeSpan remaining,
        double jitter,
        TimeSpan attempt = default)
    {
        if (retry > MaximumRetryCount)
        {
            return null;
        }

        TimeSpan wait = retryAfter ?? Backoff(retry, jitter);

        // Retrying earlier than the server asked would likely be refused again; waiting until the deadline leaves no
        // time to send. Either way the answer in hand is the most useful one to give back.
        return wait + (attempt > MinimumAttemptTime ? attempt : MinimumAttemptTime) <= remaining ? wait : null;
    }
}
