using System.Management.Automation;
using System.Reflection;
using System.Reflection.Metadata;
using System.Reflection.PortableExecutable;
using System.Runtime.Loader;
using FhirSecurity.Tests.Harness;
using Xunit;

namespace FhirSecurity.Tests;

/// <summary>
/// The built module folder keeps the load-context rules: the cmdlet assembly references nothing that lives in
/// Dependencies/ except the engine, and its public surface shows neither engine nor Firely types.
/// </summary>
public sealed class ModuleLayoutTests : HostedEngineTest
{
    private static string ModuleDir => Path.GetDirectoryName(RepoPaths.ModuleManifest)!;

    private static string DependencyDir => Path.Combine(ModuleDir, "Dependencies");

    private static HashSet<string> IsolatedAssemblies
        => Directory.GetFiles(DependencyDir, "*.dll").Select(Path.GetFileNameWithoutExtension).ToHashSet(StringComparer.OrdinalIgnoreCase)!;

    [Fact]
    public void Module_folder_holds_the_cmdlet_assembly_and_isolates_everything_else()
    {
        Assert.True(File.Exists(Path.Combine(ModuleDir, "FhirSecurity.dll")));
        Assert.True(File.Exists(Path.Combine(ModuleDir, "FhirSecurity.Format.ps1xml")));
        Assert.Contains("FhirSecurity.Core", IsolatedAssemblies);
        Assert.Contains("Hl7.Fhir.R4", IsolatedAssemblies);
        Assert.Equal(["FhirSecurity.dll"], Directory.GetFiles(ModuleDir, "*.dll").Select(Path.GetFileName));
    }

    [Fact]
    public void Cmdlet_assembly_references_no_isolated_assembly_but_the_engine()
    {
        using var stream = File.OpenRead(Path.Combine(ModuleDir, "FhirSecurity.dll"));
        using var pe = new PEReader(stream);
        MetadataReader reader = pe.GetMetadataReader();
        string[] references = reader.AssemblyReferences.Select(h => reader.GetString(reader.GetAssemblyReference(h).Name)).ToArray();

        Assert.Contains("FhirSecurity.Core", references);
        // A framework assembly a dependency brings a newer package of (System.Text.Json for Azure.Identity) may sit in
        // Dependencies/ too: the cmdlets take the framework's from the default context, and no type of it crosses.
        Assert.DoesNotContain(
            references, r => IsolatedAssemblies.Contains(r) && r != "FhirSecurity.Core" && !IsFrameworkAssembly(r));
    }

    private static bool IsFrameworkAssembly(string name)
        => File.Exists(Path.Combine(System.Runtime.InteropServices.RuntimeEnvironment.GetRuntimeDirectory(), name + ".dll"));

    [Fact]
    public void Public_surface_of_the_cmdlet_assembly_shows_no_engine_or_Firely_type()
    {
        var context = new InspectionLoadContext(DependencyDir);
        try
        {
            Assembly cmdlets = context.LoadFromAssemblyPath(Path.Combine(ModuleDir, "FhirSecurity.dll"));
            string[] leaks = cmdlets.GetExportedTypes()
                .SelectMany(PublicSignatureTypes)
                .Where(t => IsolatedAssemblies.Contains(t.Assembly.GetName().Name!))
                .Select(t => t.FullName!)
                .Distinct()
                .ToArray();

            Assert.Empty(leaks);
        }
        finally
        {
            context.Unload();
        }
    }

    [Theory]
    [InlineData("FhirSecurity.FhirClientAuthentication", "FhirSecurity.Core.Definitions.OAuthClientAuthentication")]
    [InlineData("FhirSecurity.FhirJwtAlgorithm", "FhirSecurity.Core.Definitions.JwtSigningAlgorithm")]
    [InlineData("FhirSecurity.FhirTlsValidation", "FhirSecurity.Core.Definitions.TlsValidationMode")]
    [InlineData("FhirSecurity.FhirRevocationMode", "FhirSecurity.Core.Definitions.RevocationCheckMode")]
    [InlineData("FhirSecurity.FhirTestStatus", "FhirSecurity.Core.Diagnostics.ConnectionTestStatus")]
    [InlineData("FhirSecurity.FhirBulkExportLevel", "FhirSecurity.Core.Bulk.BulkExportLevel")]
    [InlineData("FhirSecurity.FhirBulkFileKind", "FhirSecurity.Core.Bulk.BulkFileKind")]
    public void Each_view_enum_has_exactly_the_members_of_its_engine_enum(string viewEnum, string engineEnum)
    {
        // Views map engine values by name and refuse one they lack: a member added on one side only must fail here,
        // not show as some default in a user's console.
        var context = new InspectionLoadContext(DependencyDir);
        try
        {
            Assembly cmdlets = context.LoadFromAssemblyPath(Path.Combine(ModuleDir, "FhirSecurity.dll"));
            Assembly engine = context.LoadFromAssemblyPath(Path.Combine(DependencyDir, "FhirSecurity.Core.dll"));

            Assert.Equal(
                Enum.GetNames(engine.GetType(engineEnum, throwOnError: true)!).Order(StringComparer.Ordinal),
                Enum.GetNames(cmdlets.GetType(viewEnum, throwOnError: true)!).Order(StringComparer.Ordinal));
        }
        finally
        {
            context.Unload();
        }
    }

    [Fact]
    public void Version_has_one_source_the_manifest()
    {
        PSModuleInfo module = (PSModuleInfo)Assert.Single(Run("Get-Module FhirSecurity").Output).BaseObject;
        Version assembly = AssemblyName.GetAssemblyName(Path.Combine(ModuleDir, "FhirSecurity.dll")).Version!;

        Assert.Equal(module.Version, new Version(assembly.Major, assembly.Minor, assembly.Build));
    }

    [Fact]
    public void Exported_cmdlets_are_the_manifest_list_and_each_declares_its_output()
    {
        PSModuleInfo module = (PSModuleInfo)Assert.Single(Run("Get-Module FhirSecurity").Output).BaseObject;
        string[] commands = Run("(Get-Command -Module FhirSecurity).Name").Output.Select(o => (string)o.BaseObject).Order().ToArray();

        Assert.Equal(module.ExportedCmdlets.Keys.Order(), commands);
        Assert.Equal(22, commands.Length);
        foreach (string name in commands)
        {
            var info = (CmdletInfo)Assert.Single(Run($"Get-Command {name}").Output).BaseObject;
            Assert.NotEmpty(info.ImplementingType.GetCustomAttributes(typeof(OutputTypeAttribute), inherit: false));
            Assert.True(info.ImplementingType.IsSealed, $"{name} should be sealed");
        }
    }

    private static IEnumerable<Type> PublicSignatureTypes(Type type)
    {
        const BindingFlags Visible = BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.Instance | BindingFlags.Static | BindingFlags.DeclaredOnly;
        var found = new List<Type>();
        if (type.BaseType is not null)
        {
            found.Add(type.BaseType);
        }

        found.AddRange(type.GetInterfaces());
        foreach (MemberInfo member in type.GetMembers(Visible))
        {
            switch (member)
            {
                case PropertyInfo p when (p.GetMethod ?? p.SetMethod) is { } accessor && IsVisible(accessor):
                    found.Add(p.PropertyType);
                    break;
                case FieldInfo f when f.IsPublic || f.IsFamily || f.IsFamilyOrAssembly:
                    found.Add(f.FieldType);
                    break;
                case MethodBase m when IsVisible(m):
                    found.AddRange(m.GetParameters().Select(p => p.ParameterType));
                    if (m is MethodInfo mi)
                    {
                        found.Add(mi.ReturnType);
                    }

                    break;
            }
        }

        return found.SelectMany(Expand);
    }

    private static bool IsVisible(MethodBase method) => method.IsPublic || method.IsFamily || method.IsFamilyOrAssembly;

    private static IEnumerable<Type> Expand(Type type)
    {
        if (type.HasElementType)
        {
            return Expand(type.GetElementType()!);
        }

        return type.IsGenericType ? type.GetGenericArguments().SelectMany(Expand).Append(type.GetGenericTypeDefinition()) : [type];
    }

    /// <summary>Loads the module's assemblies for inspection, resolving the engine from Dependencies/.</summary>
    private sealed class InspectionLoadContext(string dependencyDir) : AssemblyLoadContext("inspection", isCollectible: true)
    {
        protected override Assembly? Load(AssemblyName name)
        {
            string path = Path.Combine(dependencyDir, name.Name + ".dll");
            return File.Exists(path) ? LoadFromAssemblyPath(path) : null;
        }
    }
}
