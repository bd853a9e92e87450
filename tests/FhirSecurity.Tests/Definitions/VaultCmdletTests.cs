using System.Collections;
using FhirSecurity.Tests.Harness;
using Microsoft.PowerShell.SecretManagement;
using Xunit;

namespace FhirSecurity.Tests.Definitions;

/// <summary>Vault choice and every vault failure, through the real cmdlets and the SecretManagement double.</summary>
public sealed class VaultCmdletTests : DefinitionCmdletTest
{
    [Fact]
    public void Without_SecretManagement_every_cmdlet_says_to_install_it()
    {
        using PsSession session = PsSession.Create(withSecretManagement: false);

        PsResult create = session.Run(NewBasic("ehr"));
        PsResult get = session.Run("Get-FhirConnection");

        Assert.Contains("Install-Module", AssertError(create, "SecretManagementNotInstalled", "New-FhirBasicAuth").Exception.Message);
        AssertError(get, "SecretManagementNotInstalled", "Get-FhirConnection");
    }

    [Fact]
    public void No_vault_registered_says_to_register_one()
    {
        TestVaults.Reset();

        Assert.Contains("Register-SecretVault", AssertError(Run(NewBasic("ehr").Replace($" -Vault {DefaultVault}", string.Empty)), "SecretVaultNotRegistered", "New-FhirBasicAuth").Exception.Message);
        AssertError(Run("Get-FhirBasicAuth"), "SecretVaultNotRegistered", "Get-FhirBasicAuth");
    }

    [Fact]
    public void No_default_vault_and_no_choice_is_an_error_for_writes()
    {
        TestVaults.Reset();
        TestVaults.Register("A");
        TestVaults.Register("B");
        TestVaults.SetDefault(null);

        AssertError(Run($"New-FhirBasicAuth -Name x -Credential {Credential("u", Password)}"), "SecretVaultNoDefault", "New-FhirBasicAuth");
        Assert.Empty(TestVaults.Snapshot("A"));
        Assert.Empty(TestVaults.Snapshot("B"));
    }

    [Fact]
    public void Unknown_vault_is_SecretVaultNotFound()
        => AssertError(Run(NewBasic("ehr", vault: "Nope")), "SecretVaultNotFound", "New-FhirBasicAuth");

    [Fact]
    public void Environment_preference_chooses_the_vault_and_Vault_overrides_it()
    {
        TestVaults.Register("Pref");
        try
        {
            Environment.SetEnvironmentVariable("FHIRSECURITY_VAULT", "Pref");

            RunOk($"New-FhirBasicAuth -Name a -Credential {Credential("u", Password)}");
            RunOk(NewBasic("b", vault: DefaultVault));

            Assert.Equal(["FhirSecurity-BasicAuth-a"], TestVaults.Snapshot("Pref").Keys);
            Assert.Equal(["FhirSecurity-BasicAuth-b"], TestVaults.Snapshot(DefaultVault).Keys);
            Assert.Equal(["a"], Names(RunOk("Get-FhirBasicAuth")));
        }
        finally
        {
            Environment.SetEnvironmentVariable("FHIRSECURITY_VAULT", null);
        }
    }

    [Fact]
    public void Reads_without_a_choice_list_every_vault_and_say_which()
    {
        TestVaults.Register("Other");
        RunOk(NewBasic("a") + ";" + NewBasic("b", vault: "Other"));

        PsResult all = RunOk("Get-FhirBasicAuth");

        Assert.Equal([DefaultVault, "Other"], all.Output.Select(o => (string)o.Properties["Vault"].Value));
        Assert.Equal(["b"], Names(RunOk("Get-FhirBasicAuth -Vault Other")));
    }

    [Fact]
    public void Locked_vault_says_to_unlock_it_and_nothing_is_written()
    {
        RunOk(NewBasic("ehr"));
        VaultSnapshot before = TestVaults.Snapshot(DefaultVault);
        TestVaults.SetLocked(DefaultVault, true);

        PsResult create = Run(NewBasic("other"));
        PsResult get = Run("Get-FhirBasicAuth ehr");

        Assert.Contains("Unlock-SecretStore", AssertError(create, "SecretVaultLocked", "New-FhirBasicAuth").Exception.Message);
        AssertError(get, "SecretVaultLocked", "Get-FhirBasicAuth");
        TestVaults.SetLocked(DefaultVault, false);
        Assert.Equal(before, TestVaults.Snapshot(DefaultVault));
    }

    [Fact]
    public void A_secret_that_is_not_a_FhirSecurity_document_is_DefinitionCorrupt_and_does_not_hide_the_others()
    {
        RunOk(NewBasic("good"));
        TestVaults.WriteRaw(DefaultVault, "FhirSecurity-BasicAuth-broken", "{ not json " + Password);
        TestVaults.WriteRaw(DefaultVault, "FhirSecurity-BasicAuth-table", new Hashtable { ["a"] = "b" });

        PsResult list = Run("Get-FhirBasicAuth");
        PsResult one = Run("Get-FhirBasicAuth broken");
        PsResult table = Run("Get-FhirBasicAuth table");

        Assert.Equal(["good"], Names(list));
        Assert.Equal(2, list.Errors.Count);
        Assert.All(list.Errors, e => Assert.StartsWith("DefinitionCorrupt,", e.FullyQualifiedErrorId));
        AssertError(one, "DefinitionCorrupt", "Get-FhirBasicAuth");
        AssertError(table, "DefinitionCorrupt", "Get-FhirBasicAuth");
        Assert.DoesNotContain(Password, list.AllText() + one.AllText());
    }

    [Fact]
    public void Vault_without_metadata_support_still_stores_the_definition()
    {
        TestVaults.Register("Plain", supportsMetadata: false);

        RunOk(NewBasic("ehr", vault: "Plain"));

        Assert.Empty(TestVaults.Snapshot("Plain")["FhirSecurity-BasicAuth-ehr"].Metadata);
        Assert.Equal("svc-fhir", (string)Single(RunOk("Get-FhirBasicAuth ehr -Vault Plain"), "FhirBasicAuthInfo").UserName);
    }

    [Fact]
    public void Metadata_records_kind_schema_and_revision_where_supported()
    {
        RunOk(NewBasic("ehr") + $"; Set-FhirBasicAuth ehr -Password ({Secure("x2")})");

        var metadata = TestVaults.Snapshot(DefaultVault)["FhirSecurity-BasicAuth-ehr"].Metadata;

        Assert.Equal("BasicAuth", metadata["FhirSecurityKind"]);
        Assert.Equal(1, metadata["FhirSecuritySchema"]);
        Assert.Equal(2, metadata["FhirSecurityRevision"]);
        Assert.IsType<DateTime>(metadata["FhirSecurityUpdated"]);
    }

    [Fact]
    public void A_definition_deleted_in_the_vault_is_not_found_on_the_next_command()
    {
        RunOk(NewBasic("ehr"));
        TestVaults.RemoveRaw(DefaultVault, "FhirSecurity-BasicAuth-ehr");

        AssertError(Run($"Set-FhirBasicAuth ehr -Password ({Secure("x")})"), "DefinitionNotFound", "Set-FhirBasicAuth");
    }
}
