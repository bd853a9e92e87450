namespace Microsoft.PowerShell.SecretManagement;

/// <summary>A registered vault and its contents. Guarded by <see cref="VaultRegistry"/>'s lock.</summary>
internal sealed class Vault
{
    internal Vault(string name, string moduleName, bool supportsMetadata, string description, IReadOnlyDictionary<string, object> vaultParameters)
    {
        Name = name;
        ModuleName = moduleName;
        SupportsMetadata = supportsMetadata;
        Description = description;
        VaultParameters = vaultParameters;
    }

    internal string Name { get; }

    internal string ModuleName { get; }

    internal bool SupportsMetadata { get; }

    internal string Description { get; }

    internal IReadOnlyDictionary<string, object> VaultParameters { get; }

    internal bool Locked { get; set; }

    /// <summary>Secret names are case-insensitive, as in SecretStore.</summary>
    internal Dictionary<string, StoredSecret> Secrets { get; } = new(StringComparer.OrdinalIgnoreCase);

    internal int GetSecretCalls { get; set; }

    internal int GetSecretInfoCalls { get; set; }

    internal int SetSecretCalls { get; set; }

    internal int RemoveSecretCalls { get; set; }
}
