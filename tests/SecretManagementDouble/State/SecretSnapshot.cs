using System.Collections.ObjectModel;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace Microsoft.PowerShell.SecretManagement;

/// <summary>
/// One secret as a vault held it at snapshot time. <see cref="Value"/> is a text form for comparison (SecureString
/// as its plain text, byte[] as Base64, PSCredential as user name and password, Hashtable as sorted entries).
/// Equality compares type, value and metadata; <see cref="ToString"/> shows a fingerprint, never the value.
/// </summary>
public sealed class SecretSnapshot : IEquatable<SecretSnapshot>
{
    internal SecretSnapshot(SecretType type, string value, ReadOnlyDictionary<string, object> metadata)
    {
        Type = type;
        Value = value;
        Metadata = metadata;
    }

    /// <summary>The stored value's type.</summary>
    public SecretType Type { get; }

    /// <summary>The stored value as comparable text.</summary>
    public string Value { get; }

    /// <summary>The stored metadata (empty when none).</summary>
    public ReadOnlyDictionary<string, object> Metadata { get; }

    /// <inheritdoc />
    public bool Equals(SecretSnapshot? other)
        => other is not null
            && Type == other.Type
            && string.Equals(Value, other.Value, StringComparison.Ordinal)
            && Metadata.Count == other.Metadata.Count
            && Metadata.All(pair => other.Metadata.TryGetValue(pair.Key, out object? value) && Equals(pair.Value, value));

    /// <inheritdoc />
    public override bool Equals(object? obj) => Equals(obj as SecretSnapshot);

    /// <inheritdoc />
    public override int GetHashCode() => HashCode.Combine(Type, Value, Metadata.Count);

    /// <inheritdoc />
    public override string ToString()
    {
        string fingerprint = Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(Value)))[..12];
        string metadata = string.Join(
            ", ",
            Metadata.OrderBy(pair => pair.Key, StringComparer.Ordinal)
                .Select(pair => string.Create(CultureInfo.InvariantCulture, $"{pair.Key}={pair.Value}")));
        return $"{Type} sha256:{fingerprint} {{{metadata}}}";
    }
}
