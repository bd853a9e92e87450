using System.Collections;
using FhirSecurity.Tests.Harness;
using Xunit;

namespace FhirSecurity.Tests.Packaging;

/// <summary>
/// The .nupkg that build.ps1 -Task Package makes is what Publish-PSResource / Install-PSResource expect: the
/// module folder at the package root, nuspec metadata and PowerShellGet tags taken from the manifest, and a
/// manifest with what a gallery needs.
/// </summary>
[Trait("Category", "Packaging")]
public sealed class PackageTests : HostedEngineTest, IClassFixture<PackedModule>
{
    private readonly PackedModule _package;

    public PackageTests(PackedModule package)
    {
        _package = package;
    }

    private static Hashtable RepoManifest => PackedModule.ParseManifest(File.ReadAllText(Path.Combine(RepoPaths.Root, "FhirSecurity.psd1")));

    private static string[] Cmdlets(Hashtable manifest) => ((object[])manifest["CmdletsToExport"]!).Cast<string>().ToArray();

    private static Hashtable PSData(Hashtable manifest) => (Hashtable)((Hashtable)manifest["PrivateData"]!)["PSData"]!;

    [Fact]
    public void Package_root_holds_the_module_and_nothing_from_the_tests()
    {
        Assert.Contains("FhirSecurity.psd1", _package.Entries);
        Assert.Contains("FhirSecurity.dll", _package.Entries);
        Assert.Contains("FhirSecurity.Format.ps1xml", _package.Entries);
        Assert.Contains("LICENSE", _package.Entries);
        Assert.Contains("Dependencies/FhirSecurity.Core.dll", _package.Entries);
        Assert.Contains("Dependencies/Hl7.Fhir.R4.dll", _package.Entries);
        Assert.Equal(["FhirSecurity.dll"], _package.Entries.Where(e => !e.Contains('/') && e.EndsWith(".dll", StringComparison.OrdinalIgnoreCase)));
        Assert.DoesNotContain(_package.Entries, e => e.Contains("Test", StringComparison.OrdinalIgnoreCase)
            || e.Contains("xunit", StringComparison.OrdinalIgnoreCase)
            || e.Contains("SecretManagement", StringComparison.OrdinalIgnoreCase)
            || e.Contains("System.Management.Automation", StringComparison.OrdinalIgnoreCase)
            || e.StartsWith("lib/", StringComparison.OrdinalIgnoreCase)
            || e.StartsWith("content/", StringComparison.OrdinalIgnoreCase));
        Assert.Equal(File.ReadAllText(Path.Combine(RepoPaths.Root, "FhirSecurity.psd1")), _package.ManifestText.TrimStart('\uFEFF'));
    }

    [Fact]
    public void Nuspec_id_version_and_metadata_come_from_the_manifest()
    {
        Hashtable manifest = RepoManifest;
        Hashtable psData = PSData(manifest);

        Assert.Equal("FhirSecurity", _package.Metadata("id"));
        Assert.Equal((string)manifest["ModuleVersion"]!, _package.Metadata("version"));
        Assert.Equal($"FhirSecurity.{manifest["ModuleVersion"]}.nupkg", Path.GetFileName(_package.PackagePath));
        Assert.Equal((string)manifest["Description"]!, _package.Metadata("description"));
        Assert.Equal((string)manifest["Author"]!, _package.Metadata("authors"));
        Assert.Equal((string)psData["ProjectUri"]!, _package.Metadata("projectUrl"));
        Assert.Equal((string)psData["ReleaseNotes"]!, _package.Metadata("releaseNotes"));
        Assert.Equal("MIT", _package.Metadata("license"));
        // SecretManagement is an external dependency: Install-PSResource must not try to install it.
        Assert.Null(_package.Metadata("dependencies"));
    }

    [Fact]
    public void Nuspec_tags_are_PowerShellGets_plus_the_manifests()
    {
        Hashtable manifest = RepoManifest;
        string[] tags = _package.Metadata("tags")!.Split(' ', StringSplitOptions.RemoveEmptyEntries);

        Assert.Equal("PSModule", tags[0]);
        Assert.Contains("PSEdition_Core", tags);
        Assert.DoesNotContain("PSEdition_Desktop", tags);
        Assert.Contains("PSIncludes_Cmdlet", tags);
        Assert.All(Cmdlets(manifest), c =>
        {
            Assert.Contains("PSCmdlet_" + c, tags);
            Assert.Contains("PSCommand_" + c, tags);
        });
        Assert.Equal(2 * Cmdlets(manifest).Length, tags.Count(t => t.StartsWith("PSCmdlet_", StringComparison.Ordinal) || t.StartsWith("PSCommand_", StringComparison.Ordinal)));
        Assert.All(((object[])PSData(manifest)["Tags"]!).Cast<string>(), t => Assert.Contains(t, tags));
        Assert.Equal(tags.Length, tags.Distinct(StringComparer.OrdinalIgnoreCase).Count());
    }

    [Fact]
    public void Manifest_declares_what_a_gallery_needs()
    {
        Hashtable manifest = _package.Manifest;
        Hashtable psData = PSData(manifest);

        Assert.Equal("FhirSecurity.dll", manifest["RootModule"]);
        Assert.Equal(["Core"], ((object[])manifest["CompatiblePSEditions"]!).Cast<string>());
        Assert.Equal("7.4", manifest["PowerShellVersion"]);
        Assert.True(Guid.TryParse((string)manifest["GUID"]!, out _));
        Assert.False(string.IsNullOrWhiteSpace((string?)manifest["Description"]));
        Assert.False(string.IsNullOrWhiteSpace((string?)manifest["Author"]));
        Assert.Equal(["Microsoft.PowerShell.SecretManagement"], ((object[])psData["ExternalModuleDependencies"]!).Cast<string>());
        Assert.Null(manifest["RequiredModules"]);
        Assert.DoesNotContain(Cmdlets(manifest), c => c.Contains('*'));
        Assert.Empty((object[])manifest["FunctionsToExport"]!);
        Assert.Empty((object[])manifest["AliasesToExport"]!);
        Assert.Empty((object[])manifest["VariablesToExport"]!);
        Assert.StartsWith("https://", (string)psData["ProjectUri"]!);
        Assert.StartsWith("https://", (string)psData["LicenseUri"]!);
        Assert.False(string.IsNullOrWhiteSpace((string?)psData["ReleaseNotes"]));
        Assert.NotEmpty((object[])psData["Tags"]!);
        Assert.Contains("MIT License", File.ReadAllText(Path.Combine(RepoPaths.Root, "LICENSE")));
    }

    [Fact]
    public void Manifest_lists_exactly_the_cmdlets_the_assembly_defines()
    {
        string dll = Path.Combine(Path.GetDirectoryName(RepoPaths.ModuleManifest)!, "FhirSecurity.dll");
        PsResult all = Run("Remove-Module FhirSecurity; (Import-Module -Name $dll -PassThru).ExportedCmdlets.Keys", new Dictionary<string, object?> { ["dll"] = dll });

        Assert.Empty(all.Errors);
        Assert.Equal(
            Cmdlets(RepoManifest).Order(StringComparer.OrdinalIgnoreCase),
            all.Output.Select(o => o.BaseObject.ToString()!).Order(StringComparer.OrdinalIgnoreCase));
    }
}
