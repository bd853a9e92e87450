namespace FhirSecurity.Tests.Harness;

/// <summary>Where the repository and the built module are, found from the test assembly's folder.</summary>
internal static class RepoPaths
{
    private static readonly Lazy<string> s_root = new(FindRoot);

    /// <summary>The folder holding FhirSecurity.sln.</summary>
    public static string Root => s_root.Value;

    /// <summary>The manifest of the built, importable module (out/FhirSecurity/FhirSecurity.psd1).</summary>
    public static string ModuleManifest => Path.Combine(Root, "out", "FhirSecurity", "FhirSecurity.psd1");

    private static string FindRoot()
    {
        for (DirectoryInfo? dir = new(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "FhirSecurity.sln")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException($"No FhirSecurity.sln above {AppContext.BaseDirectory}.");
    }
}
