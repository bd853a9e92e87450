using System.Net.Http.Headers;
using System.Net.Sockets;
using System.Security.Authentication;
using FhirSecurity.Core.Http;
using Xunit;

namespace FhirSecurity.Core.Tests.Http;

public sealed class RetryPolicyTests
{
    private static readonly DateTimeOffset Now = new(2025, 3, 1, 12, 0, 0, TimeSpan.Zero);

    [Theory]
    [InlineData(408)]
    [InlineData(429)]
    [InlineData(502)]
    [InlineData(503)]
    [InlineData(504)]
    public void PassingStatusesAreRetried(int status) => Assert.True(RetryPolicy.IsRetryableStatus(status));

    [Theory]
    [InlineData(200)]
    [InlineData(201)]
    [InlineData(304)]
    [InlineData(400)]
    [InlineData(401)]
    [InlineData(403)]
    [InlineData(404)]
    [InlineData(409)]
    [InlineData(412)]
    [InlineData(422)]
    [InlineData(500)]
    [InlineData(501)]
    public void OtherStatusesAreNot(int status) => Assert.False(RetryPolicy.IsRetryableStatus(status));

    [Theory]
    [InlineData("GET", true)]
    [InlineData("HEAD", true)]
    [InlineData("PUT", true)]
    [InlineData("DELETE", true)]
    [InlineData("OPTIONS", true)]
    [InlineData("POST", false)]
    [InlineData("PATCH", false)]
    public void OnlyIdempotentMethodsAreRetriedByDefault(string method, bool allowed)
    {
        Assert.Equal(allowed, RetryPolicy.Default.Allows(new HttpMethod(method)));
        Assert.True((RetryPolicy.Default with { RetryNonIdempotent = true }).Allows(new HttpMethod(method)));
        Assert.True(RetryPolicy.Default.ForSafeRequest().Allows(new HttpMethod(method)));
    }

    [Fact]
    public void RetryAfterInSeconds()
    {
        Assert.Equal(TimeSpan.FromSeconds(7), RetryPolicy.RetryAfter(RetryConditionHeaderValue.Parse("7"), Now));
        Assert.Equal(TimeSpan.Zero, RetryPolicy.RetryAfter(RetryConditionHeaderValue.Parse("0"), Now));
    }

    [Fact]
    public void RetryAfterAsAnHttpDate()
    {
        var header = RetryConditionHeaderValue.Parse(Now.AddSeconds(42).ToString("R", System.Globalization.CultureInfo.InvariantCulture));

        Assert.Equal(TimeSpan.FromSeconds(42), RetryPolicy.RetryAfter(header, Now));
    }

    [Fact]
    public void RetryAfterInThePastMeansNow()
    {
        var header = RetryConditionHeaderValue.Parse("Sat, 01 Mar 2025 11:00:00 GMT");

        Assert.Equal(TimeSpan.Zero, RetryPolicy.RetryAfter(header, Now));
    }

    [Fact]
    public void NoRetryAfterIsNull() => Assert.Null(RetryPolicy.RetryAfter(null, Now));

    [Fact]
    public void RetryAfterThatIsNeitherFormIsIgnoredByTheHeaderParser()
    {
        using var response = new HttpResponseMessage();
        response.Headers.TryAddWithoutValidation("Retry-After", "soon");

        Assert.Null(RetryPolicy.RetryAfter(response.Headers.RetryAfter, Now));
    }

    [Fact]
    public void BackoffDoublesFromTheIntervalWithJitterInItsUpperHalf()
    {
        var policy = new RetryPolicy(10, TimeSpan.FromSeconds(1));

        Assert.Equal(TimeSpan.FromSeconds(1), policy.Backoff(1, 1));
        Assert.Equal(TimeSpan.FromSeconds(0.5), policy.Backoff(1, 0));
        Assert.Equal(TimeSpan.FromSeconds(2), policy.Backoff(2, 1));
        Assert.Equal(TimeSpan.FromSeconds(4), policy.Backoff(3, 1));
        Assert.Equal(TimeSpan.FromSeconds(6), policy.Backoff(4, 0.5));
    }

    [Fact]
    public void BackoffIsCapped()
    {
        var policy = new RetryPolicy(10, TimeSpan.FromSeconds(1));

        Assert.Equal(RetryPolicy.MaximumBackoff, policy.Backoff(10, 1));
        Assert.Equal(RetryPolicy.MaximumBackoff, policy.Backoff(int.MaxValue, 1));
        Assert.Equal(TimeSpan.FromSeconds(60), new RetryPolicy(10, TimeSpan.FromSeconds(60)).Backoff(5, 1));
    }

    [Fact]
    public void TheRetryCountIsBounded()
    {
        var policy = new RetryPolicy(2, TimeSpan.FromSeconds(1));
        TimeSpan plenty = TimeSpan.FromMinutes(10);

        Assert.NotNull(policy.Delay(1, null, plenty, 0.5));
        Assert.NotNull(policy.Delay(2, null, plenty, 0.5));
        Assert.Null(policy.Delay(3, null, plenty, 0.5));
        Assert.Null(RetryPolicy.None.Delay(1, TimeSpan.Zero, plenty, 0.5));
    }

    [Fact]
    public void RetryAfterWinsOverTheBackoff()
    {
        var policy = new RetryPolicy(3, TimeSpan.FromSeconds(1));

        Assert.Equal(TimeSpan.FromSeconds(9), policy.Delay(1, TimeSpan.FromSeconds(9), TimeSpan.FromSeconds(100), 1));
        Assert.Equal(TimeSpan.Zero, policy.Delay(3, TimeSpan.Zero, TimeSpan.FromSeconds(100), 1));
    }

    [Fact]
    public void NoWaitGoesBeyondTheTimeLeft()
    {
        var policy = new RetryPolicy(3, TimeSpan.FromSeconds(4));

        Assert.Null(policy.Delay(1, TimeSpan.FromSeconds(30), TimeSpan.FromSeconds(10), 1));
        Assert.Null(policy.Delay(1, null, TimeSpan.FromSeconds(3), 1));
        Assert.Null(policy.Delay(1, TimeSpan.Zero, TimeSpan.Zero, 1));
        Assert.Equal(TimeSpan.FromSeconds(4), policy.Delay(1, null, TimeSpan.FromSeconds(5), 1));
    }

    [Fact]
    public void TheWaitLeavesTimeForAnAttemptAsLongAsTheLast()
    {
        var policy = new RetryPolicy(3, TimeSpan.FromSeconds(1));

        Assert.Equal(TimeSpan.FromSeconds(1), policy.Delay(1, TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(2), 1, TimeSpan.FromSeconds(1)));
        Assert.Null(policy.Delay(1, TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(2), 1, TimeSpan.FromSeconds(1.5)));
        // However fast the last attempt, a retry gets at least the minimum.
        Assert.Null(policy.Delay(1, TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(1) + RetryPolicy.MinimumAttemptTime - TimeSpan.FromMilliseconds(1), 1, TimeSpan.Zero));
    }

    [Fact]
    public void TransportFailuresArePassingButNotTlsDnsOrCancellation()
    {
        Assert.True(RetryPolicy.IsTransient(new HttpRequestException("refused", new SocketException((int)SocketError.ConnectionRefused))));
        Assert.True(RetryPolicy.IsTransient(new HttpRequestException("copy", new IOException("The response ended prematurely."))));
        Assert.True(RetryPolicy.IsTransient(new IOException("reset")));
        Assert.False(RetryPolicy.IsTransient(new HttpRequestException("tls", new AuthenticationException("remote certificate invalid"))));
        Assert.False(RetryPolicy.IsTransient(new HttpRequestException("dns", new SocketException((int)SocketError.HostNotFound))));
        Assert.False(RetryPolicy.IsTransient(new HttpRequestException("stop", new OperationCanceledException())));
        Assert.False(RetryPolicy.IsTransient(new InvalidOperationException()));
    }
}
