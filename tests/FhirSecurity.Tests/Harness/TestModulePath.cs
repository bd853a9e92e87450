using System.Management.Automation.Runspaces;
using Microsoft.PowerShell.SecretManagement;

namespace FhirSecurity.Tests.Harness;

/// <summary>
/// Which SecretManagement a hosted session finds: the double, first on PSModulePath in front of the engine's default
/// folders (<see cref="SecretManagementModule.PutFirstOnModulePath"/>, which sessions call), and imported by path before anything can
/// auto-load another one; or none at all.
/// </summary>
internal static class TestModulePath
{
    private static readonly Lazy<string> s_empty = new(() =>
        Directory.CreateDirectory(Path.Combine(Path.GetTempPath(), "FhirSecurityTests-NoModules-" + Environment.ProcessId)).FullName);

    /// <summary>
    /// Leaves only an empty folder on PSModulePath: for a session already open, whose module lookups read the
    /// variable as they go, so not even an installed SecretManagement can be found.
    /// </summary>
    public static void UseNone() => Environment.SetEnvironmentVariable("PSModulePath", s_empty.Value);

    /// <summary>The default session state with the double imported by path (for sessions and runspace pools).</summary>
    public static InitialSessionState SessionStateWithDouble()
    {
        InitialSessionState state = InitialSessionState.CreateDefault2();
        state.ImportPSModule([SecretManagementModule.ManifestPath]);
        return state;
    }
}
