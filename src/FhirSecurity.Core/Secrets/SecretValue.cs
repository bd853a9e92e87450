using System.Security.Cryptography;
using System.Text;

namespace FhirSecurity.Core.Secrets;

/// <summary>
/// A password, client secret or private key held by the engine. It never shows itself: <see cref="ToString"/>,
/// records that contain it and debugger views print a placeholder. The plain text is reached only through
/// <see cref="Reveal"/>, at the moment it is put on the wire or into the vault document.
/// </summary>
public sealed class SecretValue : IEquatable<SecretValue>
{
    /// <summary>What every view of a secret shows instead of the secret.</summary>
    public const string Redacted = "********";

    private readonly string _value;

    /// <summary>Wraps a secret.</summary>
    public SecretValue(string value)
    {
        ArgumentNullException.ThrowIfNull(value);
        _value = value;
    }

    /// <summary>True when the secret is the empty string.</summary>
    public bool IsEmpty => _value.Length == 0;

    /// <summary>The plain text. Call it only where the secret is used.</summary>
    public string Reveal() => _value;

    /// <summary>
    /// A SHA-256 of the secret, hex. Used in cache keys so that a changed secret gets a new key, without the key
    /// holding the secret itself.
    /// </summary>
    public string Fingerprint() => Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(_value)));

    /// <summary>
    /// <paramref name="text"/> with every occurrence of each non-empty secret in <paramref name="secrets"/> replaced
    /// by <see cref="Redacted"/>: for text a server wrote, which may echo what it was sent.
    /// </summary>
    public static string RedactIn(string text, IEnumerable<string?> secrets)
    {
        foreach (string? secret in secrets)
        {
            if (!string.IsNullOrEmpty(secret))
            {
                text = text.Replace(secret, Redacted, StringComparison.Ordinal);
            }
        }

        return text;
    }

    /// <inheritdoc />
    public override string ToString() => Redacted;

    /// <inheritdoc />
    public bool Equals(SecretValue? other)
        => other is not null
           && CryptographicOperations.FixedTimeEquals(
               Encoding.UTF8.GetBytes(_value), Encoding.UTF8.GetBytes(other._value));

    /// <inheritdoc />
    public override bool Equals(object? obj) => Equals(obj as SecretValue);

    /// <inheritdoc />
    public override int GetHashCode() => 0; // Deliberately uninformative: a hash of the secret could leak it.
}
