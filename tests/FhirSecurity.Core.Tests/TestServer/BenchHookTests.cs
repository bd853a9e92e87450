using System.Net;
using FhirSecurity.TestServer;
using Xunit;

namespace FhirSecurity.Core.Tests.TestServer;

/// <summary>What the pwsh benchmarks rely on: counters readable over HTTP, and latency on FHIR requests only.</summary>
public sealed class BenchHookTests : IAsyncLifetime
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

    private Task<(HttpResponseMessage Response, System.Text.Json.Nodes.JsonObject Body)> DemoTokenAsync() =>
        TestHttp.RequestTokenAsync(_client, _server, [
            KeyValuePair.Create("grant_type", "client_credentials"),
            KeyValuePair.Create("client_id", OAuthClientRegistration.Demo.ClientId),
            KeyValuePair.Create("client_secret", OAuthClientRegistration.Demo.ClientSecret),
        ]);

    [Fact]
    public async Task CountersEndpointReportsTokenAndFhirRequestsWithoutCountingItself()
    {
        (HttpResponseMessage token, _) = await DemoTokenAsync();
        token.Dispose();
        using var first = await _client.GetAsync(new Uri(_server.OpenBase, "Patient/pat-0001"));
        using var second = await _client.GetAsync(new Uri(_server.OpenBase, "metadata"));

        using var before = await _client.GetAsync(_server.CountersUri);
        using var again = await _client.GetAsync(_server.CountersUri);

        Assert.Equal(HttpStatusCode.OK, before.StatusCode);
        var counters = await TestHttp.ReadJsonAsync(again);
        Assert.Equal(1, counters["tokenRequests"]!.GetValue<long>());
        Assert.Equal(1, counters["tokenRequestsSucceeded"]!.GetValue<long>());
        Assert.Equal(2, counters["fhirRequests"]!.GetValue<long>());
        Assert.Equal(3, counters["totalRequests"]!.GetValue<long>());
        Assert.Equal(3, _server.Counters.TotalRequests);
    }

    [Fact]
    public async Task CountersAreReadWithGetOnly()
    {
        using var response = await _client.PostAsync(_server.CountersUri, new StringContent(""));

        Assert.Equal(HttpStatusCode.MethodNotAllowed, response.StatusCode);
    }

    [Fact]
    public async Task LatencySlowsFhirRequestsButNotTheTokenEndpoint()
    {
        _server.FhirLatency = TimeSpan.FromSeconds(60);
        using var impatient = TestHttp.TrustingOnly(_server.Pki);
        impatient.Timeout = TimeSpan.FromMilliseconds(500);

        // The token endpoint answers within the shared client's 10 s timeout; the FHIR request cannot within 0.5 s.
        (HttpResponseMessage token, _) = await DemoTokenAsync();
        token.Dispose();
        await Assert.ThrowsAsync<TaskCanceledException>(() => impatient.GetAsync(new Uri(_server.OpenBase, "Patient/pat-0001")));

        Assert.Equal(HttpStatusCode.OK, token.StatusCode);
    }

    [Fact]
    public void LatencyCannotBeNegative() =>
        Assert.Throws<ArgumentOutOfRangeException>(() => _server.FhirLatency = TimeSpan.FromMilliseconds(-1));
}
