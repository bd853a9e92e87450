using System.Collections;
using System.Diagnostics;
using System.IO.Compression;
using System.Management.Automation.Language;
using System.Text;
using System.Xml.Linq;
using FhirSecurity.Tests.Harness;

namespace FhirSecurity.Tests.Packaging;

/// <summary>
/// Runs <c>dotnet pack build/FhirSecurity.Package.csproj -c Release</c> once for the packaging tests, laying the
/// module out and writing the package into a temporary folder (so out/ and the module the other tests import stay
/// as they are), and opens the .nupkg.
/// </summary>
public sealed class PackedModule : IDisposable
{
    private static readonly TimeSpan s_timeout = TimeSpan.FromMinutes(10);
    private readonly string _folder = Directory.CreateTempSubdirectory("fhirsec-pack-").FullName;

    public PackedModule()
    {
        string packageOut = Path.Combine(_folder, "package") + Path.DirectorySeparatorChar;
        var start = new ProcessStartInfo(Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") is { Length: > 0 } host ? host : "dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = RepoPaths.Root,
        };
        foreach (string arg in new[]
        {
            "pack", Path.Combine(RepoPaths.Root, "build", "FhirSecurity.Package.csproj"), "-c", "Release", "--nologo",
            "-p:ModuleOutDir=" + Path.Combine(_folder, "module", "FhirSecurity") + Path.DirectorySeparatorChar,
            "-p:PackageOutputPath=" + packageOut,
        })
        {
            start.ArgumentList.Add(arg);
        }

        // The test host's MSBuild settings are not the child build's.
        foreach (string variable in new[] { "MSBuildSDKsPath", "MSBUILD_EXE_PATH", "MSBuildExtensionsPath" })
        {
            start.Environment.Remove(variable);
        }

        using Process process = Process.Start(start) ?? throw new InvalidOperationException("dotnet did not start.");
        Task<string> stdout = process.StandardOutput.ReadToEndAsync();
        Task<string> stderr = process.StandardError.ReadToEndAsync();
        if (!process.WaitForExit(s_timeout))
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"dotnet pack did not finish within {s_timeout}.");
        }

        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"dotnet pack failed ({process.ExitCode}):\n{stdout.Result}\n{stderr.Result}");
        }

        PackagePath = Directory.GetFiles(packageOut, "*.nupkg").Single();
        using ZipArchive zip = ZipFile.OpenRead(PackagePath);
        Entries = zip.Entries.Select(e => e.FullName).ToArray();
        Nuspec = XDocument.Parse(Read(zip, "FhirSecurity.nuspec"));
        ManifestText = Read(zip, "FhirSecurity.psd1");
        Manifest = ParseManifest(ManifestText);
    }

    /// <summary>The .nupkg file.</summary>
    public string PackagePath { get; }

    /// <summary>Every entry's path in the package.</summary>
    public IReadOnlyList<string> Entries { get; }

    /// <summary>The package's nuspec.</summary>
    public XDocument Nuspec { get; }

    /// <summary>The packed manifest's text.</summary>
    public string ManifestText { get; }

    /// <summary>The packed manifest, read as PowerShell reads data files (no code runs).</summary>
    public Hashtable Manifest { get; }

    /// <summary>One nuspec metadata element's text (namespace ignored), or null.</summary>
    public string? Metadata(string element)
        => Nuspec.Root!.Elements().Single(e => e.Name.LocalName == "metadata").Elements().SingleOrDefault(e => e.Name.LocalName == element)?.Value;

    /// <summary>Parses a .psd1 text into its hashtable.</summary>
    public static Hashtable ParseManifest(string text)
    {
        ScriptBlockAst ast = Parser.ParseInput(text, out _, out ParseError[] errors);
        if (errors.Length > 0)
        {
            throw new InvalidDataException("The manifest does not parse: " + string.Join("; ", errors.Select(e => e.Message)));
        }

        var table = (HashtableAst)ast.Find(a => a is HashtableAst, searchNestedScriptBlocks: false)!;
        return (Hashtable)table.SafeGetValue();
    }

    private static string Read(ZipArchive zip, string entry)
    {
        using var reader = new StreamReader(zip.GetEntry(entry)?.Open() ?? throw new FileNotFoundException(entry + " is not in the package."), Encoding.UTF8);
        return reader.ReadToEnd();
    }

    /// <inheritdoc />
    public void Dispose()
    {
        try
        {
            Directory.Delete(_folder, recursive: true);
        }
        catch (IOException)
        {
        }
    }
}
