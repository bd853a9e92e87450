using System.Net;
using System.Text.Json.Nodes;
using FhirSecurity.TestServer;
using Xunit;

namespace FhirSecurity.Core.Tests.TestServer;

public sealed class FhirApiTests : IAsyncLifetime
{
    private FhirTestServer _server = null!;
    private HttpClient _client = null!;

    public async Task InitializeAsync()
    {
        _server = await FhirTestServer.StartAsync(new FhirTestServerOptions { SeedPatientCount = 25, DefaultPageSize = 10 });
        _client = TestHttp.TrustingOnly(_server.Pki);
    }

    public async Task DisposeAsync()
    {
        _client.Dispose();
        await _server.DisposeAsync();
    }

    private Uri Open(string relative) => new(_server.OpenBase, relative);

    private static string Text(JsonNode? node) => node!.GetValue<string>();

    private static void AssertOutcome(JsonObject body, string code)
    {
        Assert.Equal("OperationOutcome", Text(body["resourceType"]));
        Assert.Equal(code, Text(body["issue"]![0]!["code"]));
    }

    [Fact]
    public async Task MetadataIsAnR4CapabilityStatement()
    {
        using var response = await _client.GetAsync(Open("metadata"));
        var body = await TestHttp.ReadJsonAsync(response);

        Assert.Equal("application/fhir+json", response.Content.Headers.ContentType!.MediaType);
        Assert.Equal("CapabilityStatement", Text(body["resourceType"]));
        Assert.Equal("4.0.1", Text(body["fhirVersion"]));
    }

    [Fact]
    public async Task ReadsAPatientAndReports404AsOperationOutcome()
    {
        using var found = await _client.GetAsync(Open("Patient/pat-0001"));
        using var missing = await _client.GetAsync(Open("Patient/nope"));

        Assert.Equal(HttpStatusCode.OK, found.StatusCode);
        Assert.Equal("W/\"1\"", found.Headers.ETag!.ToString());
        Assert.Equal("Smith", Text((await TestHttp.ReadJsonAsync(found))["name"]![0]!["family"]));
        Assert.Equal(HttpStatusCode.NotFound, missing.StatusCode);
        AssertOutcome(await TestHttp.ReadJsonAsync(missing), "not-found");
    }

    [Fact]
    public async Task SearchPagesThroughAbsoluteNextLinksOnTheSameBase()
    {
        var ids = new List<string>();
        Uri? next = new(_server.BasicBase, "Patient?_count=10");
        var pages = 0;
        while (next is not null)
        {
            using var response = await TestHttp.SendAsync(_client, HttpMethod.Get, next, TestHttp.Basic(BasicUser.Demo.UserName, BasicUser.Demo.Password));
            var bundle = await TestHttp.ReadJsonAsync(response);
            Assert.Equal("searchset", Text(bundle["type"]));
            Assert.Equal(25, bundle["total"]!.GetValue<int>());
            ids.AddRange(bundle["entry"]!.AsArray().Select(e => Text(e!["resource"]!["id"])));
            var nextUrl = bundle["link"]!.AsArray().FirstOrDefault(l => Text(l!["relation"]) == "next")?["url"];
            next = nextUrl is null ? null : new Uri(Text(nextUrl));
            if (next is not null)
            {
                Assert.StartsWith(_server.BasicBase.ToString(), next.ToString(), StringComparison.Ordinal);
            }

            pages++;
        }

        Assert.Equal(3, pages);
        Assert.Equal(25, ids.Distinct().Count());
    }

    [Fact]
    public async Task SearchByNameIsCaseInsensitivePrefixAndCountsTotal()
    {
        using var response = await _client.GetAsync(Open("Patient?name=smi&_count=2"));
        var bundle = await TestHttp.ReadJsonAsync(response);

        Assert.Equal(3, bundle["total"]!.GetValue<int>());
        Assert.Equal(2, bundle["entry"]!.AsArray().Count);
        Assert.Contains(bundle["link"]!.AsArray(), l => Text(l!["relation"]) == "next" && Text(l["url"]).Contains("name=smi", StringComparison.Ordinal));
    }

    [Fact]
    public async Task CreateUpdateDeleteLifecycle()
    {
        var before = _server.PatientCount;
        using var created = await _client.PostAsync(Open("Patient"), TestHttp.FhirJson("""{"resourceType":"Patient","id":"ignored","name":[{"family":"Zoë"}]}"""));
        var patient = await TestHttp.ReadJsonAsync(created);
        var id = Text(patient["id"]);

        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        Assert.NotEqual("ignored", id);
        Assert.Equal(new Uri(_server.OpenBase, $"Patient/{id}/_history/1"), created.Headers.Location);
        Assert.Equal(before + 1, _server.PatientCount);
        Assert.Equal(1, _server.Counters.Creates);

        patient["gender"] = "other";
        using var updated = await _client.PutAsync(Open($"Patient/{id}"), TestHttp.FhirJson(patient.ToJsonString()));
        Assert.Equal(HttpStatusCode.OK, updated.StatusCode);
        Assert.Equal("2", Text((await TestHttp.ReadJsonAsync(updated))["meta"]!["versionId"]));

        using var upserted = await _client.PutAsync(Open("Patient/client-chosen"), TestHttp.FhirJson("""{"resourceType":"Patient","id":"client-chosen"}"""));
        Assert.Equal(HttpStatusCode.Created, upserted.StatusCode);
        Assert.Equal(2, _server.Counters.Creates);

        using var deleted = await _client.DeleteAsync(Open($"Patient/{id}"));
        using var gone = await _client.GetAsync(Open($"Patient/{id}"));
        Assert.Equal(HttpStatusCode.NoContent, deleted.StatusCode);
        Assert.Equal(HttpStatusCode.Gone, gone.StatusCode);
    }

    [Theory]
    [InlineData("POST", "Patient", "{not json", HttpStatusCode.BadRequest, "structure")]
    [InlineData("POST", "Patient", """{"resourceType":"Observation"}""", HttpStatusCode.BadRequest, "invalid")]
    [InlineData("POST", "Patient", """{"resourceType":"Patient","gender":"sometimes"}""", HttpStatusCode.UnprocessableEntity, "value")]
    [InlineData("POST", "Patient", """{"resourceType":"Patient","birthDate":"15.01.1970"}""", HttpStatusCode.UnprocessableEntity, "value")]
    [InlineData("PUT", "Patient/pat-0001", """{"resourceType":"Patient","id":"pat-0002"}""", HttpStatusCode.BadRequest, "invalid")]
    [InlineData("PUT", "Patient/pat-0001", """{"resourceType":"Patient"}""", HttpStatusCode.BadRequest, "invalid")]
    public async Task BadWritesGetOperationOutcomes(string method, string path, string body, HttpStatusCode status, string code)
    {
        using var response = await TestHttp.SendAsync(_client, new HttpMethod(method), Open(path), content: TestHttp.FhirJson(body));

        Assert.Equal(status, response.StatusCode);
        AssertOutcome(await TestHttp.ReadJsonAsync(response), code);
        Assert.Equal(0, _server.Counters.Creates);
    }

    [Fact]
    public async Task ConcurrentCreatesAreAllStored()
    {
        var before = _server.PatientCount;
        var creates = Enumerable.Range(0, 40).Select(async i =>
        {
            using var response = await _client.PostAsync(Open("Patient"), TestHttp.FhirJson($$"""{"resourceType":"Patient","name":[{"family":"Parallel{{i}}"}]}"""));
            return response.StatusCode;
        });

        Assert.All(await Task.WhenAll(creates), s => Assert.Equal(HttpStatusCode.Created, s));
        Assert.Equal(before + 40, _server.PatientCount);
        Assert.Equal(40, _server.Counters.Creates);
        Assert.Equal(40, _server.Counters.RequestCount("POST", "/open/fhir/Patient"));
    }
}
