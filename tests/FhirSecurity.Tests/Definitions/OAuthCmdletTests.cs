using FhirSecurity.Tests.Harness;
using Microsoft.PowerShell.SecretManagement;
using Xunit;

namespace FhirSecurity.Tests.Definitions;

public sealed class OAuthCmdletTests : DefinitionCmdletTest
{
    [Fact]
    public void New_stores_every_setting_and_Get_redacts_the_secret()
    {
        RunOk($"New-FhirOAuth -Name ehr -TokenUrl https://auth.example.org/token -ClientId reader -ClientSecret ({Secure(ClientSecret)}) " +
              "-Scope system/Patient.rs, system/Observation.rs -ClientAuthentication ClientSecretPost -ExtraParameter @{ audience = 'https://fhir.example.org' }");

        dynamic info = Single(RunOk("Get-FhirOAuth ehr"), "FhirOAuthInfo");

        Assert.Equal("reader", (string)info.ClientId);
        Assert.Equal(new Uri("https://auth.example.org/token"), (Uri)info.TokenUrl);
        Assert.Equal("ClientSecretPost", info.ClientAuthentication.ToString());
        Assert.Equal(["system/Patient.rs", "system/Observation.rs"], (IEnumerable<string>)info.Scope);
        Assert.Equal("https://fhir.example.org", (string)info.ExtraParameter["audience"]);
        Assert.Equal("********", (string)info.ClientSecret);
        string stored = StoredDocument("FhirSecurity-OAuth-ehr");
        Assert.Contains(ClientSecret, stored);
        Assert.Contains("client_secret_post", stored);
    }

    [Fact]
    public void Default_client_authentication_is_client_secret_basic()
    {
        RunOk(NewOAuth("ehr"));

        Assert.Equal("ClientSecretBasic", ((object)Single(RunOk("Get-FhirOAuth ehr"), "FhirOAuthInfo").ClientAuthentication).ToString());
    }

    [Fact]
    public void Http_token_url_is_refused_and_nothing_is_written()
    {
        PsResult result = Run($"New-FhirOAuth -Name ehr -TokenUrl http://auth.example.org/token -ClientId c -ClientSecret ({Secure(ClientSecret)})");

        AssertError(result, "OAuthTokenUrlInvalid", "New-FhirOAuth");
        Assert.Empty(TestVaults.Snapshot(DefaultVault));
    }

    [Fact]
    public void Extra_parameters_cannot_override_what_the_module_sets()
    {
        PsResult result = Run($"New-FhirOAuth -Name ehr -TokenUrl https://a.example.org/t -ClientId c -ClientSecret ({Secure(ClientSecret)}) -ExtraParameter @{{ client_secret = 'x' }}");

        AssertError(result, "OAuthParameterReserved", "New-FhirOAuth");
    }

    [Fact]
    public void Extra_parameter_without_value_is_refused()
        => AssertError(
            Run($"New-FhirOAuth -Name ehr -TokenUrl https://a.example.org/t -ClientId c -ClientSecret ({Secure(ClientSecret)}) -ExtraParameter @{{ audience = $null }}"),
            "OAuthParameterInvalid",
            "New-FhirOAuth");

    [Fact]
    public void Scope_with_a_space_is_refused()
        => AssertError(
            Run($"New-FhirOAuth -Name ehr -TokenUrl https://a.example.org/t -ClientId c -ClientSecret ({Secure(ClientSecret)}) -Scope 'a b'"),
            "OAuthScopeInvalid",
            "New-FhirOAuth");

    [Fact]
    public void Set_rotates_the_secret_and_keeps_the_rest()
    {
        RunOk(NewOAuth("ehr"));

        dynamic info = Single(RunOk($"Set-FhirOAuth ehr -ClientSecret ({Secure("Rotated-Cs")}) -PassThru"), "FhirOAuthInfo");

        Assert.Equal(2, (int)info.Revision);
        Assert.Equal(["system/Patient.rs"], (IEnumerable<string>)info.Scope);
        Assert.Contains("Rotated-Cs", StoredDocument("FhirSecurity-OAuth-ehr"));
    }

    [Fact]
    public void Set_replaces_scopes_and_method()
    {
        RunOk(NewOAuth("ehr"));

        dynamic info = Single(RunOk("Set-FhirOAuth ehr -Scope system/*.rs -ClientAuthentication ClientSecretPost -PassThru"), "FhirOAuthInfo");

        Assert.Equal(["system/*.rs"], (IEnumerable<string>)info.Scope);
        Assert.Equal("ClientSecretPost", info.ClientAuthentication.ToString());
    }

    [Fact]
    public void Set_that_breaks_a_rule_leaves_the_vault_as_it_was()
    {
        RunOk(NewOAuth("ehr"));
        VaultSnapshot before = TestVaults.Snapshot(DefaultVault);

        AssertError(Run("Set-FhirOAuth ehr -TokenUrl http://insecure.example.org/token"), "OAuthTokenUrlInvalid", "Set-FhirOAuth");

        Assert.Equal(before, TestVaults.Snapshot(DefaultVault));
    }

    [Fact]
    public void Remove_refuses_while_a_connection_uses_it()
    {
        RunOk(NewOAuth("ehr") + "; New-FhirConnection -Name prod -BaseUri https://fhir.example.org -OAuth ehr");

        AssertError(Run("Remove-FhirOAuth ehr -Confirm:$false"), "DefinitionInUse", "Remove-FhirOAuth");
        RunOk("Remove-FhirConnection prod -Confirm:$false; Remove-FhirOAuth ehr -Confirm:$false");
        Assert.Empty(TestVaults.Snapshot(DefaultVault));
    }
}
