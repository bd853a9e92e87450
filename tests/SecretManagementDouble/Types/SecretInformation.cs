using System.Collections.ObjectModel;

namespace Microsoft.PowerShell.SecretManagement;

/// <summary>What Get-SecretInfo returns: shaped like the real <c>SecretInformation</c> (immutable).</summary>
public sealed class SecretInformation
{
    /// <summary>Creates a secret description.</summary>
    public SecretInformation(string name, SecretType type, string vaultName, ReadOnlyDictionary<string, object> metadata)
    {
        Name = name;
        Type = type;
        VaultName = vaultName;
        Metadata = metadata;
    }

    /// <summary>The secret's name, as stored.</summary>
    public string Name { get; }

    /// <summary>The stored value's type.</summary>
    public SecretType Type { get; }

    /// <summary>The vault that holds the secret.</summary>
    public string VaultName { get; }

    /// <summary>Non-secret metadata; empty when none was stored.</summary>
    public ReadOnlyDictionary<string, object> Metadata { get; }
}
