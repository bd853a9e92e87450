using Microsoft.PowerShell.SecretManagement;

namespace FhirSecurity.Tests.Harness;

/// <summary>
/// A module folder named Microsoft.PowerShell.SecretManagement, generated once per test process, whose manifest
/// points at the double's assembly by absolute path. PowerShell then binds the module to the very assembly this
/// process already loaded, so the cmdlets and <see cref="TestVaults"/> share one state.
/// </summary>
internal static class SecretManagementModuleFolder
{
    /// <summary>The version the double imitates; the manifest carries it.</summary>
    public const string ModuleVersion = "1.1.2";

    public const string ModuleName = "Microsoft.PowerShell.SecretManagement";

    private static readonly Lazy<string> s_modulesRoot = new(Create);

    /// <summary>The folder to put on PSModulePath (it holds the module's own folder).</summary>
    public static string ModulesRoot => s_modulesRoot.Value;

    private static string Create()
    {
        string modulesRoot = Path.Combine(Path.GetTempPath(), "FhirSecurity.Tests-" + Environment.ProcessId, "Modules");
        string moduleDir = Path.Combine(modulesRoot, ModuleName);
        Directory.CreateDirectory(moduleDir);
        string assembly = typeof(TestVaults).Assembly.Location;
        string manifest = $$"""
            @{
                RootModule           = '{{assembly.Replace("'", "''", StringComparison.Ordinal)}}'
                ModuleVersion        = '{{ModuleVersion}}'
                Description          = 'Test double of Microsoft.PowerShell.SecretManagement (FhirSecurity tests).'
                PowerShellVersion    = '7.0'
                CmdletsToExport      = @('Get-Secret', 'Set-Secret', 'Get-SecretInfo', 'Remove-Secret', 'Get-SecretVault',
                                         'Register-SecretVault', 'Unregister-SecretVault', 'Set-SecretVaultDefault')
                FunctionsToExport    = @()
                AliasesToExport      = @()
                VariablesToExport    = @()
            }
            """;
        File.WriteAllText(Path.Combine(moduleDir, ModuleName + ".psd1"), manifest);
        return modulesRoot;
    }
}
