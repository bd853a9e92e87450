using FhirSecurity.Tests.Harness;
using Microsoft.PowerShell.SecretManagement;
using Xunit;

namespace FhirSecurity.Tests.Definitions;

/// <summary>
/// Managed identity definitions: -ManagedIdentity makes one with a scope and nothing else to keep secret, refuses
/// what cannot go with it before the vault is touched, and Set-FhirOAuth switches a definition to and from it. No
/// token is requested here.
/// </summary>
public sealed class ManagedIdentityCmdletTests : DefinitionCmdletTest
{
    private const string Scope = "https://ws-fhir.fhir.azurehealthcareapis.com/.default";
    private const string UserAssigned = "6f2a1c3e-9b4d-4e8f-a1b2-c3d4e5f60718";

    [Fact]
    public void A_system_assigned_identity_stores_the_scope_and_no_token_url_client_id_or_secret()
    {
        dynamic info = Single(RunOk($"New-FhirOAuth -Name ahds -ManagedIdentity -Scope {Scope} -PassThru"), "FhirOAuthInfo");

        Assert.Equal("ManagedIdentity", info.ClientAuthentication.ToString());
        Assert.Null(info.TokenUrl);
        Assert.Null(info.ClientId);
        Assert.Null(info.ClientSecret);
        Assert.Equal([Scope], ((IEnumerable<string>)info.Scope).ToArray());
        string stored = StoredDocument("FhirSecurity-OAuth-ahds");
        Assert.Contains("\"clientAuthentication\":\"managed_identity\"", stored);
        Assert.DoesNotContain("tokenUrl", stored);
        Assert.DoesNotContain("clientSecret", stored);
        Assert.Contains("ManagedIdentity", Session.RunFormatted("Get-FhirOAuth ahds"));
    }

    [Fact]
    public void A_user_assigned_identity_is_kept_by_its_client_id()
    {
        dynamic info = Single(
            RunOk($"New-FhirOAuth -Name ahds -ManagedIdentity -ManagedIdentityClientId {UserAssigned} -Scope {Scope} -PassThru"),
            "FhirOAuthInfo");

        Assert.Equal(UserAssigned, (string)info.ClientId);
    }

    public static TheoryData<string, string> Refusals() => new()
    {
        { "-ManagedIdentityClientId not-a-guid -Scope s/.default", "OAuthManagedIdentityClientIdInvalid" },
        { string.Empty, "OAuthManagedIdentityScopeInvalid" },
        { "-Scope a/.default, b/.default", "OAuthManagedIdentityScopeInvalid" },
        { $"-Scope s/.default -ClientSecret ({Secure(ClientSecret)})", "OAuthManagedIdentityConflict" },
        { "-Scope s/.default -ExtraParameter @{ resource = 'x' }", "OAuthManagedIdentityConflict" },
        { "-Scope s/.default -KeyId k", "OAuthManagedIdentityConflict" },
    };

    [Theory]
    [MemberData(nameof(Refusals))]
    public void What_cannot_go_with_a_managed_identity_is_refused_and_nothing_is_written(string more, string errorId)
    {
        RunOk(NewOAuth("other"));
        VaultSnapshot before = TestVaults.Snapshot(DefaultVault);

        PsResult result = Run($"New-FhirOAuth -Name ahds -ManagedIdentity {more}");

        AssertError(result, errorId, "New-FhirOAuth");
        Assert.Equal(before, TestVaults.Snapshot(DefaultVault));
        Assert.DoesNotContain(ClientSecret, result.AllText());
    }

    [Fact]
    public void Set_switches_a_secret_client_to_a_managed_identity_and_back()
    {
        RunOk(NewOAuth("ehr"));

        dynamic identity = Single(RunOk($"Set-FhirOAuth ehr -ManagedIdentity -Scope {Scope} -PassThru"), "FhirOAuthInfo");
        Assert.Equal("ManagedIdentity", identity.ClientAuthentication.ToString());
        Assert.Null(identity.TokenUrl);
        string stored = StoredDocument("FhirSecurity-OAuth-ehr");
        Assert.DoesNotContain(ClientSecret, stored);
        Assert.DoesNotContain("tokenUrl", stored);

        dynamic user = Single(RunOk($"Set-FhirOAuth ehr -ManagedIdentityClientId {UserAssigned} -PassThru"), "FhirOAuthInfo");
        Assert.Equal(UserAssigned, (string)user.ClientId);
        Assert.Null(Single(RunOk("Set-FhirOAuth ehr -ManagedIdentityClientId '' -PassThru"), "FhirOAuthInfo").ClientId);

        AssertError(Run($"Set-FhirOAuth ehr -ClientSecret ({Secure("Back-Cs")})"), "OAuthTokenUrlInvalid", "Set-FhirOAuth");
        dynamic back = Single(
            RunOk($"Set-FhirOAuth ehr -TokenUrl https://auth.example.org/token -ClientId c1 -ClientSecret ({Secure("Back-Cs")}) -PassThru"),
            "FhirOAuthInfo");
        Assert.Equal("ClientSecretBasic", back.ClientAuthentication.ToString());
        Assert.Equal("c1", (string)back.ClientId);
    }
}
