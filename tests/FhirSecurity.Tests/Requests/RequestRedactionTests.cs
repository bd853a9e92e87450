using FhirSecurity.Tests.Harness;
using Microsoft.PowerShell.SecretManagement;
using Xunit;

namespace FhirSecurity.Tests.Requests;

/// <summary>
/// Canary password, client secret and every access token the server issued, through Invoke-FhirRequest with -Verbose -Debug, on success and on every kind
/// of failure: neither may appear in any stream, error record or output.
/// </summary>
public sealed class RequestRedactionTests : ServerTest
{
    [Fact]
    public void No_canary_in_any_stream_of_Invoke_FhirRequest()
    {
        NewOAuthConnection("o");
        RunWithOk($"New-FhirBasicAuth -Name b-basic -Credential $basicCredential; New-FhirConnection -Name b -BaseUri $basicBase -BasicAuth b-basic -CaBundle testca; " +
                  $"New-FhirOAuth -Name wrong -TokenUrl $tokenUrl -ClientId nobody -ClientSecret $clientSecret; New-FhirConnection -Name w -BaseUri $oauthBase -OAuth wrong -CaBundle testca; " +
                  "New-FhirConnection -Name untrusted -BaseUri $basicBase -BasicAuth b-basic");
        const string Common = " -Verbose -Debug";
        var runs = new List<PsResult>
        {
            RunWith("Invoke-FhirRequest o Patient/pat-0001" + Common),
            RunWith("Invoke-FhirRequest b Patient -All" + Common),
            RunWith("Invoke-FhirRequest o Patient/missing" + Common),
            RunWith("Invoke-FhirRequest w Patient/pat-0001" + Common),
            RunWith("Invoke-FhirRequest untrusted Patient/pat-0001" + Common),
        };
        Server.RevokeAllTokens();
        runs.Add(RunWith("Invoke-FhirRequest o Patient/pat-0001" + Common));
        Server.Faults.EnqueueStatus("/oauth/token", 500);
        RunOk("Clear-FhirTokenCache");
        runs.Add(RunWith("Invoke-FhirRequest o Patient/pat-0001" + Common));
        TestVaults.SetLocked(DefaultVault, true);
        RunOk("Clear-FhirTokenCache");
        runs.Add(RunWith("Invoke-FhirRequest o Patient/pat-0001" + Common));
        TestVaults.SetLocked(DefaultVault, false);

        runs.Add(RunWith("Get-FhirTokenCache -Verbose -Debug; Get-FhirConnection; Get-FhirOAuth"));
        string formatted = Session.RunAllProperties("Get-FhirTokenCache; Invoke-FhirRequest o Patient/pat-0001", Vars);

        Assert.Contains("resourceType : Patient", formatted);
        Assert.True(runs.Count(r => r.Errors.Count > 0) >= 5, "the failure paths must really fail");
        Assert.Contains(runs, r => r.Verbose.Count > 0);
        Assert.True(Server.IssuedTokenValues.Count >= 2, "tokens were issued, so the token canaries are real");
        foreach (string canary in new[] { Password, ClientSecret }.Concat(Server.IssuedTokenValues))
        {
            Assert.All(runs, r => Assert.DoesNotContain(canary, r.AllText()));
            Assert.DoesNotContain(canary, formatted);
        }
    }
}
