using System.Management.Automation;
using System.Text.Json.Nodes;
using FhirSecurity.Tests.Harness;
using Microsoft.PowerShell.SecretManagement;
using Xunit;

namespace FhirSecurity.Tests.Definitions;

/// <summary>-MinimumTlsVersion and -RevocationMode on New-, Set- and Get-FhirConnection.</summary>
public sealed class ConnectionTlsSettingsCmdletTests : DefinitionCmdletTest
{
    private const string Secret = "FhirSecurity-Connection-c";

    [Fact]
    public void Defaults_are_TLS_12_and_no_revocation_check_and_are_stored()
    {
        RunOk("New-FhirConnection -Name c -BaseUri https://fhir.example.org");

        dynamic info = Single(RunOk("Get-FhirConnection c"), "FhirConnectionInfo");
        JsonObject stored = JsonNode.Parse(StoredDocument(Secret))!.AsObject();

        Assert.Equal("1.2", (string)info.MinimumTlsVersion);
        Assert.Equal("NoCheck", info.RevocationMode.ToString());
        Assert.Equal("1.2", (string)stored["minimumTlsVersion"]!);
        Assert.Equal("NoCheck", (string)stored["revocationMode"]!);
    }

    [Fact]
    public void New_takes_the_version_as_a_number_or_text_and_the_revocation_mode()
    {
        // 1.3 unquoted reaches the cmdlet as a double; '1.3' as text. Both mean the same.
        RunOk("New-FhirConnection -Name c -BaseUri https://fhir.example.org -MinimumTlsVersion 1.3 -RevocationMode Online");
        RunOk("New-FhirConnection -Name d -BaseUri https://fhir.example.org -MinimumTlsVersion '1.3' -RevocationMode Offline");

        dynamic c = Single(RunOk("Get-FhirConnection c"), "FhirConnectionInfo");
        dynamic d = Single(RunOk("Get-FhirConnection d"), "FhirConnectionInfo");

        Assert.Equal("1.3", (string)c.MinimumTlsVersion);
        Assert.Equal("Online", c.RevocationMode.ToString());
        Assert.Equal("1.3", (string)d.MinimumTlsVersion);
        Assert.Equal("Offline", d.RevocationMode.ToString());
    }

    [Theory]
    [InlineData("-MinimumTlsVersion 1.1")]
    [InlineData("-MinimumTlsVersion 1.0")]
    [InlineData("-MinimumTlsVersion Tls13")]
    [InlineData("-RevocationMode Sometimes")]
    public void Older_TLS_versions_and_unknown_modes_do_not_bind(string parameter)
    {
        PsResult result = Run("New-FhirConnection -Name c -BaseUri https://fhir.example.org " + parameter);

        ErrorRecord error = Assert.Single(result.Errors);
        Assert.Matches("^(ParameterArgumentValidationError|CannotConvertArgumentNoMessage),", error.FullyQualifiedErrorId);
        Assert.DoesNotContain(Secret, TestVaults.Snapshot(DefaultVault).Keys);
    }

    [Fact]
    public void Set_changes_only_what_is_given()
    {
        RunOk("New-FhirConnection -Name c -BaseUri https://fhir.example.org -TimeoutSec 30");

        RunOk("Set-FhirConnection c -MinimumTlsVersion 1.3");
        dynamic raised = Single(RunOk("Get-FhirConnection c"), "FhirConnectionInfo");
        RunOk("Set-FhirConnection c -RevocationMode Online");
        dynamic both = Single(RunOk("Get-FhirConnection c"), "FhirConnectionInfo");
        RunOk("Set-FhirConnection c -MinimumTlsVersion 1.2 -RevocationMode NoCheck");
        dynamic back = Single(RunOk("Get-FhirConnection c"), "FhirConnectionInfo");

        Assert.Equal("1.3", (string)raised.MinimumTlsVersion);
        Assert.Equal("NoCheck", raised.RevocationMode.ToString());
        Assert.Equal("1.3", (string)both.MinimumTlsVersion);
        Assert.Equal("Online", both.RevocationMode.ToString());
        Assert.Equal("1.2", (string)back.MinimumTlsVersion);
        Assert.Equal("NoCheck", back.RevocationMode.ToString());
        Assert.Equal(30, (int)back.TimeoutSec);
        Assert.Equal(4, (int)back.Revision);
    }

    [Fact]
    public void A_connection_written_by_the_previous_build_still_reads()
    {
        RunOk("New-FhirConnection -Name c -BaseUri https://fhir.example.org");
        JsonObject stored = JsonNode.Parse(StoredDocument(Secret))!.AsObject();
        stored.Remove("minimumTlsVersion");
        stored.Remove("revocationMode");
        TestVaults.WriteRaw(DefaultVault, Secret, stored.ToJsonString());

        dynamic info = Single(RunOk("Get-FhirConnection c"), "FhirConnectionInfo");

        Assert.Equal("1.2", (string)info.MinimumTlsVersion);
        Assert.Equal("NoCheck", info.RevocationMode.ToString());
    }

    [Fact]
    public void Copy_through_the_pipeline_keeps_the_TLS_settings()
    {
        RunOk("New-FhirConnection -Name c -BaseUri https://fhir.example.org -MinimumTlsVersion 1.3 -RevocationMode Offline");

        RunOk("Get-FhirConnection c | New-FhirConnection -Name copy");

        dynamic copy = Single(RunOk("Get-FhirConnection copy"), "FhirConnectionInfo");
        Assert.Equal("1.3", (string)copy.MinimumTlsVersion);
        Assert.Equal("Offline", copy.RevocationMode.ToString());
    }

    [Fact]
    public void Format_view_shows_both()
    {
        RunOk("New-FhirConnection -Name c -BaseUri https://fhir.example.org -MinimumTlsVersion 1.3 -RevocationMode Online");

        string text = Session.RunFormatted("Get-FhirConnection c");

        Assert.Contains("MinTls", text, StringComparison.Ordinal);
        Assert.Contains("Revocation", text, StringComparison.Ordinal);
        Assert.Contains("1.3", text, StringComparison.Ordinal);
        Assert.Contains("Online", text, StringComparison.Ordinal);
    }
}
