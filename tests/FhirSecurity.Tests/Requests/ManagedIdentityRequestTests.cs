using System.Management.Automation;
using FhirSecurity.Tests.Harness;
using FhirSecurity.TestServer;
using Xunit;

namespace FhirSecurity.Tests.Requests;

/// <summary>
/// Managed identity end to end in the hosted engine: IDENTITY_ENDPOINT and IDENTITY_HEADER name the test server's
/// loopback App Service endpoint (set in the constructor, before any request, so Azure.Identity never falls back to
/// IMDS), tokens are cached and renewed after a 401 like any OAuth token, and each failure is its own error. Each test
/// asks for its own resource: MSAL keeps a process-wide cache of managed identity tokens by identity and resource.
/// </summary>
public sealed class ManagedIdentityRequestTests : ServerTest
{
    private readonly string? _savedEndpoint = Environment.GetEnvironmentVariable("IDENTITY_ENDPOINT");
    private readonly string? _savedHeader = Environment.GetEnvironmentVariable("IDENTITY_HEADER");
    private readonly string _resource = $"https://fhir-{Guid.NewGuid():N}.fhir.azurehealthcareapis.com";

    public ManagedIdentityRequestTests()
    {
        Environment.SetEnvironmentVariable("IDENTITY_ENDPOINT", Server.ManagedIdentityEndpoint.AbsoluteUri);
        Environment.SetEnvironmentVariable("IDENTITY_HEADER", Server.IdentityHeader);
    }

    private ManagedIdentityRequestRecord[] Requests()
        => Server.ManagedIdentityRequests.Where(r => r.Resource == _resource).ToArray();

    private void NewIdentityConnection(string more = "")
    {
        ImportCa();
        RunWithOk($"New-FhirOAuth -Name mi -ManagedIdentity -Scope {_resource}/.default {more}; "
                  + "New-FhirConnection -Name c -BaseUri $oauthBase -OAuth mi -CaBundle testca");
    }

    [Fact]
    public void Requests_get_one_token_from_the_identity_endpoint_and_no_secret_or_token_shows()
    {
        NewIdentityConnection();

        PsResult result = RunWithOk("Invoke-FhirRequest c Patient/pat-0001 -Verbose -Debug; Invoke-FhirRequest c Patient/pat-0001");

        Assert.Equal(2, result.Output.Count);
        ManagedIdentityRequestRecord request = Assert.Single(Requests());
        Assert.True(request.HeaderMatched);
        dynamic entry = Single(RunOk("Get-FhirTokenCache -OAuth mi"), "FhirTokenCacheEntry");
        Assert.Equal(1, (int)entry.Fetches);
        Assert.Null(entry.TokenUrl);
        string everything = result.AllText() + Session.RunFormatted("Get-FhirTokenCache") + Session.RunFormatted("Get-FhirOAuth mi")
            + StoredDocument("FhirSecurity-OAuth-mi");
        Assert.DoesNotContain(Server.IdentityHeader, everything);
        Assert.All(Server.IssuedTokenValues, token => Assert.DoesNotContain(token, everything));
    }

    [Fact]
    public void A_401_brings_one_new_token_from_the_endpoint_and_one_replay()
    {
        NewIdentityConnection();
        RunWithOk("Invoke-FhirRequest c Patient/pat-0001");
        Server.RevokeAllTokens();

        PsResult result = RunWithOk("Invoke-FhirRequest c Patient/pat-0001 -Verbose");

        Assert.Equal("pat-0001", (string)result.Output.Single().Properties["id"].Value);
        Assert.Equal(2, Requests().Length);
    }

    [Fact]
    public void A_user_assigned_identity_is_asked_for_by_client_id_and_an_unknown_one_is_ManagedIdentityNotFound()
    {
        NewIdentityConnection($"-ManagedIdentityClientId {FhirTestServerOptions.UserAssignedClientId}");
        RunWithOk("Invoke-FhirRequest c Patient/pat-0001");
        RunWithOk("Set-FhirOAuth mi -ManagedIdentityClientId 0b0b0b0b-1111-2222-3333-444444444444");

        PsResult refused = RunWith("Invoke-FhirRequest c Patient/pat-0001");

        Assert.Equal(FhirTestServerOptions.UserAssignedClientId, Requests()[0].ClientId);
        ErrorRecord error = AssertError(refused, "ManagedIdentityNotFound", "Invoke-FhirRequest");
        Assert.Equal(ErrorCategory.ObjectNotFound, error.CategoryInfo.Category);
        Assert.Contains("No User Assigned or Delegated Managed Identity found", error.Exception.Message);
    }

    [Fact]
    public void No_identity_endpoint_is_ManagedIdentityUnavailable_and_Test_FhirConnection_says_so()
    {
        int closed = LoopbackPorts.Closed();
        Environment.SetEnvironmentVariable("IDENTITY_ENDPOINT", $"http://127.0.0.1:{closed}/msi/token");
        NewIdentityConnection();

        PsResult refused = RunWith("Invoke-FhirRequest c Patient/pat-0001");
        PsResult tested = RunWith("Test-FhirConnection c");

        ErrorRecord error = AssertError(refused, "ManagedIdentityUnavailable", "Invoke-FhirRequest");
        Assert.Equal(ErrorCategory.ResourceUnavailable, error.CategoryInfo.Category);
        Assert.Contains("not running in Azure, or the identity is not enabled", error.Exception.Message);
        dynamic report = Single(tested, "FhirConnectionTestResult");
        Assert.Equal("Failed", (string)report.Step("Token").Status.ToString());
        Assert.Contains("not running in Azure", (string)report.Step("Token").Detail);
    }

    [Fact]
    public void Test_FhirConnection_gets_a_token_from_the_managed_identity_in_its_token_step()
    {
        NewIdentityConnection();

        dynamic report = Single(RunWithOk("Test-FhirConnection c"), "FhirConnectionTestResult");

        Assert.True((bool)report.Passed);
        Assert.Contains("system-assigned managed identity", (string)report.Step("Token").Detail);
        Assert.Null(report.TokenEndpoint);
    }

    /// <inheritdoc />
    protected override void Cleanup()
    {
        Environment.SetEnvironmentVariable("IDENTITY_ENDPOINT", _savedEndpoint);
        Environment.SetEnvironmentVariable("IDENTITY_HEADER", _savedHeader);
        base.Cleanup();
    }
}
