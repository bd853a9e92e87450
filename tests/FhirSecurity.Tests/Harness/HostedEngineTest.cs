using Microsoft.PowerShell.SecretManagement;

namespace FhirSecurity.Tests.Harness;

/// <summary>
/// Base class for tests that drive the hosted engine: before each test (xunit makes one instance per test) the
/// vault state is reset and <see cref="DefaultVault"/> is registered as the default vault with metadata support.
/// <see cref="Session"/> opens on first use, with the SecretManagement double on PSModulePath.
/// </summary>
public abstract class HostedEngineTest : IDisposable
{
    /// <summary>The vault every test starts with.</summary>
    public const string DefaultVault = "TestVault";

    private PsSession? _session;

    /// <summary>Resets the vaults and registers <see cref="DefaultVault"/>.</summary>
    protected HostedEngineTest()
    {
        TestVaults.Reset();
        TestVaults.Register(DefaultVault, isDefault: true, supportsMetadata: true);
    }

    /// <summary>A session with the module imported and SecretManagement available.</summary>
    protected PsSession Session => _session ??= PsSession.Create();

    /// <summary>Runs a script in <see cref="Session"/>.</summary>
    protected PsResult Run(string script, IDictionary<string, object?>? variables = null) => Session.Run(script, variables);

    /// <summary>Releases what a test class made itself (servers, temp folders); runs before the session closes.</summary>
    protected virtual void Cleanup()
    {
    }

    /// <inheritdoc />
    public void Dispose()
    {
        Cleanup();
        _session?.Dispose();
        TestVaults.Reset();
        GC.SuppressFinalize(this);
    }
}
