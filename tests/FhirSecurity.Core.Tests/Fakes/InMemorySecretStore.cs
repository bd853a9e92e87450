using System.Text.RegularExpressions;
using FhirSecurity.Core.Errors;
using FhirSecurity.Core.Storage;

namespace FhirSecurity.Core.Tests.Fakes;

/// <summary>
/// An <see cref="ISecretStore"/> in memory for engine tests: vaults with a default, wildcard listing, and a
/// switch that makes a vault fail like a locked SecretStore. Names are case-insensitive, as in SecretStore.
/// </summary>
internal sealed class InMemorySecretStore : ISecretStore
{
    private readonly List<VaultInfo> _vaults = [];
    private readonly Dictionary<string, Dictionary<string, string>> _secrets = new(StringComparer.OrdinalIgnoreCase);
    private readonly HashSet<string> _locked = new(StringComparer.OrdinalIgnoreCase);

    public int Writes { get; private set; }

    public InMemorySecretStore AddVault(string name, bool isDefault = false)
    {
        _vaults.Add(new VaultInfo(name, "Microsoft.PowerShell.SecretStore", isDefault));
        _secrets[name] = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        return this;
    }

    public void Lock(string vault) => _locked.Add(vault);

    /// <summary>Every secret of a vault, for "the vault is exactly as it was" assertions.</summary>
    public IReadOnlyDictionary<string, string> Snapshot(string vault) => new Dictionary<string, string>(_secrets[vault], StringComparer.OrdinalIgnoreCase);

    public void WriteRaw(string vault, string name, string value) => _secrets[vault][name] = value;

    public IReadOnlyList<VaultInfo> GetVaults() => _vaults.ToArray();

    public IReadOnlyList<SecretEntry> GetSecretInfo(string namePattern, string? vault)
    {
        var pattern = new Regex("^" + Regex.Escape(namePattern).Replace(@"\*", ".*").Replace(@"\?", ".") + "$", RegexOptions.IgnoreCase);
        return _secrets
            .Where(v => vault is null || string.Equals(v.Key, vault, StringComparison.OrdinalIgnoreCase))
            .SelectMany(v => v.Value.Keys.Where(n => pattern.IsMatch(n)).Select(n => new SecretEntry(n, v.Key)))
            .ToArray();
    }

    public string? GetSecret(string name, string vault)
    {
        ThrowIfLocked(vault);
        return _secrets[vault].TryGetValue(name, out string? value) ? value : null;
    }

    public void SetSecret(string name, string value, string vault, IReadOnlyDictionary<string, object> metadata, bool noClobber)
    {
        ThrowIfLocked(vault);
        Writes++;
        _secrets[vault][name] = value;
    }

    public void RemoveSecret(string name, string vault)
    {
        ThrowIfLocked(vault);
        Writes++;
        _secrets[vault].Remove(name);
    }

    private void ThrowIfLocked(string vault)
    {
        if (_locked.Contains(vault))
        {
            throw new FhirSecurityException(ErrorIds.SecretVaultLocked, FailureCategory.ResourceUnavailable, $"The vault '{vault}' is locked.", vault);
        }
    }
}
