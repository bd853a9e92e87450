using System.Management.Automation;

namespace FhirSecurity.Loading;

/// <summary>Runs when PowerShell imports the module, before any cmdlet touches the engine.</summary>
public sealed class ModuleInitializer : IModuleAssemblyInitializer
{
    /// <inheritdoc />
    public void OnImport() => DependencyLoadContext.Install();
}
