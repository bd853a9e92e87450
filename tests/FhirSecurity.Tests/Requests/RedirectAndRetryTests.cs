using System.Diagnostics;
using System.Management.Automation;
using System.Net;
using System.Net.Sockets;
using FhirSecurity.Tests.Harness;
using FhirSecurity.TestServer;
using Xunit;

namespace FhirSecurity.Tests.Requests;

/// <summary>
/// Redirects (credentials per hop, only to the connection's origin; https to http refused; a bounded chain) and
/// retries (which answers, which methods, Retry-After, bounds), for FHIR requests and for the token endpoint.
/// </summary>
public sealed class RedirectAndRetryTests : ServerTest
{
    private const string Moved = "/oauth/fhir/Patient/moved";
    private FhirTestServer? _other;

    /// <summary>A second server (another origin: same host, other port) trusting the same test CA.</summary>
    private FhirTestServer Other => _other ??= FhirTestServer.StartAsync(new FhirTestServerOptions { Pki = Server.Pki, SeedPatientCount = 25 }).GetAwaiter().GetResult();

    private static string Prop(PSObject item, string name) => item.Properties[name]?.Value?.ToString() ?? string.Empty;

    private static int StatusOf(PsResult result)
    {
        ErrorRecord error = Assert.Single(result.Errors);
        Assert.StartsWith("FhirRequestFailed,", error.FullyQualifiedErrorId);
        return (int)error.Exception.GetType().GetProperty("StatusCode")!.GetValue(error.Exception)!;
    }

    private (PsResult Result, TimeSpan Elapsed) Timed(string script, bool ok = true)
    {
        var watch = Stopwatch.StartNew();
        PsResult result = ok ? RunWithOk(script) : RunWith(script);
        return (result, watch.Elapsed);
    }

    // Redirects.
    [Fact]
    public void A_same_origin_redirect_keeps_the_credentials()
    {
        NewOAuthConnection();
        Server.Faults.Enqueue(Moved, Fault.Redirect("/oauth/fhir/Patient/pat-0001", 301));

        PsResult result = RunWithOk("Invoke-FhirRequest c Patient/moved -Verbose");

        Assert.Equal("pat-0001", Prop(Assert.Single(result.Output), "id"));
        Assert.Equal("Bearer", Server.LastAuthorizationScheme);
        // The token request (client_secret_basic) and both hops.
        Assert.Equal(3, Server.Counters.RequestsWithAuthorization);
        Assert.Contains(result.Verbose, v => v.Message.Contains("-> 301: following to GET") && v.Message.Contains("same origin"));
        Assert.Contains(result.Verbose, v => v.Message.Contains("redirected to"));
    }

    [Fact]
    public void A_cross_origin_redirect_sends_no_credentials_and_still_succeeds()
    {
        NewOAuthConnection();
        Server.Faults.Enqueue(Moved, Fault.Redirect(new Uri(Other.OpenBase, "Patient/pat-0002").AbsoluteUri, 302));

        PsResult result = RunWithOk("Invoke-FhirRequest c Patient/moved -Verbose");

        Assert.Equal("pat-0002", Prop(Assert.Single(result.Output), "id"));
        Assert.Equal(1, Other.Counters.TotalRequests);
        Assert.Null(Other.LastAuthorizationScheme);
        Assert.Equal(0, Other.Counters.RequestsWithAuthorization);
        Assert.Contains(result.Verbose, v => v.Message.Contains("without credentials (another origin)"));
    }

    [Fact]
    public void A_cross_origin_redirect_strips_Basic_credentials_too()
    {
        NewBasicConnection();
        Server.Faults.Enqueue("/basic/fhir/Patient/moved", Fault.Redirect(new Uri(Other.OpenBase, "Patient/pat-0003").AbsoluteUri, 307));

        PsResult result = RunWithOk("Invoke-FhirRequest c Patient/moved");

        Assert.Equal("pat-0003", Prop(Assert.Single(result.Output), "id"));
        Assert.Equal(1, Server.Counters.RequestsWithAuthorization);
        Assert.Equal(0, Other.Counters.RequestsWithAuthorization);
    }

    [Fact]
    public void Each_hop_decides_its_credentials_by_its_own_origin()
    {
        NewOAuthConnection();
        Server.Faults.Enqueue(Moved, Fault.Redirect(new Uri(Other.Origin, "/bounce").AbsoluteUri, 302));
        Other.Faults.Enqueue("/bounce", Fault.Redirect(new Uri(Server.OAuthBase, "Patient/pat-0001").AbsoluteUri, 302));

        PsResult result = RunWithOk("Invoke-FhirRequest c Patient/moved");

        Assert.Equal("pat-0001", Prop(Assert.Single(result.Output), "id"));
        Assert.Equal(0, Other.Counters.RequestsWithAuthorization);
        // The token request, the first hop and the last one (back on the connection's origin).
        Assert.Equal(3, Server.Counters.RequestsWithAuthorization);
    }

    [Fact]
    public void A_401_from_another_origin_is_not_replayed()
    {
        NewBasicConnection();
        Server.Faults.Enqueue("/basic/fhir/Patient/moved", Fault.Redirect(new Uri(Other.BasicBase, "Patient/pat-0001").AbsoluteUri, 302));

        PsResult result = RunWith("Invoke-FhirRequest c Patient/moved -Verbose");

        Assert.Equal(401, StatusOf(result));
        Assert.Equal(1, Other.Counters.TotalRequests);
        Assert.Equal(0, Other.Counters.RequestsWithAuthorization);
        Assert.DoesNotContain(result.Verbose, v => v.Message.Contains("retrying once"));
    }

    [Fact]
    public void A_redirect_from_https_to_http_is_refused_and_nothing_is_sent()
    {
        using var plain = new TcpListener(IPAddress.Loopback, 0);
        plain.Start();
        int port = ((IPEndPoint)plain.LocalEndpoint).Port;
        NewOAuthConnection();
        Server.Faults.Enqueue(Moved, Fault.Redirect($"http://127.0.0.1:{port}/oauth/fhir/Patient/pat-0001", 302));

        PsResult result = RunWith("Invoke-FhirRequest c Patient/moved");

        ErrorRecord error = AssertError(result, "FhirRedirectInsecure", "Invoke-FhirRequest");
        Assert.Equal(ErrorCategory.SecurityError, error.CategoryInfo.Category);
        Assert.Contains("nothing was sent", error.Exception.Message);
        Assert.False(plain.Pending());
    }

    [Fact]
    public void A_redirect_loop_stops_after_five_hops()
    {
        NewOAuthConnection();
        Server.Faults.Enqueue("/oauth/fhir/Patient/loop", Fault.Redirect("/oauth/fhir/Patient/loop", 302), count: 20);

        PsResult result = RunWith("Invoke-FhirRequest c Patient/loop");

        ErrorRecord error = AssertError(result, "FhirTooManyRedirects", "Invoke-FhirRequest");
        Assert.Equal(ErrorCategory.LimitsExceeded, error.CategoryInfo.Category);
        // The request and five redirects followed; the sixth is not.
        Assert.Equal(6, Server.Counters.RequestCount("GET", "/oauth/fhir/Patient/loop"));
    }

    [Fact]
    public void A_307_keeps_the_POST_and_its_body()
    {
        NewOAuthConnection(scope: "system/Patient.write");
        Server.Faults.Enqueue("/oauth/fhir/Patient", Fault.Redirect(new Uri(Server.OAuthBase, "Patient").AbsoluteUri, 307));

        PSObject created = Assert.Single(RunWithOk("Invoke-FhirRequest c -Method POST -Body @{ resourceType = 'Patient'; name = @(@{ family = 'Redirected' }) }").Output);

        Assert.Equal("Patient", Prop(created, "resourceType"));
        Assert.Equal(1, Server.Counters.Creates);
        Assert.Equal(2, Server.Counters.RequestCount("POST", "/oauth/fhir/Patient"));
    }

    [Fact]
    public void A_303_turns_the_POST_into_a_GET_without_body()
    {
        NewOAuthConnection(scope: "system/Patient.write");
        Server.Faults.Enqueue("/oauth/fhir/Patient", Fault.Redirect("/oauth/fhir/Patient/pat-0004", 303));

        PSObject read = Assert.Single(RunWithOk("Invoke-FhirRequest c -Method POST -Body @{ resourceType = 'Patient' }").Output);

        Assert.Equal("pat-0004", Prop(read, "id"));
        Assert.Equal(0, Server.Counters.Creates);
        Assert.Equal(1, Server.Counters.RequestCount("GET", "/oauth/fhir/Patient/pat-0004"));
    }

    // The same origin rule outside redirects.
    [Fact]
    public void An_absolute_Path_at_another_origin_gets_no_credentials()
    {
        NewOAuthConnection();

        PSObject patient = Assert.Single(RunWithOk($"Invoke-FhirRequest c -Path '{new Uri(Other.OpenBase, "Patient/pat-0005").AbsoluteUri}'").Output);

        Assert.Equal("pat-0005", Prop(patient, "id"));
        Assert.Equal(0, Other.Counters.RequestsWithAuthorization);
        // No token is even fetched for a request that will not carry it.
        Assert.Equal(0, Server.Counters.TokenRequests);
    }

    [Fact]
    public void A_Bundle_next_link_at_another_origin_gets_no_credentials()
    {
        NewOAuthConnection();
        string next = new Uri(Other.OpenBase, "Patient?_count=10").AbsoluteUri;
        string firstPage = $$$"""
            {"resourceType":"Bundle","type":"searchset","total":26,
             "link":[{"relation":"self","url":"{{{Server.OAuthBase}}}Patient"},{"relation":"next","url":"{{{next}}}"}],
             "entry":[{"fullUrl":"{{{Server.OAuthBase}}}Patient/first","resource":{"resourceType":"Patient","id":"first"},"search":{"mode":"match"}}]}
            """;
        Server.Faults.Enqueue("/oauth/fhir/Patient", Fault.Json(200, firstPage));

        PsResult all = RunWithOk("Invoke-FhirRequest c Patient -All");

        Assert.Equal(26, all.Output.Count);
        Assert.Equal("first", Prop(all.Output[0], "id"));
        Assert.Equal(3, Other.Counters.RequestCount("GET", "/open/fhir/Patient"));
        Assert.Equal(0, Other.Counters.RequestsWithAuthorization);
        // The token request and the first page.
        Assert.Equal(2, Server.Counters.RequestsWithAuthorization);
    }

    // Retries of FHIR requests.
    [Fact]
    public void Two_503s_then_200_on_a_GET_succeeds_in_three_attempts()
    {
        NewOAuthConnection();
        Server.Faults.EnqueueStatus("/oauth/fhir/Patient/pat-0001", 503, count: 2, retryAfter: TimeSpan.Zero);

        PsResult result = RunWithOk("Invoke-FhirRequest c Patient/pat-0001 -Verbose");

        Assert.Single(result.Output);
        Assert.Equal(3, Server.Counters.RequestCount("GET", "/oauth/fhir/Patient/pat-0001"));
        Assert.Contains(result.Verbose, v => v.Message.Contains("503") && v.Message.Contains("Retry 1 of 3"));
        Assert.Contains(result.Verbose, v => v.Message.Contains("Retry 2 of 3"));
        Assert.Contains(result.Verbose, v => v.Message.Contains("-> 200") && v.Message.Contains("3 attempts"));
        // Retries reuse the token they already have.
        Assert.Equal(1, Server.Counters.TokenRequests);
    }

    [Fact]
    public void Without_Retry_After_the_backoff_starts_at_the_interval()
    {
        NewOAuthConnection();
        Server.Faults.EnqueueStatus("/oauth/fhir/Patient/pat-0001", 502);

        (PsResult result, TimeSpan elapsed) = Timed("Invoke-FhirRequest c Patient/pat-0001 -RetryIntervalSec 2");

        Assert.Single(result.Output);
        // Jitter keeps the first wait between half and all of the interval.
        Assert.InRange(elapsed, TimeSpan.FromSeconds(0.95), TimeSpan.FromSeconds(8));
    }

    [Fact]
    public void A_dropped_connection_is_retried()
    {
        NewOAuthConnection();
        RunWithOk("Invoke-FhirRequest c Patient/pat-0001");
        Server.Faults.Enqueue("/oauth/fhir/Patient/pat-0001", Fault.Abort());

        PsResult result = RunWithOk("Invoke-FhirRequest c Patient/pat-0001 -Verbose");

        Assert.Single(result.Output);
        Assert.Contains(result.Verbose, v => v.Message.Contains("Retry 1 of 3"));
    }

    [Fact]
    public void A_429_with_Retry_After_in_seconds_waits_that_long()
    {
        NewOAuthConnection();
        RunWithOk("Invoke-FhirRequest c Patient/pat-0001");
        Server.Faults.EnqueueStatus("/oauth/fhir/Patient/pat-0001", 429, retryAfter: TimeSpan.FromSeconds(2));

        (PsResult result, TimeSpan elapsed) = Timed("Invoke-FhirRequest c Patient/pat-0001 -Verbose");

        Assert.Single(result.Output);
        Assert.InRange(elapsed, TimeSpan.FromSeconds(1.9), TimeSpan.FromSeconds(6));
        Assert.Contains(result.Verbose, v => v.Message.Contains("429") && v.Message.Contains("in 2.0 s (Retry-After)"));
    }

    [Fact]
    public void A_429_with_Retry_After_as_a_date_waits_until_then()
    {
        NewOAuthConnection();
        RunWithOk("Invoke-FhirRequest c Patient/pat-0001");
        Server.Faults.Enqueue("/oauth/fhir/Patient/pat-0001", Fault.StatusRetryAfterDate(429, TimeSpan.FromSeconds(3)));

        (PsResult result, TimeSpan elapsed) = Timed("Invoke-FhirRequest c Patient/pat-0001 -Verbose");

        Assert.Single(result.Output);
        // An HTTP date has whole seconds: 3 s from now is 2 to 3 s away.
        Assert.InRange(elapsed, TimeSpan.FromSeconds(1.5), TimeSpan.FromSeconds(7));
        Assert.Contains(result.Verbose, v => v.Message.Contains("(Retry-After)"));
    }

    [Theory]
    [InlineData(400)]
    [InlineData(401)]
    [InlineData(403)]
    [InlineData(404)]
    [InlineData(500)]
    public void Answers_about_the_request_itself_are_not_retried(int status)
    {
        ImportCa();
        RunWithOk("New-FhirConnection -Name open -BaseUri $openBase -CaBundle testca");
        Server.Faults.EnqueueStatus("/open/fhir/Patient/pat-0001", status, count: 5, retryAfter: TimeSpan.Zero);

        PsResult result = RunWith("Invoke-FhirRequest open Patient/pat-0001");

        Assert.Equal(status, StatusOf(result));
        Assert.Equal(1, Server.Counters.RequestCount("GET", "/open/fhir/Patient/pat-0001"));
    }

    [Fact]
    public void A_POST_answered_503_is_not_retried()
    {
        NewOAuthConnection(scope: "system/Patient.write");
        Server.Faults.EnqueueStatus("/oauth/fhir/Patient", 503, retryAfter: TimeSpan.Zero);

        PsResult result = RunWith("Invoke-FhirRequest c -Method POST -Body @{ resourceType = 'Patient' } -Verbose");

        Assert.Equal(503, StatusOf(result));
        Assert.Equal(1, Server.Counters.RequestCount("POST", "/oauth/fhir/Patient"));
        Assert.Equal(0, Server.Counters.Creates);
        Assert.Contains(result.Verbose, v => v.Message.Contains("not idempotent"));
    }

    [Fact]
    public void RetryNonIdempotent_retries_a_POST()
    {
        NewOAuthConnection(scope: "system/Patient.write");
        Server.Faults.EnqueueStatus("/oauth/fhir/Patient", 503, retryAfter: TimeSpan.Zero);

        Assert.Single(RunWithOk("Invoke-FhirRequest c -Method POST -Body @{ resourceType = 'Patient' } -RetryNonIdempotent").Output);

        Assert.Equal(2, Server.Counters.RequestCount("POST", "/oauth/fhir/Patient"));
        Assert.Equal(1, Server.Counters.Creates);
    }

    [Fact]
    public void A_PUT_is_retried()
    {
        NewOAuthConnection(scope: "system/Patient.write");
        Server.Faults.EnqueueStatus("/oauth/fhir/Patient/put-1", 504, retryAfter: TimeSpan.Zero);

        Assert.Single(RunWithOk("Invoke-FhirRequest c -Method PUT -Body @{ resourceType = 'Patient'; id = 'put-1' }").Output);

        Assert.Equal(2, Server.Counters.RequestCount("PUT", "/oauth/fhir/Patient/put-1"));
        Assert.Equal(1, Server.Counters.Creates);
    }

    [Theory]
    [InlineData(0, 1)]
    [InlineData(2, 3)]
    public void The_retry_count_is_bounded(int retries, int requests)
    {
        NewOAuthConnection();
        Server.Faults.EnqueueStatus("/oauth/fhir/Patient/pat-0001", 503, count: 20, retryAfter: TimeSpan.Zero);

        PsResult result = RunWith($"Invoke-FhirRequest c Patient/pat-0001 -MaximumRetryCount {retries}");

        Assert.Equal(503, StatusOf(result));
        Assert.Equal(requests, Server.Counters.RequestCount("GET", "/oauth/fhir/Patient/pat-0001"));
    }

    [Fact]
    public void Retries_stay_within_the_timeout()
    {
        NewOAuthConnection();
        RunWithOk("Invoke-FhirRequest c Patient/pat-0001");
        Server.Counters.Reset();
        Server.Faults.EnqueueStatus("/oauth/fhir/Patient/pat-0001", 503, count: 20, retryAfter: TimeSpan.FromSeconds(1));

        (PsResult result, TimeSpan elapsed) = Timed("Invoke-FhirRequest c Patient/pat-0001 -TimeoutSec 3 -MaximumRetryCount 10 -Verbose", ok: false);

        // Attempts at about 0, 1 and 2 s; a fourth would start after the timeout. The server's answer comes back.
        Assert.Equal(503, StatusOf(result));
        Assert.InRange(Server.Counters.RequestCount("GET", "/oauth/fhir/Patient/pat-0001"), 2, 3);
        Assert.True(elapsed < TimeSpan.FromSeconds(4.5), $"took {elapsed}");
        Assert.Contains(result.Verbose, v => v.Message.Contains("would not leave time"));
    }

    [Fact]
    public void A_Retry_After_beyond_the_timeout_is_not_waited_for()
    {
        NewOAuthConnection();
        RunWithOk("Invoke-FhirRequest c Patient/pat-0001");
        Server.Faults.EnqueueStatus("/oauth/fhir/Patient/pat-0001", 503, retryAfter: TimeSpan.FromSeconds(60));

        (PsResult result, TimeSpan elapsed) = Timed("Invoke-FhirRequest c Patient/pat-0001 -TimeoutSec 10", ok: false);

        Assert.Equal(503, StatusOf(result));
        Assert.True(elapsed < TimeSpan.FromSeconds(3), $"took {elapsed}");
        Assert.Equal(2, Server.Counters.RequestCount("GET", "/oauth/fhir/Patient/pat-0001"));
    }

    // The token endpoint.
    [Theory]
    [InlineData(429)]
    [InlineData(503)]
    public void A_busy_token_endpoint_is_retried(int status)
    {
        NewOAuthConnection();
        Server.Faults.EnqueueStatus("/oauth/token", status, count: 2, retryAfter: TimeSpan.FromSeconds(1));

        (PsResult result, TimeSpan elapsed) = Timed("Invoke-FhirRequest c Patient/pat-0001 -Verbose");

        Assert.Single(result.Output);
        Assert.Equal(3, Server.Counters.TokenRequests);
        Assert.Equal(1, Server.Counters.TokenRequestsSucceeded);
        Assert.True(elapsed >= TimeSpan.FromSeconds(1.9), $"took {elapsed}");
        Assert.Contains(result.Verbose, v => v.Message.StartsWith("The token endpoint") && v.Message.Contains($"HTTP {status}"));
    }

    [Fact]
    public void A_token_endpoint_500_fails_at_once_with_its_id()
    {
        NewOAuthConnection();
        Server.Faults.EnqueueStatus("/oauth/token", 500, count: 5);

        ErrorRecord error = AssertError(RunWith("Invoke-FhirRequest c Patient/pat-0001"), "OAuthTokenRequestFailed", "Invoke-FhirRequest");

        Assert.Equal(ErrorCategory.ResourceUnavailable, error.CategoryInfo.Category);
        Assert.Equal(1, Server.Counters.TokenRequests);
        Assert.Equal(0, Server.Counters.RequestCount("GET", "/oauth/fhir/Patient/pat-0001"));
    }

    [Fact]
    public void A_token_endpoint_that_stays_busy_fails_within_the_timeout()
    {
        NewOAuthConnection();
        Server.Faults.EnqueueStatus("/oauth/token", 503, count: 50, retryAfter: TimeSpan.FromSeconds(1));

        (PsResult result, TimeSpan elapsed) = Timed("Invoke-FhirRequest c Patient/pat-0001 -TimeoutSec 2", ok: false);

        ErrorRecord error = AssertError(result, "OAuthTokenRequestFailed", "Invoke-FhirRequest");
        Assert.Contains("503", error.Exception.Message);
        Assert.True(elapsed < TimeSpan.FromSeconds(3.5), $"took {elapsed}");
    }

    [Fact]
    public void A_slow_token_endpoint_times_out()
    {
        NewOAuthConnection();
        Server.Faults.Enqueue("/oauth/token", Fault.Slow(TimeSpan.FromSeconds(10)));

        (PsResult result, TimeSpan elapsed) = Timed("Invoke-FhirRequest c Patient/pat-0001 -TimeoutSec 1", ok: false);

        AssertError(result, "OAuthTokenTimeout", "Invoke-FhirRequest");
        Assert.True(elapsed < TimeSpan.FromSeconds(4), $"took {elapsed}");
    }

    [Fact]
    public void A_token_answer_that_is_not_JSON_or_has_no_token_is_invalid()
    {
        NewOAuthConnection();
        Server.Faults.Enqueue("/oauth/token", Fault.InvalidJson());
        AssertError(RunWith("Invoke-FhirRequest c Patient/pat-0001"), "OAuthTokenResponseInvalid", "Invoke-FhirRequest");

        Server.Faults.Enqueue("/oauth/token", Fault.MissingAccessToken());
        AssertError(RunWith("Invoke-FhirRequest c Patient/pat-0001"), "OAuthTokenResponseInvalid", "Invoke-FhirRequest");

        Assert.Equal(2, Server.Counters.TokenRequests);
    }

    [Fact]
    public void A_token_endpoint_that_refuses_connections_is_unreachable()
    {
        int closed;
        using (var probe = new TcpListener(IPAddress.Loopback, 0))
        {
            probe.Start();
            closed = ((IPEndPoint)probe.LocalEndpoint).Port;
        }

        ImportCa();
        RunWithOk($"New-FhirOAuth -Name gone -TokenUrl https://127.0.0.1:{closed}/oauth/token -ClientId {ClientId} -ClientSecret $clientSecret; " +
                  "New-FhirConnection -Name c -BaseUri $oauthBase -OAuth gone -CaBundle testca");

        PsResult result = RunWith("Invoke-FhirRequest c Patient/pat-0001 -MaximumRetryCount 1 -Verbose");

        ErrorRecord error = AssertError(result, "OAuthTokenEndpointUnreachable", "Invoke-FhirRequest");
        Assert.Equal(ErrorCategory.ConnectionError, error.CategoryInfo.Category);
        Assert.Contains(result.Verbose, v => v.Message.StartsWith("The token endpoint") && v.Message.Contains("Retry 1 of 1"));
        Assert.DoesNotContain(ClientSecret, result.AllText());
    }

    [Fact]
    public void A_cached_token_is_used_while_its_refresh_fails()
    {
        Server.TokenLifetime = TimeSpan.FromSeconds(4);
        NewOAuthConnection();
        RunWithOk("Invoke-FhirRequest c Patient/pat-0001");

        // Past 80 % of the lifetime, before expiry: a refresh is due, and the token endpoint is down.
        Thread.Sleep(TimeSpan.FromSeconds(3.3));
        Server.Faults.EnqueueStatus("/oauth/token", 500, count: 5);
        PsResult result = RunWithOk("Invoke-FhirRequest c Patient/pat-0001 -Verbose");

        Assert.Single(result.Output);
        Assert.Equal(2, Server.Counters.TokenRequests);
        Assert.Equal(1, Server.Counters.TokenRequestsSucceeded);
        Assert.Contains(result.Verbose, v => v.Message.Contains("refreshing it failed"));
    }

    /// <inheritdoc />
    protected override void Cleanup()
    {
        _other?.DisposeAsync().AsTask().GetAwaiter().GetResult();
        base.Cleanup();
    }
}
