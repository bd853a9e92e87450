using FhirSecurity.Tests.Harness;
using Microsoft.PowerShell.SecretManagement;
using Xunit;

namespace FhirSecurity.Tests.Definitions;

public sealed class BasicAuthCmdletTests : DefinitionCmdletTest
{
    [Fact]
    public void New_stores_one_document_and_Get_shows_it_without_the_password()
    {
        RunOk(NewBasic("ehr"));

        dynamic info = Single(RunOk("Get-FhirBasicAuth ehr"), "FhirBasicAuthInfo");

        Assert.Equal("ehr", (string)info.Name);
        Assert.Equal("svc-fhir", (string)info.UserName);
        Assert.Equal(DefaultVault, (string)info.Vault);
        Assert.Equal(1, (int)info.Revision);
        Assert.Equal("********", (string)info.Password);
        Assert.Equal(["FhirSecurity-BasicAuth-ehr"], TestVaults.Snapshot(DefaultVault).Keys);
        Assert.Contains(Password, StoredDocument("FhirSecurity-BasicAuth-ehr"));
        Assert.Equal("BasicAuth", TestVaults.Snapshot(DefaultVault)["FhirSecurity-BasicAuth-ehr"].Metadata["FhirSecurityKind"]);
    }

    [Fact]
    public void New_outputs_nothing_unless_PassThru()
    {
        Assert.Empty(RunOk(NewBasic("a")).Output);
        Assert.Equal("b", (string)Single(RunOk(NewBasic("b") + " -PassThru"), "FhirBasicAuthInfo").Name);
    }

    [Fact]
    public void New_on_a_taken_name_fails_and_leaves_the_vault_as_it_was()
    {
        RunOk(NewBasic("ehr"));
        VaultSnapshot before = TestVaults.Snapshot(DefaultVault);

        PsResult result = Run($"New-FhirBasicAuth -Name ehr -Credential {Credential("other", "x")}");

        AssertError(result, "DefinitionAlreadyExists", "New-FhirBasicAuth");
        Assert.Equal(before, TestVaults.Snapshot(DefaultVault));
    }

    [Fact]
    public void New_Force_replaces_and_bumps_the_revision()
    {
        RunOk(NewBasic("ehr"));

        dynamic info = Single(RunOk($"New-FhirBasicAuth -Name ehr -Credential {Credential("other", "x")} -Force -PassThru"), "FhirBasicAuthInfo");

        Assert.Equal("other", (string)info.UserName);
        Assert.Equal(2, (int)info.Revision);
    }

    [Theory]
    [InlineData("has space")]
    [InlineData("under_score")]
    [InlineData("x.y")]
    public void New_with_a_name_a_vault_may_refuse_writes_nothing(string name)
    {
        PsResult result = Run($"New-FhirBasicAuth -Name '{name}' -Credential {Credential("u", Password)}");

        AssertError(result, "InvalidDefinitionName", "New-FhirBasicAuth");
        Assert.Empty(TestVaults.Snapshot(DefaultVault));
    }

    [Fact]
    public void New_with_a_colon_in_the_user_name_is_refused()
        => AssertError(Run($"New-FhirBasicAuth -Name a -Credential {Credential("do:main", Password)}"), "BasicAuthUserNameInvalid", "New-FhirBasicAuth");

    [Fact]
    public void WhatIf_writes_nothing()
    {
        RunOk(NewBasic("ehr") + " -WhatIf");

        Assert.Empty(TestVaults.Snapshot(DefaultVault));
    }

    [Fact]
    public void WhatIf_reports_what_would_fail_instead_of_a_write_that_could_not_happen()
    {
        RunOk(NewBasic("ehr") + "; New-FhirConnection -Name prod -BaseUri https://fhir.example.org -BasicAuth ehr");
        VaultSnapshot before = TestVaults.Snapshot(DefaultVault);

        AssertError(Run(NewBasic("ehr") + " -WhatIf"), "DefinitionAlreadyExists", "New-FhirBasicAuth");
        AssertError(Run($"Set-FhirBasicAuth nope -Password ({Secure("x")}) -WhatIf"), "DefinitionNotFound", "Set-FhirBasicAuth");
        AssertError(Run("Remove-FhirBasicAuth ehr -WhatIf"), "DefinitionInUse", "Remove-FhirBasicAuth");
        Assert.Contains("What if", Session.RunFormatted($"Set-FhirBasicAuth ehr -Password ({Secure("x")}) -WhatIf"));

        Assert.Equal(before, TestVaults.Snapshot(DefaultVault));
    }

    [Fact]
    public void Set_Password_rotates_only_the_password()
    {
        RunOk(NewBasic("ehr"));

        dynamic info = Single(RunOk($"Set-FhirBasicAuth -Name ehr -Password ({Secure("Rotated-1")}) -PassThru"), "FhirBasicAuthInfo");

        Assert.Equal("svc-fhir", (string)info.UserName);
        Assert.Equal(2, (int)info.Revision);
        Assert.Contains("Rotated-1", StoredDocument("FhirSecurity-BasicAuth-ehr"));
        Assert.DoesNotContain(Password, StoredDocument("FhirSecurity-BasicAuth-ehr"));
    }

    [Fact]
    public void Set_Credential_changes_both()
    {
        RunOk(NewBasic("ehr"));

        dynamic info = Single(RunOk($"Set-FhirBasicAuth ehr -Credential {Credential("new-user", "Rotated-2")} -PassThru"), "FhirBasicAuthInfo");

        Assert.Equal("new-user", (string)info.UserName);
        Assert.Contains("Rotated-2", StoredDocument("FhirSecurity-BasicAuth-ehr"));
    }

    [Fact]
    public void Set_with_nothing_to_change_warns_and_writes_nothing()
    {
        RunOk(NewBasic("ehr"));
        VaultSnapshot before = TestVaults.Snapshot(DefaultVault);

        PsResult result = RunOk("Set-FhirBasicAuth -Name ehr");

        Assert.Single(result.Warnings);
        Assert.Equal(before, TestVaults.Snapshot(DefaultVault));
    }

    [Fact]
    public void Set_of_a_missing_definition_is_DefinitionNotFound()
        => AssertError(Run($"Set-FhirBasicAuth -Name nope -Password ({Secure("x")})"), "DefinitionNotFound", "Set-FhirBasicAuth");

    [Fact]
    public void Get_takes_wildcards_and_an_exact_missing_name_is_an_error()
    {
        RunOk(NewBasic("prod-a") + ";" + NewBasic("prod-b") + ";" + NewBasic("test-a"));

        Assert.Equal(["prod-a", "prod-b"], Names(RunOk("Get-FhirBasicAuth prod*")));
        Assert.Equal(3, RunOk("Get-FhirBasicAuth").Output.Count);
        Assert.Empty(RunOk("Get-FhirBasicAuth nomatch*").Output);
        AssertError(Run("Get-FhirBasicAuth missing"), "DefinitionNotFound", "Get-FhirBasicAuth");
        AssertError(Run("Get-FhirBasicAuth 'bad name*'"), "InvalidDefinitionName", "Get-FhirBasicAuth");
    }

    [Fact]
    public void Remove_deletes_after_confirmation_and_takes_pipeline_input()
    {
        RunOk(NewBasic("old") + ";" + NewBasic("keep"));

        RunOk("Get-FhirBasicAuth old | Remove-FhirBasicAuth -Confirm:$false");

        Assert.Equal(["FhirSecurity-BasicAuth-keep"], TestVaults.Snapshot(DefaultVault).Keys);
        AssertError(Run("Remove-FhirBasicAuth old -Confirm:$false"), "DefinitionNotFound", "Remove-FhirBasicAuth");
    }

    [Fact]
    public void Remove_is_high_impact_so_it_asks_before_deleting()
    {
        RunOk(NewBasic("old"));

        // The capturing host cannot answer a prompt (as pwsh -NonInteractive): the removal must not happen.
        Run("Remove-FhirBasicAuth old");

        Assert.Single(TestVaults.Snapshot(DefaultVault));
    }

    [Fact]
    public void Remove_refuses_a_definition_a_connection_uses_and_names_it()
    {
        RunOk(NewBasic("ehr") + "; New-FhirConnection -Name prod -BaseUri https://fhir.example.org -BasicAuth ehr");
        VaultSnapshot before = TestVaults.Snapshot(DefaultVault);

        PsResult result = Run("Remove-FhirBasicAuth ehr -Confirm:$false");

        Assert.Contains("'prod'", AssertError(result, "DefinitionInUse", "Remove-FhirBasicAuth").Exception.Message);
        Assert.Equal(before, TestVaults.Snapshot(DefaultVault));
    }
}
