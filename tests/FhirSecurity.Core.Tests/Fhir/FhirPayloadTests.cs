using System.Text.Json;
using FhirSecurity.Core.Auth;
using FhirSecurity.Core.Errors;
using FhirSecurity.Core.Fhir;
using Xunit;

namespace FhirSecurity.Core.Tests.Fhir;

public sealed class FhirPayloadTests
{
    private static readonly Uri Search = new("https://fhir.example.org/r4/Patient?name=x");

    private static FhirResponse Response(string body, int status = 200, string? contentType = "application/fhir+json", string? reason = "OK")
        => new(status, reason, Search, body, contentType, null, null, TokenSource.None, TimeSpan.Zero);

    private static JsonElement Parse(string json) => JsonDocument.Parse(json).RootElement;

    [Fact]
    public void ReadsAPatient()
    {
        FhirResult result = FhirPayload.Read(Response("""{"resourceType":"Patient","id":"p1","name":[{"family":"Ångström"}]}"""));

        Assert.Equal("Patient", result.ResourceType);
        JsonElement patient = Parse(result.ResourceJson!);
        Assert.Equal("p1", patient.GetProperty("id").GetString());
        Assert.Equal("Ångström", patient.GetProperty("name")[0].GetProperty("family").GetString());
        Assert.Empty(result.EntryJson);
        Assert.Null(result.NextLink);
        Assert.Null(result.Total);
    }

    [Fact]
    public void ReadsABundlesEntriesTotalAndNextLink()
    {
        const string bundle = """
            {"resourceType":"Bundle","type":"searchset","total":25,
             "link":[{"relation":"self","url":"Patient?name=x"},{"relation":"next","url":"Patient?name=x&_page=2"}],
             "entry":[
               {"fullUrl":"https://fhir.example.org/r4/Patient/a","resource":{"resourceType":"Patient","id":"a"}},
               {"fullUrl":"https://fhir.example.org/r4/Patient/b","search":{"mode":"match"}},
               {"fullUrl":"https://fhir.example.org/r4/Patient/c","resource":{"resourceType":"Patient","id":"c"}}]}
            """;

        FhirResult result = FhirPayload.Read(Response(bundle));

        Assert.Equal("Bundle", result.ResourceType);
        Assert.Equal(25, result.Total);
        // A relative next link resolves against the URL that answered, so paging can follow it.
        Assert.Equal(new Uri("https://fhir.example.org/r4/Patient?name=x&_page=2"), result.NextLink);
        Assert.Equal(["a", "c"], result.EntryJson.Select(e => Parse(e).GetProperty("id").GetString()));
    }

    [Fact]
    public void TheLastPageHasNoNextLink()
    {
        FhirResult result = FhirPayload.Read(Response("""{"resourceType":"Bundle","type":"searchset","total":0,"link":[{"relation":"self","url":"https://fhir.example.org/r4/Patient"}]}"""));

        Assert.Null(result.NextLink);
        Assert.Empty(result.EntryJson);
        Assert.Equal(0, result.Total);
    }

    [Theory]
    [InlineData("")]
    [InlineData("  \r\n")]
    public void AnEmptyBodyReadsAsNothing(string body)
    {
        FhirResult result = FhirPayload.Read(Response(body, 204, null, "No Content"));

        Assert.Null(result.ResourceJson);
        Assert.Null(result.ResourceType);
        Assert.Empty(result.EntryJson);
    }

    [Fact]
    public void JsonThatIsNoResourceIsPassedThrough()
    {
        const string json = """{"status":"ok","jobs":[1,2]}""";

        FhirResult result = FhirPayload.Read(Response(json, contentType: "application/json"));

        Assert.Equal(json, result.ResourceJson);
        Assert.Null(result.ResourceType);
    }

    [Theory]
    [InlineData("""{"resourceType":"Patient","id":"p1",""")]
    [InlineData("""{"resourceType":"Patient"} trailing""")]
    public void A_resource_cut_short_or_followed_by_text_is_invalid_though_it_names_a_resource_type(string body)
    {
        FhirSecurityException error = Assert.Throws<FhirSecurityException>(() => FhirPayload.Read(Response(body)));

        Assert.Equal(ErrorIds.FhirResponseInvalid, error.ErrorId);
    }

    [Fact]
    public void A_resource_type_FHIR_R4_does_not_know_is_passed_through_untyped()
    {
        const string json = """{"resourceType":"SubscriptionTopic","id":"r5-only"}""";

        FhirResult result = FhirPayload.Read(Response(json));

        Assert.Equal((json, (string?)null), (result.ResourceJson, result.ResourceType));
    }

    [Fact]
    public void ABodyThatIsNotJsonIsInvalid()
    {
        FhirSecurityException error = Assert.Throws<FhirSecurityException>(() => FhirPayload.Read(Response("<html>Login</html>", contentType: "text/html")));

        Assert.Equal(ErrorIds.FhirResponseInvalid, error.ErrorId);
        Assert.Equal(FailureCategory.ProtocolError, error.Category);
        Assert.Equal(200, error.StatusCode);
        Assert.Contains("text/html", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void AServerResourceWithAnUnknownElementStillComesThrough()
    {
        FhirResult result = FhirPayload.Read(Response("""{"resourceType":"Patient","id":"p1","futureElement":"kept"}"""));

        Assert.Equal("Patient", result.ResourceType);
        Assert.Equal("kept", Parse(result.ResourceJson!).GetProperty("futureElement").GetString());
    }

    [Fact]
    public void PreparesAValidResource()
    {
        PreparedBody body = FhirPayload.PrepareBody("""{"resourceType":"Patient","id":"p1","active":true,"name":[{"family":"Doe"}]}""");

        Assert.Equal("Patient", body.ResourceType);
        Assert.Equal("p1", body.Id);
        Assert.Empty(body.Warnings);
        JsonElement json = Parse(body.Json);
        Assert.True(json.GetProperty("active").GetBoolean());
        Assert.Equal("Doe", json.GetProperty("name")[0].GetProperty("family").GetString());
    }

    [Fact]
    public void AnUnknownElementIsAWarningAndIsKept()
    {
        PreparedBody body = FhirPayload.PrepareBody("""{"resourceType":"Patient","id":"p1","favouriteColour":"blue"}""");

        Assert.Equal("Patient", body.ResourceType);
        Assert.Contains(body.Warnings, w => w.Contains("favouriteColour", StringComparison.Ordinal));
        // The server decides: the element is sent, not silently dropped.
        Assert.Equal("blue", Parse(body.Json).GetProperty("favouriteColour").GetString());
    }

    [Theory]
    [InlineData("not json at all")]
    [InlineData("{\"resourceType\":")]
    [InlineData("{\"name\":\"no resourceType\"}")]
    [InlineData("{\"resourceType\":\"NoSuchResource\"}")]
    [InlineData("42")]
    public void TextThatIsNoResourceIsRefused(string json)
    {
        FhirSecurityException error = Assert.Throws<FhirSecurityException>(() => FhirPayload.PrepareBody(json));

        Assert.Equal(ErrorIds.FhirBodyInvalid, error.ErrorId);
        Assert.Equal(FailureCategory.InvalidArgument, error.Category);
    }

    [Fact]
    public void AJsonPatchIsPassedThrough()
    {
        const string patch = """[{"op":"replace","path":"/active","value":false}]""";

        PreparedBody body = FhirPayload.PrepareBody(patch);

        Assert.Equal(patch, body.Json);
        Assert.Null(body.ResourceType);
        Assert.Empty(body.Warnings);
    }

    [Fact]
    public void A404KeepsTheOperationOutcome()
    {
        const string outcome = """{"resourceType":"OperationOutcome","issue":[{"severity":"error","code":"not-found","diagnostics":"Patient/x is not known."}]}""";

        FhirSecurityException error = FhirPayload.Failure(Response(outcome, 404, reason: "Not Found"), "GET");

        Assert.Equal(ErrorIds.FhirRequestFailed, error.ErrorId);
        Assert.Equal(FailureCategory.ObjectNotFound, error.Category);
        Assert.Equal(404, error.StatusCode);
        Assert.Equal(["error not-found: Patient/x is not known."], error.Issues);
        Assert.Contains("GET " + Search, error.Message, StringComparison.Ordinal);
        Assert.Contains("HTTP 404 Not Found", error.Message, StringComparison.Ordinal);
        Assert.Contains("Patient/x is not known", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A422ListsEveryIssueWithWhereItIs()
    {
        const string outcome = """
            {"resourceType":"OperationOutcome","issue":[
              {"severity":"error","code":"required","diagnostics":"name is required","expression":["Patient.name"]},
              {"severity":"warning","code":"value","details":{"text":"birthDate is in the future"}}]}
            """;

        FhirSecurityException error = FhirPayload.Failure(Response(outcome, 422, reason: "Unprocessable Entity"), "POST");

        Assert.Equal(FailureCategory.InvalidData, error.Category);
        Assert.Equal(422, error.StatusCode);
        Assert.Equal(["error required: name is required at Patient.name", "warning value: birthDate is in the future"], error.Issues);
        Assert.Contains("name is required at Patient.name | warning value: birthDate is in the future", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(401, FailureCategory.AuthenticationError)]
    [InlineData(403, FailureCategory.SecurityError)]
    [InlineData(409, FailureCategory.InvalidOperation)]
    [InlineData(429, FailureCategory.ResourceUnavailable)]
    [InlineData(503, FailureCategory.ResourceUnavailable)]
    public void AFailureWithoutAnOutcomeStillHasStatusAndCategory(int status, FailureCategory category)
    {
        FhirSecurityException error = FhirPayload.Failure(Response("<html>gateway</html>", status, "text/html", "Error"), "GET");

        Assert.Equal(status, error.StatusCode);
        Assert.Equal(category, error.Category);
        Assert.Empty(error.Issues);
    }

    // nginx's page for ssl_verify_client on and no certificate.
    private const string NginxPage =
        "<html>\r\n<head><title>400 No required SSL certificate was sent</title></head>\r\n<body>\r\n"
        + "<center><h1>400 Bad Request</h1></center>\r\n<center>No required SSL certificate was sent</center>\r\n"
        + "<hr><center>nginx</center>\r\n</body>\r\n</html>\r\n";

    [Fact]
    public void AnErrorPageFromAServerThatAskedForAClientCertificateSaysTheCertificateIsMissing()
    {
        FhirResponse response = Response(NginxPage, 400, "text/html", "Bad Request") with { ClientCertificateMissing = true };

        FhirSecurityException error = FhirPayload.Failure(response, "GET");

        Assert.Equal(ErrorIds.TlsClientCertificateRequired, error.ErrorId);
        Assert.Equal(FailureCategory.SecurityError, error.Category);
        Assert.Equal(400, error.StatusCode);
        Assert.Contains("\"400 No required SSL certificate was sent\"", error.Message, StringComparison.Ordinal);
        Assert.Contains("asked for a TLS client certificate during the handshake", error.Message, StringComparison.Ordinal);
        Assert.Contains("Set-FhirConnection -ClientCertificatePath", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(400, "400 No required SSL certificate was sent", true)]
    [InlineData(496, "496 SSL Certificate Required", true)]
    [InlineData(403, "403.7 - Forbidden: client certificate required", true)]
    [InlineData(403, "403 Forbidden", false)]
    [InlineData(401, "401 Authorization Required", false)]
    [InlineData(495, "495 SSL Certificate Error", false)]
    [InlineData(502, "502 Bad Gateway", false)]
    public void OnlyTheStatusesATlsFrontUsesCountAsTheMissingCertificate(int status, string title, bool missing)
    {
        FhirResponse response = Response($"<html><title>{title}</title></html>", status, "text/html", "Error")
            with { ClientCertificateMissing = true };

        FhirSecurityException error = FhirPayload.Failure(response, "GET");

        Assert.Equal(missing ? ErrorIds.TlsClientCertificateRequired : ErrorIds.FhirRequestFailed, error.ErrorId);
        Assert.Contains($"the server said \"{title}\"", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void AnOperationOutcomeIsTheServersOwnAnswerEvenWhenTheHandshakeAskedForACertificate()
    {
        const string outcome = """{"resourceType":"OperationOutcome","issue":[{"severity":"error","code":"invalid","diagnostics":"Unknown search parameter 'nam'."}]}""";
        FhirResponse response = Response(outcome, 400, reason: "Bad Request") with { ClientCertificateMissing = true };

        FhirSecurityException error = FhirPayload.Failure(response, "GET");

        Assert.Equal(ErrorIds.FhirRequestFailed, error.ErrorId);
        Assert.Contains("Unknown search parameter", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("the server said", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void APageThatIsNoOperationOutcomeGivesItsTitle()
    {
        FhirSecurityException error = FhirPayload.Failure(Response(NginxPage, 400, "text/html", "Bad Request"), "GET");

        Assert.Equal(ErrorIds.FhirRequestFailed, error.ErrorId);
        Assert.Equal(FailureCategory.InvalidArgument, error.Category);
        Assert.EndsWith("failed with HTTP 400 Bad Request; the server said \"400 No required SSL certificate was sent\".", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void TheBearerTokenTheRequestCarriedNeverShowsInTheExcerpt()
    {
        const string token = "tok-canary-51";
        var sent = new AccessToken(new FhirSecurity.Core.Secrets.SecretValue(token), DateTimeOffset.UtcNow, DateTimeOffset.UtcNow.AddMinutes(5), null);
        FhirResponse response = Response($"<title>Token {token} was refused</title><p>{token}</p>", 403, "text/html", "Forbidden")
            with { Token = sent, ClientCertificateMissing = true };

        FhirSecurityException error = FhirPayload.Failure(response, "GET");

        Assert.Equal(ErrorIds.FhirRequestFailed, error.ErrorId);
        Assert.DoesNotContain(token, error.Message, StringComparison.Ordinal);
        Assert.Contains("was refused", error.Message, StringComparison.Ordinal);
    }
}
