using System.Reflection;
using System.Runtime.Loader;

namespace FhirSecurity.Loading;

/// <summary>
/// The private load context for FhirSecurity.Core and everything it depends on (Firely, and the versions of
/// System.* / Microsoft.Extensions.* packages it was built with), so the module works in a session where another
/// module already loaded other versions of them.
/// </summary>
internal sealed class DependencyLoadContext : AssemblyLoadContext
{
    private const string EngineAssemblyName = "FhirSecurity.Core";
    private static readonly object s_gate = new();
    private static DependencyLoadContext? s_instance;

    private readonly string _dependencyDirectory;

    private DependencyLoadContext(string dependencyDirectory)
        : base("FhirSecurity", isCollectible: false)
    {
        _dependencyDirectory = dependencyDirectory;
    }

    /// <summary>
    /// Routes the one assembly the cmdlets reference (FhirSecurity.Core) into the private context. Idempotent:
    /// importing the module again in another runspace of the same process reuses the context.
    /// </summary>
    public static void Install()
    {
        lock (s_gate)
        {
            if (s_instance is not null)
            {
                return;
            }

            string moduleDirectory = Path.GetDirectoryName(typeof(DependencyLoadContext).Assembly.Location)!;
            s_instance = new DependencyLoadContext(Path.Combine(moduleDirectory, "Dependencies"));
            Default.Resolving += ResolveEngine;
        }
    }

    /// <summary>
    /// Makes <see cref="Assembly.Load(AssemblyName)"/> resolve in the private context for the current flow of
    /// execution (async continuations included). Firely loads its model assemblies by name from inside LINQ, whose
    /// own context is the default one; without this it would find nothing there, or another module's version.
    /// </summary>
    public static ContextualReflectionScope EnterScope()
    {
        Install();
        return s_instance!.EnterContextualReflection();
    }

    private static Assembly? ResolveEngine(AssemblyLoadContext context, AssemblyName name)
        => name.Name == EngineAssemblyName ? s_instance?.LoadFromAssemblyName(name) : null;

    /// <inheritdoc />
    protected override Assembly? Load(AssemblyName assemblyName)
    {
        // Anything not shipped in Dependencies/ (the framework itself) comes from the default context.
        string path = Path.Combine(_dependencyDirectory, assemblyName.Name + ".dll");
        return File.Exists(path) ? LoadFromAssemblyPath(path) : null;
    }
}
