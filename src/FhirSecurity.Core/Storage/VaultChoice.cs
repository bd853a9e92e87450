using FhirSecurity.Core.Errors;

namespace FhirSecurity.Core.Storage;

/// <summary>
/// Which vault a command reads from or writes to. Writes go only to the vault the user chose: <c>-Vault</c>, else
/// the preference (<c>$env:FHIRSECURITY_VAULT</c>), else the default vault, so nothing lands in a vault the user
/// did not pick. Reads without a choice search every vault, the default first, as Get-Secret does.
/// </summary>
public sealed class VaultChoice
{
    /// <summary>The environment variable that names the vault to use when a command has no -Vault.</summary>
    public const string PreferenceVariable = "FHIRSECURITY_VAULT";

    private readonly ISecretStore _secrets;

    /// <summary>Creates the choice over the vaults of a secret store.</summary>
    /// <param name="secrets">The vaults.</param>
    /// <param name="preferredVault">The user's vault preference, or null.</param>
    public VaultChoice(ISecretStore secrets, string? preferredVault)
    {
        _secrets = secrets;
        Preferred = string.IsNullOrWhiteSpace(preferredVault) ? null : preferredVault.Trim();
    }

    /// <summary>The user's vault preference, or null.</summary>
    public string? Preferred { get; }

    /// <summary>The vault a write goes to. Throws when there is none or the chosen one is not registered.</summary>
    public string ResolveWriteVault(string? requested)
    {
        IReadOnlyList<VaultInfo> vaults = RegisteredVaults();
        string? chosen = requested ?? Preferred;
        if (chosen is not null)
        {
            return FindVault(vaults, chosen, requested is null).Name;
        }

        return vaults.FirstOrDefault(v => v.IsDefault)?.Name
            ?? throw new FhirSecurityException(
                ErrorIds.SecretVaultNoDefault,
                FailureCategory.ResourceUnavailable,
                $"No vault was chosen and no default vault is set. Pass -Vault, set ${PreferenceVariable}, or make"
                + " a vault the default: Set-SecretVaultDefault -Name <vault>.");
    }

    /// <summary>The vaults a read searches, in order: the chosen one, else every vault, default first.</summary>
    public IReadOnlyList<string> ReadVaults(string? requested)
    {
        IReadOnlyList<VaultInfo> vaults = RegisteredVaults();
        string? chosen = requested ?? Preferred;
        return chosen is not null
            ? [FindVault(vaults, chosen, requested is null).Name]
            : vaults.OrderByDescending(v => v.IsDefault).Select(v => v.Name).ToArray();
    }

    /// <summary>The registered vaults; throws <c>SecretVaultNotRegistered</c> when there are none.</summary>
    public IReadOnlyList<VaultInfo> RegisteredVaults()
    {
        IReadOnlyList<VaultInfo> vaults = _secrets.GetVaults();
        return vaults.Count > 0
            ? vaults
            : throw new FhirSecurityException(
                ErrorIds.SecretVaultNotRegistered,
                FailureCategory.ResourceUnavailable,
                "No SecretManagement vault is registered. Register one first, for example: Install-Module"
                + " Microsoft.PowerShell.SecretStore; Register-SecretVault -Name FhirVault -ModuleName"
                + " Microsoft.PowerShell.SecretStore -DefaultVault");
    }

    /// <summary>
    /// The registered vault named <paramref name="name"/>; throws <c>SecretVaultNotFound</c>, naming the
    /// preference variable when that is where the name came from.
    /// </summary>
    public static VaultInfo FindVault(IReadOnlyList<VaultInfo> vaults, string name, bool fromPreference)
        => vaults.FirstOrDefault(v => string.Equals(v.Name, name, StringComparison.OrdinalIgnoreCase))
           ?? throw new FhirSecurityException(
               ErrorIds.SecretVaultNotFound,
               FailureCategory.ObjectNotFound,
               fromPreference
                   ? $"The vault '{name}' named by ${PreferenceVariable} is not registered. Registered vaults:"
                     + $" {string.Join(", ", vaults.Select(v => v.Name))}. Fix the variable or run"
                     + " Register-SecretVault."
                   : $"The vault '{name}' is not registered. Registered vaults:"
                     + $" {string.Join(", ", vaults.Select(v => v.Name))}. Check the name (Get-SecretVault) or run"
                     + " Register-SecretVault.",
               name);
}
