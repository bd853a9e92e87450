using System.Collections;
using System.Diagnostics.CodeAnalysis;

namespace Microsoft.PowerShell.SecretManagement;

/// <summary>
/// A read-only copy of one vault's contents: secret names (case-insensitive) to <see cref="SecretSnapshot"/>.
/// Two snapshots are equal when they hold the same names with equal secrets, so a test can assert that an
/// operation left a vault exactly as it was.
/// </summary>
public sealed class VaultSnapshot : IReadOnlyDictionary<string, SecretSnapshot>, IEquatable<VaultSnapshot>
{
    private readonly Dictionary<string, SecretSnapshot> _secrets;

    internal VaultSnapshot(Dictionary<string, SecretSnapshot> secrets) => _secrets = secrets;

    /// <inheritdoc />
    public int Count => _secrets.Count;

    /// <inheritdoc />
    public IEnumerable<string> Keys => _secrets.Keys;

    /// <inheritdoc />
    public IEnumerable<SecretSnapshot> Values => _secrets.Values;

    /// <inheritdoc />
    public SecretSnapshot this[string key] => _secrets[key];

    /// <inheritdoc />
    public bool ContainsKey(string key) => _secrets.ContainsKey(key);

    /// <inheritdoc />
    public bool TryGetValue(string key, [MaybeNullWhen(false)] out SecretSnapshot value) => _secrets.TryGetValue(key, out value);

    /// <inheritdoc />
    public IEnumerator<KeyValuePair<string, SecretSnapshot>> GetEnumerator() => _secrets.GetEnumerator();

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();

    /// <inheritdoc />
    public bool Equals(VaultSnapshot? other)
        => other is not null
            && Count == other.Count
            && _secrets.All(pair => other._secrets.TryGetValue(pair.Key, out SecretSnapshot? secret)
                && other._secrets.Keys.Contains(pair.Key, StringComparer.Ordinal)
                && pair.Value.Equals(secret));

    /// <inheritdoc />
    public override bool Equals(object? obj) => Equals(obj as VaultSnapshot);

    /// <inheritdoc />
    public override int GetHashCode() => Count;

    /// <summary>Names, types, value fingerprints and metadata; never values.</summary>
    public override string ToString()
        => "{" + string.Join("; ", _secrets.OrderBy(pair => pair.Key, StringComparer.OrdinalIgnoreCase).Select(pair => $"{pair.Key}: {pair.Value}")) + "}";
}
