using System.Management.Automation;
using FhirSecurity.Tests.Harness;
using Microsoft.PowerShell.SecretManagement;
using Xunit;

namespace FhirSecurity.Tests.Definitions;

/// <summary>
/// Federated client assertions (ClientAssertionFile): -ClientAssertionPath and -FromEnvironment make a definition that
/// stores the path, never the content; a file that is missing or empty, or a second credential, is refused before the
/// vault is touched. The tests of this class set AZURE_* variables of the process, so xunit runs them one at a time.
/// </summary>
public sealed class OAuthAssertionFileCmdletTests : DefinitionCmdletTest
{
    private const string TokenUrl = "https://login.example.org/tenant/oauth2/v2.0/token";
    private static readonly string[] AzureVariables =
        ["AZURE_CLIENT_ID", "AZURE_TENANT_ID", "AZURE_FEDERATED_TOKEN_FILE", "AZURE_AUTHORITY_HOST"];

    private readonly string _dir = Directory.CreateTempSubdirectory("fhirsec-assertion-").FullName;
    private readonly string _canary = "eyJhbGciOiJSUzI1NiJ9.canary-" + Guid.NewGuid().ToString("N") + ".sig";

    private string AssertionFile(string? content = null, string name = "token")
    {
        string path = Path.Combine(_dir, name);
        File.WriteAllText(path, content ?? _canary);
        return path;
    }

    [Fact]
    public void A_relative_assertion_path_is_resolved_stored_as_a_path_and_shown_without_the_content()
    {
        AssertionFile();

        PsResult made = RunOk(
            $"$null = $ExecutionContext.SessionState.Path.SetLocation('{_dir}'); New-FhirOAuth -Name workload"
            + $" -TokenUrl {TokenUrl} -ClientId client-1 -ClientAssertionPath ./token -Scope api://fhir/.default -PassThru -Verbose");
        dynamic info = Single(RunOk("Get-FhirOAuth workload"), "FhirOAuthInfo");

        Assert.Equal("ClientAssertionFile", info.ClientAuthentication.ToString());
        Assert.Equal(Path.Combine(_dir, "token"), (string)info.ClientAssertionPath);
        Assert.Null(info.ClientSecret);
        Assert.Null(info.PrivateKey);
        string stored = StoredDocument("FhirSecurity-OAuth-workload");
        Assert.Contains("\"clientAssertionPath\":", stored);
        Assert.DoesNotContain(_canary, stored);
        Assert.DoesNotContain(_canary, made.AllText());
        Assert.DoesNotContain(_canary, Session.RunFormatted("Get-FhirOAuth workload"));
    }

    public static TheoryData<string, string, string> Refusals() => new()
    {
        { "missing", string.Empty, "OAuthClientAssertionFileNotFound" },
        { "empty", string.Empty, "OAuthClientAssertionFileEmpty" },
        { "file", $"-ClientSecret ({Secure(ClientSecret)})", "OAuthClientCredentialConflict" },
        { "file", "-KeyId k", "OAuthClientCredentialConflict" },
        { "file", "-ClientAuthentication ClientSecretPost", "OAuthClientCredentialConflict" },
    };

    [Theory]
    [MemberData(nameof(Refusals))]
    public void A_file_that_cannot_serve_or_a_second_credential_is_refused_and_nothing_is_written(
        string file, string more, string errorId)
    {
        RunOk(NewOAuth("other"));
        VaultSnapshot before = TestVaults.Snapshot(DefaultVault);
        string path = file switch
        {
            "missing" => Path.Combine(_dir, "nope"),
            "empty" => AssertionFile(" \n"),
            _ => AssertionFile(),
        };

        PsResult result = Run(
            $"New-FhirOAuth -Name workload -TokenUrl {TokenUrl} -ClientId client-1 -ClientAssertionPath '{path}' {more}");

        AssertError(result, errorId, "New-FhirOAuth");
        Assert.Equal(before, TestVaults.Snapshot(DefaultVault));
        Assert.DoesNotContain(_canary, result.AllText());
    }

    [Fact]
    public void Set_switches_a_secret_definition_to_an_assertion_file_and_back()
    {
        RunOk(NewOAuth("ehr"));
        string file = AssertionFile();

        dynamic federated = Single(RunOk($"Set-FhirOAuth ehr -ClientAssertionPath '{file}' -PassThru"), "FhirOAuthInfo");
        Assert.Equal("ClientAssertionFile", federated.ClientAuthentication.ToString());
        Assert.DoesNotContain(ClientSecret, StoredDocument("FhirSecurity-OAuth-ehr"));

        dynamic back = Single(RunOk($"Set-FhirOAuth ehr -ClientSecret ({Secure("Back-Cs")}) -PassThru"), "FhirOAuthInfo");
        Assert.Equal("ClientSecretBasic", back.ClientAuthentication.ToString());
        Assert.Null(back.ClientAssertionPath);
        Assert.DoesNotContain("clientAssertionPath", StoredDocument("FhirSecurity-OAuth-ehr"));
    }

    [Fact]
    public void FromEnvironment_reads_what_AKS_workload_identity_sets()
    {
        string file = AssertionFile();
        WithEnvironment(
            new() { ["AZURE_CLIENT_ID"] = "c0ffee00-1111-2222-3333-444455556666", ["AZURE_TENANT_ID"] = "contoso.onmicrosoft.com", ["AZURE_FEDERATED_TOKEN_FILE"] = file },
            () =>
            {
                dynamic info = Single(
                    RunOk("New-FhirOAuth -Name aks -FromEnvironment -Scope https://ws-fhir.fhir.azurehealthcareapis.com/.default -PassThru"),
                    "FhirOAuthInfo");

                Assert.Equal(new Uri("https://login.microsoftonline.com/contoso.onmicrosoft.com/oauth2/v2.0/token"), (Uri)info.TokenUrl);
                Assert.Equal("c0ffee00-1111-2222-3333-444455556666", (string)info.ClientId);
                Assert.Equal(file, (string)info.ClientAssertionPath);
                Assert.Equal("ClientAssertionFile", info.ClientAuthentication.ToString());
            });
    }

    [Fact]
    public void FromEnvironment_without_the_variables_names_them_all_and_writes_nothing()
    {
        WithEnvironment(
            new() { ["AZURE_TENANT_ID"] = "t1", ["AZURE_FEDERATED_TOKEN_FILE"] = Path.Combine(_dir, "nope") },
            () =>
            {
                VaultSnapshot before = TestVaults.Snapshot(DefaultVault);

                ErrorRecord incomplete = AssertError(Run("New-FhirOAuth -Name aks -FromEnvironment"), "OAuthEnvironmentIncomplete", "New-FhirOAuth");
                Environment.SetEnvironmentVariable("AZURE_CLIENT_ID", "c1");
                AssertError(Run("New-FhirOAuth -Name aks -FromEnvironment"), "OAuthClientAssertionFileNotFound", "New-FhirOAuth");

                Assert.Equal(System.Management.Automation.ErrorCategory.ObjectNotFound, incomplete.CategoryInfo.Category);
                Assert.Contains("AZURE_CLIENT_ID", incomplete.Exception.Message);
                Assert.Equal(before, TestVaults.Snapshot(DefaultVault));
            });
    }

    private static void WithEnvironment(Dictionary<string, string> variables, Action test)
    {
        Dictionary<string, string?> saved = AzureVariables.ToDictionary(v => v, Environment.GetEnvironmentVariable);
        try
        {
            foreach (string name in AzureVariables)
            {
                Environment.SetEnvironmentVariable(name, variables.GetValueOrDefault(name));
            }

            test();
        }
        finally
        {
            foreach ((string name, string? value) in saved)
            {
                Environment.SetEnvironmentVariable(name, value);
            }
        }
    }

    /// <inheritdoc />
    protected override void Cleanup() => Directory.Delete(_dir, recursive: true);
}
