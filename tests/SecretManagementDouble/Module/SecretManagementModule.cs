using System.Management.Automation.Runspaces;

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
    private static readonly Lazy<string> s_engineDefaultPath = new(ReadEngineDefaultPath);
    private static string? s_modulesRoot;

    /// <summary>The double's manifest, in the folder <see cref="EnsureFolder"/> makes.</summary>
    public static string ManifestPath => Path.Combine(EnsureFolder(), ModuleName, ModuleName + ".psd1");

    /// <summary>
    /// Puts the double's folder first on PSModulePath, in front of the engine's default module folders (the user's,
    /// the machine's, $PSHOME's: where Install-Module puts the real SecretManagement). Opening a runspace adds those
    /// folders in front of a PSModulePath that lacks them, and keeps the order of one that has them, so they are
    /// written out here, after the double. <paramref name="before"/> and <paramref name="after"/> go around it.
    /// </summary>
    public static void PutFirstOnModulePath(IEnumerable<string>? before = null, IEnumerable<string>? after = null)
    {
        string[] folders = [.. before ?? [], EnsureFolder(), .. after ?? [], s_engineDefaultPath.Value];
        Environment.SetEnvironmentVariable("PSModulePath", string.Join(Path.PathSeparator, folders.Where(f => f.Length > 0)));
    }

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

    private static string ReadEngineDefaultPath()
    {
        // What the engine makes of the variable this process started with: its own folders added.
        using Runspace probe = RunspaceFactory.CreateRunspace(InitialSessionState.CreateDefault2());
        probe.Open();
        return Environment.GetEnvironmentVariable("PSModulePath") ?? string.Empty;
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
