using FhirSecurity.Tests.Harness;
using Microsoft.PowerShell.SecretManagement;
using Xunit;

namespace FhirSecurity.Tests.Definitions;

/// <summary>
/// Tab completion of every name parameter, through TabExpansion2 as a shell calls it: names come from the vaults'
/// secret info, match what was typed (wildcards too), and come back quoted where PowerShell needs it.
/// </summary>
public sealed class ArgumentCompletionTests : DefinitionCmdletTest
{
    public ArgumentCompletionTests()
    {
        TestVaults.Register("Other");
    }

    public static TheoryData<string, string> NameCommands => new()
    {
        { "Get-FhirBasicAuth", "basic" },
        { "Set-FhirBasicAuth", "basic" },
        { "Remove-FhirBasicAuth", "basic" },
        { "Get-FhirOAuth", "oauth" },
        { "Set-FhirOAuth", "oauth" },
        { "Remove-FhirOAuth", "oauth" },
        { "Get-FhirCaBundle", "ca" },
        { "Set-FhirCaBundle", "ca" },
        { "Remove-FhirCaBundle", "ca" },
        { "Get-FhirConnection", "conn" },
        { "Set-FhirConnection", "conn" },
        { "Remove-FhirConnection", "conn" },
    };

    [Theory]
    [MemberData(nameof(NameCommands))]
    public void Name_completes_definitions_of_the_commands_kind_only(string command, string prefix)
    {
        CreateOneOfEachKind("prod-eu");
        CreateOneOfEachKind("prod-us");
        CreateOneOfEachKind("test");

        Assert.Equal([$"{prefix}-prod-eu", $"{prefix}-prod-us"], Complete($"{command} -Name {prefix}-pro"));
        Assert.Equal([$"{prefix}-prod-eu", $"{prefix}-prod-us", $"{prefix}-test"], Complete($"{command} "));
    }

    [Fact]
    public void Name_completes_with_wildcards_case_insensitively_and_module_qualified()
    {
        CreateOneOfEachKind("prod-eu");
        CreateOneOfEachKind("test-eu");
        CreateOneOfEachKind("prod-us");

        Assert.Equal(["conn-prod-eu", "conn-test-eu"], Complete("Get-FhirConnection *-EU"));
        Assert.Equal(["oauth-prod-eu", "oauth-prod-us"], Complete("FhirSecurity\\Remove-FhirOAuth -Name OAUTH-P"));
        Assert.Equal(["'conn-prod-us'"], Complete("Set-FhirConnection -Name 'conn-prod-u"));
    }

    [Theory]
    [InlineData("New-FhirConnection -Name n -BaseUri https://n.example.org -BasicAuth ", "basic")]
    [InlineData("New-FhirConnection -Name n -BaseUri https://n.example.org -OAuth ", "oauth")]
    [InlineData("New-FhirConnection -Name n -BaseUri https://n.example.org -CaBundle ", "ca")]
    [InlineData("Set-FhirConnection -Name n -BasicAuth ", "basic")]
    [InlineData("Set-FhirConnection -Name n -OAuth ", "oauth")]
    [InlineData("Set-FhirConnection n -CaBundle ", "ca")]
    public void Connection_references_complete_from_their_kind(string line, string prefix)
    {
        CreateOneOfEachKind("a");
        CreateOneOfEachKind("b");

        Assert.Equal([$"{prefix}-a", $"{prefix}-b"], Complete(line));
    }

    [Fact]
    public void Vault_on_the_command_line_or_in_the_preference_chooses_where_names_come_from()
    {
        CreateOneOfEachKind("here");
        CreateOneOfEachKind("there", "Other");

        Assert.Equal(["basic-here", "basic-there"], Complete("Get-FhirBasicAuth -Name basic-"));
        Assert.Equal(["basic-there"], Complete("Get-FhirBasicAuth -Vault Other -Name basic-"));
        Assert.Equal(["basic-there"], Complete("New-FhirConnection -Vault 'Other' -Name n -BaseUri https://n.example.org -BasicAuth "));

        Environment.SetEnvironmentVariable("FHIRSECURITY_VAULT", "Other");
        try
        {
            Assert.Equal(["conn-there"], Complete("Invoke-FhirRequest -Connection conn-"));
            Assert.Equal(["conn-here"], Complete($"Remove-FhirConnection -Vault {DefaultVault} -Name conn-"));
        }
        finally
        {
            Environment.SetEnvironmentVariable("FHIRSECURITY_VAULT", null);
        }
    }

    [Fact]
    public void Vault_completes_registered_vaults_quoting_names_that_need_it()
    {
        TestVaults.Register("Team Vault");
        TestVaults.Register("Ops'Vault");
        TestVaults.Register("2024");

        Assert.Equal(["'2024'", "'Ops''Vault'", "Other", "'Team Vault'", "TestVault"], Complete("Get-FhirConnection -Vault "));
        Assert.Equal(["'Team Vault'", "TestVault"], Complete("New-FhirBasicAuth -Vault te"));
        Assert.Equal(["\"Team Vault\"", "\"TestVault\""], Complete("Invoke-FhirRequest -Connection c -Vault \"Te"));
        Assert.Equal(["'Team Vault'"], Complete("Import-FhirCaBundle -Vault '*am"));
    }

    [Fact]
    public void Every_cmdlet_with_Vault_completes_it()
    {
        PsResult commands = RunOk("(Get-Command -Module FhirSecurity | Where-Object { $_.Parameters.ContainsKey('Vault') }).Name");
        Assert.True(commands.Output.Count >= 17, "Expected the definition cmdlets and Invoke-FhirRequest to take -Vault.");

        foreach (string command in commands.Output.Select(o => o.BaseObject.ToString()!))
        {
            Assert.Equal(["Other"], Complete($"{command} -Vault Oth"));
        }
    }

    [Fact]
    public void No_SecretManagement_means_no_completions_and_no_error()
    {
        using PsSession session = PsSession.Create(withSecretManagement: false);

        PsResult result = session.Run("(TabExpansion2 -inputScript $s -cursorColumn $s.Length).CompletionMatches.CompletionText", new Dictionary<string, object?> { ["s"] = "Get-FhirConnection -Vault x -Name " });

        Assert.Empty(result.Errors);
        Assert.Empty(result.Output);
    }

    [Fact]
    public void A_locked_or_unknown_vault_means_no_completions_and_no_error()
    {
        CreateOneOfEachKind("a");
        TestVaults.SetLocked(DefaultVault, true);
        try
        {
            Assert.Empty(Complete("Invoke-FhirRequest -Connection "));
            Assert.Empty(Complete($"Get-FhirOAuth -Vault {DefaultVault} -Name "));
        }
        finally
        {
            TestVaults.SetLocked(DefaultVault, false);
        }

        Assert.Empty(Complete("Get-FhirOAuth -Vault NoSuchVault -Name "));
    }

    [Fact]
    public void Completion_reads_secret_info_never_a_secret()
    {
        CreateOneOfEachKind("a");
        TestVaults.ResetCalls();

        Complete("Get-FhirBasicAuth -Name ");
        Complete("Invoke-FhirRequest -Connection ");

        VaultCallCounts calls = TestVaults.Calls(DefaultVault);
        Assert.Equal(0, calls.GetSecret);
        Assert.True(calls.GetSecretInfo > 0);
    }

    private void CreateOneOfEachKind(string suffix, string vault = DefaultVault)
    {
        TestVaults.WriteRaw(vault, $"FhirSecurity-BasicAuth-basic-{suffix}", "{}");
        TestVaults.WriteRaw(vault, $"FhirSecurity-OAuth-oauth-{suffix}", "{}");
        TestVaults.WriteRaw(vault, $"FhirSecurity-CaBundle-ca-{suffix}", "{}");
        TestVaults.WriteRaw(vault, $"FhirSecurity-Connection-conn-{suffix}", "{}");
    }

    /// <summary>The completion texts TabExpansion2 offers with the cursor at the end of <paramref name="line"/>.</summary>
    private List<string> Complete(string line)
    {
        PsResult result = Run(
            "(TabExpansion2 -inputScript $line -cursorColumn $line.Length).CompletionMatches.CompletionText",
            new Dictionary<string, object?> { ["line"] = line });
        Assert.Empty(result.Errors);
        return result.Output.Select(o => o.BaseObject.ToString()!).ToList();
    }
}
