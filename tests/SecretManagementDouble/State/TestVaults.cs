using System.Collections;

namespace Microsoft.PowerShell.SecretManagement;

/// <summary>
/// The test-side controls of the SecretManagement double. The state is process-wide and shared with every
/// runspace that imports the double (as the real vault registry and SecretStore file are shared by every
/// session of a user); all members are thread-safe.
/// </summary>
public static class TestVaults
{
    /// <summary>The module name vaults are registered with unless told otherwise.</summary>
    public const string SecretStoreModuleName = "Microsoft.PowerShell.SecretStore";

    /// <summary>Removes every vault, secret and counter, and sets <see cref="CallLatency"/> back to 1 ms.</summary>
    public static void Reset()
    {
        VaultRegistry.Reset();
        ExtensionRunspace.ResetCollisions();
        ExtensionRunspace.Latency = TimeSpan.FromMilliseconds(1);
    }

    /// <summary>
    /// Registers an empty vault. The first vault registered becomes the default one, as in SecretManagement.
    /// Throws when the name is taken.
    /// </summary>
    public static void Register(string name, bool isDefault = false, bool supportsMetadata = true, string moduleName = SecretStoreModuleName)
    {
        if (!VaultRegistry.Register(name, moduleName, isDefault, supportsMetadata, string.Empty, null, allowClobber: false))
        {
            throw new InvalidOperationException($"Vault '{name}' is already registered.");
        }
    }

    /// <summary>Removes a vault and its contents; false when it was not registered.</summary>
    public static bool Unregister(string name) => VaultRegistry.Unregister(name);

    /// <summary>The default vault's name, or null.</summary>
    public static string? DefaultVault => VaultRegistry.DefaultVaultName;

    /// <summary>Makes a vault the default one (null: no default vault).</summary>
    public static void SetDefault(string? name)
    {
        if (!VaultRegistry.SetDefault(name))
        {
            throw new ArgumentException($"Vault '{name}' is not registered.", nameof(name));
        }
    }

    /// <summary>Locks or unlocks a vault, like a SecretStore whose password timeout passed / Unlock-SecretStore.</summary>
    public static void SetLocked(string vault, bool locked) => VaultRegistry.SetLocked(vault, locked);

    /// <summary>A read-only copy of a vault's contents, for asserting on it.</summary>
    public static VaultSnapshot Snapshot(string vault) => VaultRegistry.Snapshot(vault);

    /// <summary>
    /// Writes a secret as another process would: no counters, no lock check, metadata stored as given. The value
    /// must be of a type a vault can hold (string, SecureString, PSCredential, byte[], Hashtable).
    /// </summary>
    public static void WriteRaw(string vault, string name, object value, IDictionary? metadata = null)
        => VaultRegistry.WriteRaw(vault, name, value, metadata);

    /// <summary>Removes a secret as another process would; false when it was absent.</summary>
    public static bool RemoveRaw(string vault, string name) => VaultRegistry.RemoveRaw(vault, name);

    /// <summary>How many cmdlet invocations reached a vault since the last reset (zeros for an unknown vault).</summary>
    public static VaultCallCounts Calls(string vault) => VaultRegistry.Calls(vault);

    /// <summary>Sets every vault's counters (and the collision count) to zero; contents stay.</summary>
    public static void ResetCalls()
    {
        VaultRegistry.ResetCalls();
        ExtensionRunspace.ResetCollisions();
    }

    /// <summary>
    /// How long each Get-Secret, Get-SecretInfo, Set-Secret or Remove-Secret holds the shared extension runspace (1 ms
    /// unless set): calls that overlap it fail as the real module's do. Process-wide.
    /// </summary>
    public static TimeSpan CallLatency
    {
        get => ExtensionRunspace.Latency;
        set => ExtensionRunspace.Latency = value;
    }

    /// <summary>True while a vault call holds the shared extension runspace (for tests that make calls overlap).</summary>
    public static bool CallInFlight => ExtensionRunspace.Busy;

    /// <summary>How many vault calls failed because another one was running, since the last reset.</summary>
    public static long Collisions => ExtensionRunspace.Collisions;
}
