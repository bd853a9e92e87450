using System.Management.Automation;
using System.Text;
using FhirSecurity.Tests.Harness;
using FhirSecurity.TestServer;
using Xunit;

namespace FhirSecurity.Tests.Requests;

/// <summary>
/// An error answer that is no OperationOutcome, from a server that did not ask for a client certificate: it stays
/// FhirRequestFailed and quotes the page's title, and nothing the page holds besides (a secret, the credentials
/// the request carried, echoed back) reaches any stream.
/// </summary>
public sealed class ErrorPageExcerptTests : ServerTest
{
    private const string BodyCanary = "CanaryInThePageBody-8e41";

    [Fact]
    public void A_plain_400_page_stays_FhirRequestFailed_and_quotes_its_title()
    {
        NewBasicConnection("b");
        Server.Faults.Enqueue("/basic/fhir/Patient", Fault.Page(400, "text/html", "<html><head><title>400 No required SSL certificate was sent</title></head><body>nginx</body></html>"));

        ErrorRecord error = AssertError(RunWith("Invoke-FhirRequest b Patient/pat-0005"), "FhirRequestFailed", "Invoke-FhirRequest");

        Assert.Equal(ErrorCategory.InvalidArgument, error.CategoryInfo.Category);
        Assert.EndsWith(
            "Patient/pat-0005 failed with HTTP 400 Bad Request; the server said \"400 No required SSL certificate was sent\".",
            error.Exception.Message,
            StringComparison.Ordinal);
    }

    [Fact]
    public void No_secret_from_an_error_page_that_echoes_the_request_shows_anywhere()
    {
        NewOAuthConnection("o");
        // The CA bundle is there already.
        RunWithOk("New-FhirBasicAuth -Name b-basic -Credential $basicCredential; New-FhirConnection -Name b -BaseUri $basicBase -BasicAuth b-basic -CaBundle testca");
        string page = $"<html><head><title>403 Forbidden for {Fault.AuthorizationPlaceholder}</title></head>"
            + $"<body><h1>Forbidden</h1><p>{BodyCanary}</p><pre>{Fault.AuthorizationPlaceholder}</pre></body></html>";
        Server.Faults.Enqueue("/oauth/fhir/Patient", Fault.Page(403, "text/html", page));
        Server.Faults.Enqueue("/basic/fhir/Patient", Fault.Page(400, "text/plain", $"refused {Fault.AuthorizationPlaceholder}\n{BodyCanary}"));

        PsResult bearer = RunWith("Invoke-FhirRequest o Patient/pat-0001 -Verbose -Debug");
        PsResult basic = RunWith("Invoke-FhirRequest b Patient/pat-0001 -Verbose -Debug");

        ErrorRecord bearerError = AssertError(bearer, "FhirRequestFailed", "Invoke-FhirRequest");
        Assert.Contains("the server said \"403 Forbidden for Bearer ********\"", bearerError.Exception.Message, StringComparison.Ordinal);
        ErrorRecord basicError = AssertError(basic, "FhirRequestFailed", "Invoke-FhirRequest");
        Assert.Contains("the server said \"refused Basic ********\"", basicError.Exception.Message, StringComparison.Ordinal);
        Assert.NotEmpty(Server.IssuedTokenValues);
        string basicValue = Convert.ToBase64String(Encoding.UTF8.GetBytes($"{UserName}:{Password}"));
        foreach (string canary in new[] { BodyCanary, Password, basicValue, ClientSecret }.Concat(Server.IssuedTokenValues))
        {
            Assert.DoesNotContain(canary, bearer.AllText());
            Assert.DoesNotContain(canary, basic.AllText());
        }
    }
}
