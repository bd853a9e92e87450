using System.Management.Automation;
using FhirSecurity.Tests.Harness;
using Microsoft.PowerShell.SecretManagement;
using Xunit;

namespace FhirSecurity.Tests.Requests;

/// <summary>Vault trouble while requests are being made: clear errors, and nothing half-written.</summary>
public sealed class VaultFaultTests : ServerTest
{
    [Fact]
    public void A_referenced_definition_deleted_mid_session_is_a_clear_error_on_the_next_call()
    {
        NewOAuthConnection();
        RunWithOk("Invoke-FhirRequest c Patient/pat-0001");

        // Deleted by another process: this session notices once it reads the vault again (here: right away).
        TestVaults.RemoveRaw(DefaultVault, "FhirSecurity-OAuth-c-oauth");
        Environment.SetEnvironmentVariable("FHIRSECURITY_REVALIDATE_SEC", "0");
        try
        {
            PsResult result = RunWith("Invoke-FhirRequest c Patient/pat-0001");

            ErrorRecord error = AssertError(result, "DefinitionNotFound", "Invoke-FhirRequest");
            Assert.Contains("c-oauth", error.Exception.Message);
        }
        finally
        {
            Environment.SetEnvironmentVariable("FHIRSECURITY_REVALIDATE_SEC", null);
        }
    }

    [Fact]
    public void A_connection_removed_through_the_module_is_gone_for_the_next_call()
    {
        NewBasicConnection();
        RunWithOk("Invoke-FhirRequest c Patient/pat-0001");

        RunOk("Remove-FhirConnection c -Confirm:$false");

        AssertError(RunWith("Invoke-FhirRequest c Patient/pat-0001"), "DefinitionNotFound", "Invoke-FhirRequest");
    }

    [Fact]
    public void A_corrupted_connection_document_is_reported_as_such()
    {
        NewBasicConnection();
        TestVaults.WriteRaw(DefaultVault, "FhirSecurity-Connection-c", "{\"fhirSecurity\":1,\"kind\":\"Connection\"");

        AssertError(RunWith("Invoke-FhirRequest c Patient/pat-0001"), "DefinitionCorrupt", "Invoke-FhirRequest");
    }

    [Fact]
    public void A_locked_vault_says_to_unlock_it_even_on_the_request_path()
    {
        NewBasicConnection();
        TestVaults.SetLocked(DefaultVault, true);

        ErrorRecord error = AssertError(RunWith("Invoke-FhirRequest c Patient/pat-0001"), "SecretVaultLocked", "Invoke-FhirRequest");

        Assert.Contains("Unlock-SecretStore", error.Exception.Message);
        Assert.Equal(0, Server.Counters.TotalRequests);
    }

    [Fact]
    public void Warm_requests_do_not_read_the_vault()
    {
        NewOAuthConnection();
        RunWithOk("Invoke-FhirRequest c Patient/pat-0001");
        TestVaults.ResetCalls();

        RunWithOk("1..10 | ForEach-Object { Invoke-FhirRequest c Patient/pat-0001 }");

        Assert.Equal(0, TestVaults.Calls(DefaultVault).Total);
    }
}
