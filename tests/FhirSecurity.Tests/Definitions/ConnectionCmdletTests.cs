using FhirSecurity.Tests.Harness;
using Microsoft.PowerShell.SecretManagement;
using Xunit;

namespace FhirSecurity.Tests.Definitions;

public sealed class ConnectionCmdletTests : DefinitionCmdletTest
{
    [Fact]
    public void New_without_auth_uses_default_TLS_and_a_normalized_base()
    {
        RunOk("New-FhirConnection -Name open -BaseUri https://fhir.example.org/r4");

        dynamic info = Single(RunOk("Get-FhirConnection open"), "FhirConnectionInfo");

        Assert.Equal(new Uri("https://fhir.example.org/r4/"), (Uri)info.BaseUri);
        Assert.Equal("None", (string)info.Authentication);
        Assert.Equal("Default", info.TlsValidation.ToString());
        Assert.Equal(100, (int)info.TimeoutSec);
    }

    [Fact]
    public void New_with_BasicAuth_and_with_OAuth()
    {
        RunOk(NewBasic("b1") + ";" + NewOAuth("o1"));

        RunOk("New-FhirConnection -Name viaBasic -BaseUri https://fhir.example.org -BasicAuth b1");
        RunOk("New-FhirConnection -Name viaOAuth -BaseUri https://fhir.example.org -OAuth o1 -TimeoutSec 30");

        Assert.Equal("Basic", (string)Single(RunOk("Get-FhirConnection viaBasic"), "FhirConnectionInfo").Authentication);
        dynamic oauth = Single(RunOk("Get-FhirConnection viaOAuth"), "FhirConnectionInfo");
        Assert.Equal("o1", (string)oauth.OAuth);
        Assert.Equal(30, (int)oauth.TimeoutSec);
    }

    [Fact]
    public void BasicAuth_and_OAuth_together_do_not_bind()
    {
        RunOk(NewBasic("b1") + ";" + NewOAuth("o1"));

        PsResult result = Run("New-FhirConnection -Name both -BaseUri https://fhir.example.org -BasicAuth b1 -OAuth o1");

        Assert.Equal("AmbiguousParameterSet,FhirSecurity.Commands.NewFhirConnectionCommand", Assert.Single(result.Errors).FullyQualifiedErrorId);
        Assert.DoesNotContain("FhirSecurity-Connection-both", TestVaults.Snapshot(DefaultVault).Keys);
    }

    [Fact]
    public void Missing_reference_is_refused_and_nothing_is_written()
    {
        PsResult result = Run("New-FhirConnection -Name c -BaseUri https://fhir.example.org -OAuth nope");

        AssertError(result, "ReferencedDefinitionNotFound", "New-FhirConnection");
        Assert.Empty(TestVaults.Snapshot(DefaultVault));
    }

    [Fact]
    public void Reference_of_the_wrong_kind_says_what_it_is()
    {
        RunOk(NewOAuth("shared"));

        PsResult result = Run("New-FhirConnection -Name c -BaseUri https://fhir.example.org -BasicAuth shared");

        Assert.Contains("OAuth definition", AssertError(result, "ReferencedDefinitionWrongKind", "New-FhirConnection").Exception.Message);
    }

    [Fact]
    public void References_must_be_in_the_connection_vault()
    {
        TestVaults.Register("Other");
        RunOk(NewBasic("b1", vault: "Other"));

        AssertError(Run("New-FhirConnection -Name c -BaseUri https://fhir.example.org -BasicAuth b1"), "ReferencedDefinitionNotFound", "New-FhirConnection");
        RunOk("New-FhirConnection -Name c -BaseUri https://fhir.example.org -BasicAuth b1 -Vault Other");
    }

    [Fact]
    public void CustomBundle_needs_a_bundle_and_a_bundle_needs_CustomBundle()
    {
        AssertError(Run("New-FhirConnection -Name c -BaseUri https://fhir.example.org -TlsValidation CustomBundle"), "ConnectionCaBundleRequired", "New-FhirConnection");
        AssertError(Run("New-FhirConnection -Name c -BaseUri https://fhir.example.org -TlsValidation Default -CaBundle corp"), "ConnectionCaBundleUnused", "New-FhirConnection");
        AssertError(Run("New-FhirConnection -Name c -BaseUri https://fhir.example.org -CaBundle missing"), "ReferencedDefinitionNotFound", "New-FhirConnection");
        Assert.Empty(TestVaults.Snapshot(DefaultVault));
    }

    [Fact]
    public void Http_base_with_credentials_needs_AllowUnencryptedAuthentication()
    {
        RunOk(NewBasic("b1"));

        AssertError(Run("New-FhirConnection -Name c -BaseUri http://fhir.example.org -BasicAuth b1"), "ConnectionUnencryptedAuthentication", "New-FhirConnection");
        RunOk("New-FhirConnection -Name c -BaseUri http://fhir.example.org -BasicAuth b1 -AllowUnencryptedAuthentication");
        RunOk("New-FhirConnection -Name open -BaseUri http://fhir.example.org");
    }

    [Fact]
    public void Skip_is_an_explicit_choice_stored_on_the_connection()
    {
        RunOk("New-FhirConnection -Name lab -BaseUri https://lab.example.org -TlsValidation Skip");

        Assert.Equal("Skip", Single(RunOk("Get-FhirConnection lab"), "FhirConnectionInfo").TlsValidation.ToString());
    }

    [Theory]
    [InlineData("ftp://fhir.example.org")]
    [InlineData("https://fhir.example.org/r4?x=1")]
    public void Base_uri_must_be_a_plain_http_url(string uri)
        => AssertError(Run($"New-FhirConnection -Name c -BaseUri '{uri}'"), "ConnectionBaseUriInvalid", "New-FhirConnection");

    [Fact]
    public void Timeout_out_of_range_is_refused_by_binding()
        => Assert.Equal("ParameterArgumentValidationError,FhirSecurity.Commands.NewFhirConnectionCommand", Assert.Single(Run("New-FhirConnection -Name c -BaseUri https://x.example.org -TimeoutSec 0").Errors).FullyQualifiedErrorId);

    [Fact]
    public void Set_switching_auth_drops_the_other_kind()
    {
        RunOk(NewBasic("b1") + ";" + NewOAuth("o1") + "; New-FhirConnection -Name c -BaseUri https://fhir.example.org -BasicAuth b1");

        dynamic toOAuth = Single(RunOk("Set-FhirConnection c -OAuth o1 -PassThru"), "FhirConnectionInfo");
        Assert.Null((string?)toOAuth.BasicAuth);
        Assert.Equal("o1", (string)toOAuth.OAuth);
        Assert.Equal(2, (int)toOAuth.Revision);

        dynamic none = Single(RunOk("Set-FhirConnection c -NoAuthentication -PassThru"), "FhirConnectionInfo");
        Assert.Equal("None", (string)none.Authentication);
    }

    [Fact]
    public void Set_changes_only_what_is_given()
    {
        RunOk(NewOAuth("o1") + "; New-FhirConnection -Name c -BaseUri https://fhir.example.org -OAuth o1 -TimeoutSec 30");

        dynamic info = Single(RunOk("Set-FhirConnection c -BaseUri https://fhir2.example.org/r4 -PassThru"), "FhirConnectionInfo");

        Assert.Equal(new Uri("https://fhir2.example.org/r4/"), (Uri)info.BaseUri);
        Assert.Equal("o1", (string)info.OAuth);
        Assert.Equal(30, (int)info.TimeoutSec);
    }

    [Fact]
    public void Set_AllowUnencryptedAuthentication_false_turns_it_off_again_and_is_checked()
    {
        RunOk(NewBasic("b1") + "; New-FhirConnection -Name c -BaseUri http://fhir.example.org -BasicAuth b1 -AllowUnencryptedAuthentication");
        VaultSnapshot before = TestVaults.Snapshot(DefaultVault);

        AssertError(Run("Set-FhirConnection c -AllowUnencryptedAuthentication:$false"), "ConnectionUnencryptedAuthentication", "Set-FhirConnection");

        Assert.Equal(before, TestVaults.Snapshot(DefaultVault));
    }

    [Fact]
    public void Set_to_a_missing_reference_is_refused()
    {
        RunOk("New-FhirConnection -Name c -BaseUri https://fhir.example.org");
        VaultSnapshot before = TestVaults.Snapshot(DefaultVault);

        AssertError(Run("Set-FhirConnection c -BasicAuth ghost"), "ReferencedDefinitionNotFound", "Set-FhirConnection");

        Assert.Equal(before, TestVaults.Snapshot(DefaultVault));
    }

    [Fact]
    public void Get_pipes_into_Set_and_Remove()
    {
        RunOk("New-FhirConnection -Name prod-a -BaseUri https://a.example.org; New-FhirConnection -Name prod-b -BaseUri https://b.example.org; New-FhirConnection -Name test -BaseUri https://t.example.org");

        RunOk("Get-FhirConnection prod* | Set-FhirConnection -TimeoutSec 10");
        Assert.Equal([10, 10, 100], RunOk("Get-FhirConnection").Output.Select(o => (int)o.Properties["TimeoutSec"].Value));

        RunOk("Get-FhirConnection prod* | Remove-FhirConnection -Confirm:$false");
        Assert.Equal(["test"], Names(RunOk("Get-FhirConnection")));
    }
}
