namespace Microsoft.PowerShell.SecretManagement;

/// <summary>
/// Makes the double importable by name: a module folder named Microsoft.PowerShell.SecretManagement, generated
/// once per process, whose manifest points at this assembly by absolute path. PowerShell then binds the module to
/// the very assembly the process already loaded, so the cmdlets and <see cref="TestVaults"/> share one state.
/// Used by the cmdlet tests and by the demo.
/// </summary>
public static class SecretManagementModule
{
    /// <summary>The version the double imitates; the manifest carries it.</summary>
    public const string ModuleVersion = "1.1.2";

    /// <summary>The module name the double answers to.</summary>
    public const string ModuleName = "Microsoft.PowerShell.SecretManagement";

    private static readonly object s_gate = new();
    private static string? s_modulesRoot;

    /// <summary>
    /// Creates the module folder on first call and returns the folder to put on PSModulePath (it holds the
    /// module's own folder). Later calls return the same folder.
    /// </summary>
    public static string EnsureFolder()
    {
        lock (s_gate)
        {
            return s_modulesRoot ??= Create();
        }
    }

    /// <summary>Deletes the generated folder, if any; for a process that leaves no temp files behind (the demo).</summary>
    public static void DeleteFolder()
    {
        lock (s_gate)
        {
            if (s_modulesRoot is null)
            {
                return;
            }

            // The folder is ours alone (named after the process id), so the whole parent goes.
            Directory.Delete(Path.GetDirectoryName(s_modulesRoot)!, recursive: true);
            s_modulesRoot = null;
        }
    }

    private static string Create()
    {
        string modulesRoot = Path.Combine(Path.GetTempPath(), "SecretManagementDouble-" + Environment.ProcessId, "Modules");
        string moduleDir = Path.Combine(modulesRoot, ModuleName);
        Directory.CreateDirectory(moduleDir);
        string assembly = typeof(TestVaults).Assembly.Location;
        string manifest = $$"""
            @{
                RootModule           = '{{assembly.Replace("'", "''", StringComparison.Ordinal)}}'
                ModuleVersion        = '{{ModuleVersion}}'
                Description          = 'Test double of Microsoft.PowerShell.SecretManagement (FhirSecurity tests and demo).'
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
