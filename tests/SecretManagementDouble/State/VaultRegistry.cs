using System.Collections;
using System.Collections.ObjectModel;
using System.Management.Automation;

namespace Microsoft.PowerShell.SecretManagement;

/// <summary>What <see cref="VaultRegistry.Write"/> did.</summary>
internal enum WriteOutcome
{
    Written,
    MetadataNotSupported,
    InvalidValue,
}

/// <summary>
/// The process-wide registry and vault contents behind the cmdlets and <see cref="TestVaults"/>. Like the real
/// registry file and SecretStore file, it is shared by every runspace of the process; one lock keeps it consistent
/// when several runspaces use it at once.
/// </summary>
internal static class VaultRegistry
{
    private static readonly object s_gate = new();

    // Sorted by name, case-insensitively: the order the real module walks non-default vaults in.
    private static readonly SortedDictionary<string, Vault> s_vaults = new(StringComparer.OrdinalIgnoreCase);
    private static string? s_defaultVault;

    internal static int Count
    {
        get
        {
            lock (s_gate)
            {
                return s_vaults.Count;
            }
        }
    }

    internal static string? DefaultVaultName
    {
        get
        {
            lock (s_gate)
            {
                return s_defaultVault;
            }
        }
    }

    internal static void Reset()
    {
        lock (s_gate)
        {
            s_vaults.Clear();
            s_defaultVault = null;
        }
    }

    /// <summary>Vault names in search order: the default vault first, then the others by name.</summary>
    internal static IReadOnlyList<string> SearchOrder()
    {
        lock (s_gate)
        {
            var order = new List<string>(s_vaults.Count);
            if (s_defaultVault is not null)
            {
                order.Add(s_defaultVault);
            }

            order.AddRange(s_vaults.Keys.Where(name => !string.Equals(name, s_defaultVault, StringComparison.OrdinalIgnoreCase)));
            return order;
        }
    }

    /// <summary>Finds a vault by name, case-insensitively, and returns its registered spelling.</summary>
    internal static string? Resolve(string name)
    {
        lock (s_gate)
        {
            return s_vaults.TryGetValue(name, out Vault? vault) ? vault.Name : null;
        }
    }

    internal static IReadOnlyList<SecretVaultInfo> Describe()
    {
        lock (s_gate)
        {
            return s_vaults.Values
                .Select(vault => new SecretVaultInfo(
                    vault.Name,
                    vault.ModuleName,
                    vault.Description,
                    vault.VaultParameters,
                    string.Equals(vault.Name, s_defaultVault, StringComparison.OrdinalIgnoreCase)))
                .ToList();
        }
    }

    /// <summary>Registers a vault; false when the name is taken and <paramref name="allowClobber"/> is not set.</summary>
    internal static bool Register(
        string name,
        string moduleName,
        bool isDefault,
        bool supportsMetadata,
        string description,
        IDictionary? vaultParameters,
        bool allowClobber)
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        var parameters = new Dictionary<string, object>(StringComparer.OrdinalIgnoreCase);
        if (vaultParameters is not null)
        {
            foreach (DictionaryEntry entry in vaultParameters)
            {
                parameters[entry.Key.ToString()!] = SecretValues.Unwrap(entry.Value)!;
            }
        }

        lock (s_gate)
        {
            if (s_vaults.TryGetValue(name, out Vault? existing) && !allowClobber)
            {
                return false;
            }

            var vault = new Vault(name, moduleName, supportsMetadata, description, new ReadOnlyDictionary<string, object>(parameters));
            if (existing is not null)
            {
                // Re-registering changes the registration, not the store behind it.
                foreach (KeyValuePair<string, StoredSecret> secret in existing.Secrets)
                {
                    vault.Secrets.Add(secret.Key, secret.Value);
                }

                vault.Locked = existing.Locked;
                s_vaults.Remove(name);
            }

            s_vaults.Add(name, vault);

            // SecretManagement makes the first registered vault the default one.
            if (isDefault || s_defaultVault is null)
            {
                s_defaultVault = name;
            }

            return true;
        }
    }

    internal static bool Unregister(string name)
    {
        lock (s_gate)
        {
            if (!s_vaults.Remove(name))
            {
                return false;
            }

            if (string.Equals(s_defaultVault, name, StringComparison.OrdinalIgnoreCase))
            {
                s_defaultVault = null;
            }

            return true;
        }
    }

    /// <summary>Makes a vault the default one, or clears the default for null; false when the vault is unknown.</summary>
    internal static bool SetDefault(string? name)
    {
        lock (s_gate)
        {
            if (name is null)
            {
                s_defaultVault = null;
                return true;
            }

            if (!s_vaults.TryGetValue(name, out Vault? vault))
            {
                return false;
            }

            s_defaultVault = vault.Name;
            return true;
        }
    }

    /// <summary>Reads one secret as a fresh copy; null when absent. Throws as SecretStore does when locked.</summary>
    internal static StoredSecret? Read(string vaultName, string name, bool countCall)
    {
        lock (s_gate)
        {
            Vault vault = Get(vaultName);
            if (countCall)
            {
                vault.GetSecretCalls++;
            }

            ThrowIfLocked(vault);
            return vault.Secrets.TryGetValue(name, out StoredSecret? secret)
                ? new StoredSecret(secret.Name, SecretValues.Copy(secret.Value), new Dictionary<string, object>(secret.Metadata))
                : null;
        }
    }

    internal static IReadOnlyList<SecretInformation> Enumerate(string vaultName, WildcardPattern pattern)
    {
        lock (s_gate)
        {
            Vault vault = Get(vaultName);
            vault.GetSecretInfoCalls++;
            ThrowIfLocked(vault);
            return vault.Secrets.Values
                .Where(secret => pattern.IsMatch(secret.Name))
                .OrderBy(secret => secret.Name, StringComparer.OrdinalIgnoreCase)
                .Select(secret => new SecretInformation(
                    secret.Name,
                    secret.Type,
                    vault.Name,
                    new ReadOnlyDictionary<string, object>(new Dictionary<string, object>(secret.Metadata))))
                .ToList();
        }
    }

    /// <summary>
    /// Stores a copy of the value, replacing an existing secret of the same name and its metadata (metadata not given
    /// again is dropped, as in SecretStore). Nothing is written unless every check passes.
    /// </summary>
    internal static WriteOutcome Write(string vaultName, string name, object? value, Hashtable? metadata, out string? problem)
    {
        lock (s_gate)
        {
            Vault vault = Get(vaultName);
            vault.SetSecretCalls++;
            problem = null;
            if (metadata is { Count: > 0 } && !vault.SupportsMetadata)
            {
                return WriteOutcome.MetadataNotSupported;
            }

            ThrowIfLocked(vault);
            problem = SecretValues.Validate(value) ?? (metadata is null ? null : SecretValues.ValidateMetadata(metadata));
            if (problem is not null)
            {
                return WriteOutcome.InvalidValue;
            }

            StoreLocked(vault, name, value!, metadata);
            return WriteOutcome.Written;
        }
    }

    /// <summary>Removes a secret; false when it is absent. Throws as SecretStore does when locked.</summary>
    internal static bool Remove(string vaultName, string name)
    {
        lock (s_gate)
        {
            Vault vault = Get(vaultName);
            vault.RemoveSecretCalls++;
            ThrowIfLocked(vault);
            return vault.Secrets.Remove(name);
        }
    }

    internal static void SetLocked(string vaultName, bool locked)
    {
        lock (s_gate)
        {
            Get(vaultName).Locked = locked;
        }
    }

    /// <summary>Writes without counting, checking the lock or the metadata support: another process at work.</summary>
    internal static void WriteRaw(string vaultName, string name, object value, IDictionary? metadata)
    {
        string? problem = SecretValues.Validate(value);
        if (problem is not null)
        {
            throw new ArgumentException(problem, nameof(value));
        }

        lock (s_gate)
        {
            StoreLocked(Get(vaultName), name, value, metadata);
        }
    }

    internal static bool RemoveRaw(string vaultName, string name)
    {
        lock (s_gate)
        {
            return Get(vaultName).Secrets.Remove(name);
        }
    }

    internal static VaultSnapshot Snapshot(string vaultName)
    {
        lock (s_gate)
        {
            Vault vault = Get(vaultName);
            return new VaultSnapshot(vault.Secrets.Values.ToDictionary(
                secret => secret.Name,
                secret => new SecretSnapshot(
                    secret.Type,
                    SecretValues.ToComparableString(secret.Value),
                    new ReadOnlyDictionary<string, object>(new Dictionary<string, object>(secret.Metadata))),
                StringComparer.OrdinalIgnoreCase));
        }
    }

    internal static VaultCallCounts Calls(string vaultName)
    {
        lock (s_gate)
        {
            return s_vaults.TryGetValue(vaultName, out Vault? vault)
                ? new VaultCallCounts(vault.GetSecretCalls, vault.GetSecretInfoCalls, vault.SetSecretCalls, vault.RemoveSecretCalls)
                : default;
        }
    }

    internal static void ResetCalls()
    {
        lock (s_gate)
        {
            foreach (Vault vault in s_vaults.Values)
            {
                vault.GetSecretCalls = vault.GetSecretInfoCalls = vault.SetSecretCalls = vault.RemoveSecretCalls = 0;
            }
        }
    }

    private static void StoreLocked(Vault vault, string name, object value, IDictionary? metadata)
    {
        // Keep the spelling of an existing name on overwrite (unverified against SecretStore; names match case-insensitively).
        string storedName = vault.Secrets.TryGetValue(name, out StoredSecret? existing) ? existing.Name : name;
        vault.Secrets[storedName] = new StoredSecret(storedName, SecretValues.Copy(value), SecretValues.CopyMetadata(metadata));
    }

    private static Vault Get(string vaultName)
        => s_vaults.TryGetValue(vaultName, out Vault? vault)
            ? vault
            : throw new ArgumentException($"Vault '{vaultName}' is not registered.", nameof(vaultName));

    private static void ThrowIfLocked(Vault vault)
    {
        if (vault.Locked)
        {
            throw new PasswordRequiredException(PasswordRequiredException.SecretStoreMessage);
        }
    }
}
