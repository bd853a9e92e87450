using FhirSecurity.Tests.Definitions;
using FhirSecurity.Tests.Harness;
using Microsoft.PowerShell.SecretManagement;
using Xunit;

namespace FhirSecurity.Tests.Vaults;

/// <summary>
/// The hosted sessions use the double wherever another module named Microsoft.PowerShell.SecretManagement is
/// installed: in front of the double's folder or behind it on PSModulePath (as Install-Module's folders are).
/// </summary>
public sealed class ModuleLoadingTests : DefinitionCmdletTest
{
    private readonly string _root = Directory.CreateTempSubdirectory("FhirSecurityTests-FakeSecretManagement-").FullName;

    [Fact]
    public void Sessions_load_the_double_whatever_else_is_on_PSModulePath()
    {
        string before = FakeRealModule("before", "9.9.9");
        string after = FakeRealModule("after", "1.1.2");
        using PsSession session = PsSession.Create(modulePathBefore: [before], modulePathAfter: [after]);

        PsResult result = session.Run(
            NewBasic("b") + "; (Get-FhirBasicAuth -Name b).UserName; "
            + "(Get-Module Microsoft.PowerShell.SecretManagement).Path");

        Assert.True(result.Errors.Count == 0, string.Join(" | ", result.Errors.Select(e => e.ToString())));
        Assert.Equal("svc-fhir", result.BaseOutput[0]);
        Assert.Equal(typeof(TestVaults).Assembly.Location, result.BaseOutput[1]);
        Assert.True(TestVaults.Snapshot(DefaultVault).ContainsKey("FhirSecurity-BasicAuth-b"));
    }

    [Fact]
    public void A_session_without_SecretManagement_finds_no_installed_one()
    {
        string installed = FakeRealModule("installed", "1.1.2");
        SecretManagementModule.PutFirstOnModulePath(after: [installed]);
        using PsSession session = PsSession.Create(withSecretManagement: false);

        PsResult result = session.Run("Get-FhirBasicAuth");

        AssertError(result, "SecretManagementNotInstalled", "Get-FhirBasicAuth");
    }

    /// <summary>A module named like the real one whose commands fail loudly if it is ever loaded.</summary>
    private string FakeRealModule(string folder, string version)
    {
        string moduleDir = Path.Combine(_root, folder, SecretManagementModule.ModuleName, version);
        Directory.CreateDirectory(moduleDir);
        File.WriteAllText(Path.Combine(moduleDir, SecretManagementModule.ModuleName + ".psm1"), """
            foreach ($name in 'Get-Secret', 'Set-Secret', 'Get-SecretInfo', 'Remove-Secret', 'Get-SecretVault') {
                Set-Item -Path "function:$name" -Value { throw 'The installed SecretManagement was loaded, not the double.' }
            }
            Export-ModuleMember -Function *
            """);
        File.WriteAllText(Path.Combine(moduleDir, SecretManagementModule.ModuleName + ".psd1"), $$"""
            @{ RootModule = '{{SecretManagementModule.ModuleName}}.psm1'; ModuleVersion = '{{version}}'; FunctionsToExport = '*' }
            """);
        return Path.Combine(_root, folder);
    }

    /// <inheritdoc />
    protected override void Cleanup() => Directory.Delete(_root, recursive: true);
}
