using System.Diagnostics;
using System.Net;
using System.Text.Json;
using FhirSecurity.TestServer;
using Xunit;

namespace FhirSecurity.Core.Tests.TestServer;

public sealed class FaultInjectionTests : IAsyncLifetime
{
    private FhirTestServer _server = null!;
    private HttpClient _client = null!;

    public async Task InitializeAsync()
    {
        _server = await FhirTestServer.StartAsync(new FhirTestServerOptions { SeedPatientCount = 3 });
        _client = TestHttp.TrustingOnly(_server.Pki);
    }

    public async Task DisposeAsync()
    {
        _client.Dispose();
        await _server.DisposeAsync();
    }

    private Uri Patient => new(_server.OpenBase, "Patient/pat-0001");

    private Task<(HttpResponseMessage Response, System.Text.Json.Nodes.JsonObject Body)> DemoTokenAsync() =>
        TestHttp.RequestTokenAsync(_client, _server, [
            KeyValuePair.Create("grant_type", "client_credentials"),
            KeyValuePair.Create("client_id", OAuthClientRegistration.Demo.ClientId),
            KeyValuePair.Create("client_secret", OAuthClientRegistration.Demo.ClientSecret),
        ]);

    [Fact]
    public async Task StatusFaultsAreConsumedInOrderThenTheServerRecovers()
    {
        _server.Faults.EnqueueStatus("/open/fhir/Patient", 429, retryAfter: TimeSpan.FromSeconds(2));
        _server.Faults.EnqueueStatus("/open/fhir/", 503, count: 2, retryAfter: TimeSpan.FromMilliseconds(1500));
        Assert.Equal(3, _server.Faults.Pending);

        using var first = await _client.GetAsync(Patient);
        using var second = await _client.GetAsync(Patient);
        using var third = await _client.GetAsync(new Uri(_server.OpenBase, "metadata"));
        using var fourth = await _client.GetAsync(Patient);

        Assert.Equal(HttpStatusCode.TooManyRequests, first.StatusCode);
        Assert.Equal(TimeSpan.FromSeconds(2), first.Headers.RetryAfter!.Delta);
        Assert.Equal("throttled", (await TestHttp.ReadJsonAsync(first))["issue"]![0]!["code"]!.GetValue<string>());
        Assert.Equal(HttpStatusCode.ServiceUnavailable, second.StatusCode);
        Assert.Equal(TimeSpan.FromSeconds(2), second.Headers.RetryAfter!.Delta);
        Assert.Equal(HttpStatusCode.ServiceUnavailable, third.StatusCode);
        Assert.Equal(HttpStatusCode.OK, fourth.StatusCode);
        Assert.Equal(0, _server.Faults.Pending);
        Assert.Equal(3, _server.Counters.RequestCount("GET", "/open/fhir/Patient/pat-0001"));
    }

    [Fact]
    public async Task TokenEndpointFaults()
    {
        _server.Faults.EnqueueStatus("/oauth/token", 503, retryAfter: TimeSpan.FromSeconds(1));
        _server.Faults.Enqueue("/oauth/token", Fault.MissingAccessToken());
        _server.Faults.Enqueue("/oauth/token", Fault.InvalidJson());

        var (unavailable, error) = await DemoTokenAsync();
        var (noToken, body) = await DemoTokenAsync();
        using var invalid = await _client.PostAsync(_server.TokenEndpoint, new FormUrlEncodedContent([KeyValuePair.Create("grant_type", "client_credentials")]));
        var invalidText = await invalid.Content.ReadAsStringAsync();
        var (ok, token) = await DemoTokenAsync();

        Assert.Equal(HttpStatusCode.ServiceUnavailable, unavailable.StatusCode);
        Assert.Equal("temporarily_unavailable", error["error"]!.GetValue<string>());
        Assert.Equal(HttpStatusCode.OK, noToken.StatusCode);
        Assert.False(body.ContainsKey("access_token"));
        Assert.Equal(HttpStatusCode.OK, invalid.StatusCode);
        Assert.ThrowsAny<JsonException>(() => JsonDocument.Parse(invalidText));
        Assert.Equal(HttpStatusCode.OK, ok.StatusCode);
        Assert.True(token.ContainsKey("access_token"));
        Assert.Equal(4, _server.Counters.TokenRequests);
        Assert.Equal(1, _server.Counters.TokenRequestsSucceeded);
    }

    [Fact]
    public async Task DelayedResponseStillSucceeds()
    {
        _server.Faults.Enqueue("/open/fhir/Patient", Fault.Slow(TimeSpan.FromMilliseconds(300)));
        var watch = Stopwatch.StartNew();

        using var response = await _client.GetAsync(Patient);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.True(watch.Elapsed >= TimeSpan.FromMilliseconds(250), $"took {watch.Elapsed}");
    }

    [Fact]
    public async Task AbortIsATransportErrorForTheClient()
    {
        _server.Faults.Enqueue("/", Fault.Abort());

        await Assert.ThrowsAsync<HttpRequestException>(() => _client.GetAsync(Patient));
        using var after = await _client.GetAsync(Patient);
        Assert.Equal(HttpStatusCode.OK, after.StatusCode);
    }

    [Fact]
    public async Task InvalidJsonOnAFhirPath()
    {
        _server.Faults.Enqueue("/open/fhir/Patient", Fault.InvalidJson());

        using var response = await _client.GetAsync(Patient);
        var text = await response.Content.ReadAsStringAsync();

        Assert.Equal("application/fhir+json", response.Content.Headers.ContentType!.MediaType);
        Assert.ThrowsAny<JsonException>(() => JsonDocument.Parse(text));
    }

    [Fact]
    public async Task ClearDropsQueuedFaults()
    {
        _server.Faults.EnqueueStatus("/", 500, count: 5);
        _server.Faults.Clear();

        using var response = await _client.GetAsync(Patient);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    [Fact]
    public async Task AbortOnAReusedConnectionIsNotRetriedByTheHandler()
    {
        // Retry tests in Core count server requests; SocketsHttpHandler must not add a hidden attempt of its own.
        using var warm = await _client.GetAsync(Patient);
        _server.Faults.Enqueue("/", Fault.Abort());
        var before = _server.Counters.TotalRequests;

        await Assert.ThrowsAsync<HttpRequestException>(() => _client.GetAsync(Patient));
        Assert.Equal(1, _server.Counters.TotalRequests - before);
    }
}
