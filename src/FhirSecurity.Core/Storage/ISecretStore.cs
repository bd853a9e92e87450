namespace FhirSecurity.Core.Storage;

/// <summary>
/// What the engine needs from a secret store: SecretManagement's commands, reduced to plain values. The module
/// implements it over Microsoft.PowerShell.SecretManagement; tests implement it in memory. Implementations throw
/// <c>FhirSecurityException</c> with the vault error ids (<c>SecretManagementNotInstalled</c>,
/// <c>SecretVaultLocked</c>, ...).
/// </summary>
public interface ISecretStore
{
    /// <summary>The registered vaults (Get-SecretVault).</summary>
    IReadOnlyList<VaultInfo> GetVaults();

    /// <summary>Secrets whose names match a wildcard pattern, in one vault or all (Get-SecretInfo).</summary>
    IReadOnlyList<SecretEntry> GetSecretInfo(string namePattern, string? vault);

    /// <summary>
    /// A string secret's text, or null when there is no secret of that name in the vault (Get-Secret -AsPlainText).
    /// </summary>
    string? GetSecret(string name, string vault);

    /// <summary>
    /// Writes a string secret, replacing any secret of that name unless <paramref name="noClobber"/> (Set-Secret).
    /// </summary>
    void SetSecret(
        string name,
        string value,
        string vault,
        IReadOnlyDictionary<string, object> metadata,
        bool noClobber);

    /// <summary>Removes a secret (Remove-Secret).</summary>
    void RemoveSecret(string name, string vault);
}

/// <summary>A registered vault.</summary>
/// <param name="Name">The vault name.</param>
/// <param name="ModuleName">The extension module that implements it.</param>
/// <param name="IsDefault">True for the default vault.</param>
public sealed record VaultInfo(string Name, string ModuleName, bool IsDefault);

/// <summary>A secret's name and where it is, without its value.</summary>
/// <param name="Name">The secret name.</param>
/// <param name="Vault">The vault that holds it.</param>
public sealed record SecretEntry(string Name, string Vault);
