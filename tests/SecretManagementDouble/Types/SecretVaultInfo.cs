namespace Microsoft.PowerShell.SecretManagement;

/// <summary>What Get-SecretVault returns: shaped like the real <c>SecretVaultInfo</c> of 1.1.x.</summary>
public sealed class SecretVaultInfo
{
    internal SecretVaultInfo(
        string name, string moduleName, string description, IReadOnlyDictionary<string, object> vaultParameters, bool isDefault)
    {
        Name = name;
        ModuleName = moduleName;
        ModulePath = string.Empty;
        Description = description;
        VaultParameters = vaultParameters;
        IsDefault = isDefault;
    }

    /// <summary>The vault's registered name.</summary>
    public string Name { get; }

    /// <summary>The extension module that implements the vault.</summary>
    public string ModuleName { get; }

    /// <summary>Where the extension module lives; always empty in the double.</summary>
    public string ModulePath { get; }

    /// <summary>The optional description given at registration.</summary>
    public string Description { get; }

    /// <summary>The optional parameters given at registration.</summary>
    public IReadOnlyDictionary<string, object> VaultParameters { get; }

    /// <summary>True for the default vault.</summary>
    public bool IsDefault { get; }
}
