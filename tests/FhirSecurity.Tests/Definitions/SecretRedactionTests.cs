using FhirSecurity.Tests.Harness;
using Microsoft.PowerShell.SecretManagement;
using Xunit;

namespace FhirSecurity.Tests.Definitions;

/// <summary>
/// Canary secrets go in through every definition cmdlet, with -Verbose -Debug, on success and on failure; not
/// one of them may come out of any stream, error record, output object, ToString() or format view.
/// </summary>
public sealed class SecretRedactionTests : DefinitionCmdletTest
{
    private const string Common = " -Verbose -Debug";

    [Fact]
    public void No_canary_in_any_stream_of_any_definition_cmdlet()
    {
        var runs = new List<PsResult>();
        string[] scripts =
        [
            // Successes.
            NewBasic("ehr") + " -PassThru" + Common,
            NewOAuth("ehr") + " -PassThru" + Common,
            $"Set-FhirBasicAuth ehr -Password ({Secure(Password + "-2")}) -PassThru" + Common,
            $"Set-FhirBasicAuth ehr -Credential {Credential("u2", Password + "-3")} -PassThru" + Common,
            $"Set-FhirOAuth ehr -ClientSecret ({Secure(ClientSecret + "-2")}) -PassThru" + Common,
            "New-FhirConnection -Name c1 -BaseUri https://fhir.example.org -OAuth ehr -PassThru" + Common,
            "Set-FhirConnection c1 -BasicAuth ehr -PassThru" + Common,
            "Get-FhirBasicAuth" + Common,
            "Get-FhirOAuth" + Common,
            "Get-FhirConnection" + Common,
            // Failures after the secret was bound.
            NewBasic("ehr") + Common,
            NewOAuth("ehr") + Common,
            $"New-FhirBasicAuth -Name 'bad name' -Credential {Credential("u", Password)}" + Common,
            $"New-FhirBasicAuth -Name x -Credential {Credential("a:b", Password)}" + Common,
            $"New-FhirOAuth -Name x -TokenUrl http://a.example.org/t -ClientId c -ClientSecret ({Secure(ClientSecret)})" + Common,
            $"New-FhirOAuth -Name x -TokenUrl https://a.example.org/t -ClientId c -ClientSecret ({Secure(ClientSecret)}) -ExtraParameter @{{ client_secret = '{ClientSecret}' }}" + Common,
            "Remove-FhirBasicAuth ehr -Confirm:$false" + Common,
            NewBasic("ehr", vault: "Nope") + Common,
        ];
        foreach (string script in scripts)
        {
            runs.Add(Run(script));
        }

        TestVaults.SetLocked(DefaultVault, true);
        runs.Add(Run($"Set-FhirBasicAuth ehr -Password ({Secure(Password)})" + Common));
        runs.Add(Run(NewOAuth("locked") + Common));
        runs.Add(Run("Get-FhirOAuth" + Common));
        TestVaults.SetLocked(DefaultVault, false);

        string formatted = Session.RunFormatted("Get-FhirBasicAuth; Get-FhirOAuth; Get-FhirConnection")
            + Session.RunAllProperties("Get-FhirOAuth");

        Assert.Contains(runs, r => r.Errors.Count > 0);
        Assert.Contains(runs, r => r.Verbose.Count > 0 || r.Output.Count > 0);
        Assert.Contains("********", formatted);
        Assert.Contains("ClientSecret : ********", formatted);
        foreach (string canary in new[] { Password, ClientSecret })
        {
            Assert.All(runs, r => Assert.DoesNotContain(canary, r.AllText()));
            Assert.DoesNotContain(canary, formatted);
        }
    }
}
