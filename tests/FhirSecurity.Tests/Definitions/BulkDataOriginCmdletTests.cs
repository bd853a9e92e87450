using System.Management.Automation;
using FhirSecurity.Tests.Harness;
using Microsoft.PowerShell.SecretManagement;
using Xunit;

namespace FhirSecurity.Tests.Definitions;

/// <summary>
/// -BulkDataOrigin on New-/Set-FhirConnection and -NoBulkDataOrigin on Set-: stored as origins, shown by
/// Get-FhirConnection, every refusal leaving the vault as it was.
/// </summary>
public sealed class BulkDataOriginCmdletTests : DefinitionCmdletTest
{
    private const string Base = "https://fhir.example.org/r4";

    private string[] Origins(string name)
        => (string[])RunOk($"Get-FhirConnection -Name {name}").Output[0].Properties["BulkDataOrigin"].Value;

    [Fact]
    public void The_origins_given_are_stored_once_each_as_origins_and_replaced_or_removed_by_Set()
    {
        RunOk($"New-FhirConnection -Name c1 -BaseUri {Base} -BulkDataOrigin https://Files.example.net/,"
            + "https://files.example.net,https://status.example.net:8443");
        Assert.Equal(["https://files.example.net", "https://status.example.net:8443"], Origins("c1"));

        RunOk("Set-FhirConnection -Name c1 -TimeoutSec 30");
        Assert.Equal(["https://files.example.net", "https://status.example.net:8443"], Origins("c1"));

        RunOk("Set-FhirConnection -Name c1 -BulkDataOrigin https://other.example.net");
        Assert.Equal(["https://other.example.net"], Origins("c1"));

        RunOk("Set-FhirConnection -Name c1 -NoBulkDataOrigin");
        Assert.Empty(Origins("c1"));
    }

    [Fact]
    public void A_new_connection_has_none()
    {
        RunOk($"New-FhirConnection -Name c1 -BaseUri {Base}");

        Assert.Empty(Origins("c1"));
    }

    [Fact]
    public void Bad_origins_and_contradictions_are_refused_with_their_ids_and_change_nothing()
    {
        RunOk($"New-FhirConnection -Name keep -BaseUri {Base} -BulkDataOrigin https://files.example.net");
        var before = TestVaults.Snapshot(DefaultVault);
        string[] refused =
        [
            "https://files.example.net/exports",
            "http://files.example.net",
            "files.example.net",
            "'https://svc:pw-canary-58@files.example.net/?sig=sig-canary-59'",
        ];

        var runs = new List<PsResult>();
        foreach (string origin in refused)
        {
            PsResult created = Run($"New-FhirConnection -Name fresh -BaseUri {Base} -BulkDataOrigin {origin}");
            PsResult changed = Run($"Set-FhirConnection -Name keep -BulkDataOrigin {origin}");
            AssertError(created, "ConnectionBulkDataOriginInvalid", "New-FhirConnection");
            AssertError(changed, "ConnectionBulkDataOriginInvalid", "Set-FhirConnection");
            Assert.Equal(ErrorCategory.InvalidArgument, changed.Errors[0].CategoryInfo.Category);
            runs.Add(created);
            runs.Add(changed);
        }

        PsResult both = Run("Set-FhirConnection -Name keep -BulkDataOrigin https://a.example.net -NoBulkDataOrigin");

        AssertError(both, "ConnectionBulkDataOriginConflict", "Set-FhirConnection");
        Assert.Equal(before, TestVaults.Snapshot(DefaultVault));
        Assert.All(runs, r => Assert.DoesNotContain("pw-canary-58", r.AllText(), StringComparison.Ordinal));
        Assert.All(runs, r => Assert.DoesNotContain("sig-canary-59", r.AllText(), StringComparison.Ordinal));
    }
}
