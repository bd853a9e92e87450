using System.Diagnostics;
using System.Reflection;
using System.Runtime.Loader;

namespace FhirSecurity.IsolationHost;

/// <summary>One loaded assembly and the load context that holds it.</summary>
/// <param name="Name">Simple name.</param>
/// <param name="Version">Assembly version (what binding compares).</param>
/// <param name="FileVersion">File version (tells 13.0.1 from 13.0.4, which share assembly version 13.0.0.0).</param>
/// <param name="InformationalVersion">Package version as the assembly states it.</param>
/// <param name="Context">Name of its <see cref="AssemblyLoadContext"/>: "Default", or the module's "FhirSecurity".</param>
/// <param name="Location">The file it came from.</param>
internal sealed record LoadedAssembly(string Name, string? Version, string? FileVersion, string? InformationalVersion, string? Context, string Location)
{
    /// <summary>The assemblies whose versions the module must not share with the process.</summary>
    public static readonly string[] Watched = ["Newtonsoft.Json", "Hl7.Fhir.Base", "Hl7.Fhir.R4", "Azure.Core", "Azure.Identity"];

    /// <summary>Every loaded assembly named in <paramref name="names"/> (null: all), in every load context.</summary>
    public static List<LoadedAssembly> Find(IReadOnlyCollection<string>? names = null) =>
        [.. AppDomain.CurrentDomain.GetAssemblies()
            .Where(a => names is null || names.Contains(a.GetName().Name ?? string.Empty))
            .Select(Describe)
            .OrderBy(a => a.Name, StringComparer.Ordinal)
            .ThenBy(a => a.Context, StringComparer.Ordinal)];

    /// <summary>Names (and versions) of what sits in the load context called <paramref name="context"/>.</summary>
    public static List<string> InContext(string context) =>
        [.. Find().Where(a => a.Context == context).Select(a => $"{a.Name} {a.Version}")];

    /// <summary>
    /// Assemblies the module's context references, does not ship (the context loads whatever its folder has), and
    /// so took from the default context, less the shared framework: what the module shares with the rest of the
    /// process. Only references of what has loaded so far count.
    /// </summary>
    public static List<string> SharedFromDefault(string context)
    {
        Assembly[] all = AppDomain.CurrentDomain.GetAssemblies();
        Assembly[] isolated = [.. all.Where(a => AssemblyLoadContext.GetLoadContext(a)?.Name == context)];
        HashSet<string?> shipped = [.. isolated.Select(a => Path.GetDirectoryName(a.Location)).Distinct()
            .SelectMany(folder => Directory.EnumerateFiles(folder!, "*.dll"))
            .Select(Path.GetFileNameWithoutExtension)];
        string framework = Path.GetDirectoryName(typeof(object).Assembly.Location)!;
        return [.. isolated
            .SelectMany(a => a.GetReferencedAssemblies())
            .Select(reference => reference.Name)
            .Where(name => !shipped.Contains(name))
            .Distinct(StringComparer.Ordinal)
            .SelectMany(name => all.Where(a => a.GetName().Name == name && AssemblyLoadContext.GetLoadContext(a) == AssemblyLoadContext.Default))
            .Where(a => !a.IsDynamic && Path.GetDirectoryName(a.Location) != framework)
            .Select(a => $"{a.GetName().Name} {a.GetName().Version} ({a.Location})")
            .Order(StringComparer.Ordinal)];
    }

    private static LoadedAssembly Describe(Assembly assembly)
    {
        string location = assembly.IsDynamic ? string.Empty : assembly.Location;
        return new LoadedAssembly(
            assembly.GetName().Name ?? string.Empty,
            assembly.GetName().Version?.ToString(),
            location.Length > 0 ? FileVersionInfo.GetVersionInfo(location).FileVersion : null,
            assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion,
            AssemblyLoadContext.GetLoadContext(assembly)?.Name,
            location);
    }
}
