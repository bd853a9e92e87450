using System.Collections;
using System.Globalization;
using System.Management.Automation;
using System.Net;
using System.Security;
using System.Text;

namespace Microsoft.PowerShell.SecretManagement;

/// <summary>
/// Type rules and copying for secret values. The vault never shares an object with a caller: what goes in is
/// copied, what comes out is a fresh copy, so a caller that disposes or mutates its object cannot change the vault.
/// </summary>
internal static class SecretValues
{
    /// <summary>SecretStore's cap on Hashtable secrets.</summary>
    internal const int MaxHashtableEntries = 20;

    internal static object? Unwrap(object? value) => value is PSObject wrapped ? wrapped.BaseObject : value;

    internal static SecretType Classify(object? value) => Unwrap(value) switch
    {
        string => SecretType.String,
        SecureString => SecretType.SecureString,
        PSCredential => SecretType.PSCredential,
        byte[] => SecretType.ByteArray,
        Hashtable => SecretType.Hashtable,
        _ => SecretType.Unknown,
    };

    /// <summary>Checks a value against SecretStore's rules; returns the problem, or null when the value can be stored.</summary>
    internal static string? Validate(object? value)
    {
        object? item = Unwrap(value);
        switch (Classify(item))
        {
            case SecretType.Unknown:
                return string.Format(
                    CultureInfo.InvariantCulture,
                    "Invalid secret type {0}. Supported types are string, SecureString, PSCredential, Hashtable and byte[].",
                    item?.GetType().FullName ?? "null");
            case SecretType.Hashtable:
                var table = (Hashtable)item!;
                if (table.Count > MaxHashtableEntries)
                {
                    return string.Format(
                        CultureInfo.InvariantCulture,
                        "The Hashtable secret has {0} entries; a maximum of {1} entries is supported.",
                        table.Count,
                        MaxHashtableEntries);
                }

                foreach (DictionaryEntry entry in table)
                {
                    object? element = Unwrap(entry.Value);
                    if (element is not (string or byte[] or SecureString or PSCredential))
                    {
                        return string.Format(
                            CultureInfo.InvariantCulture,
                            "The Hashtable value for key {0} has type {1}; only string, byte[], SecureString and PSCredential values are supported.",
                            entry.Key,
                            element?.GetType().FullName ?? "null");
                    }
                }

                return null;
            default:
                return null;
        }
    }

    /// <summary>Checks metadata against SecretStore's rules (string, int, DateTime values).</summary>
    internal static string? ValidateMetadata(Hashtable metadata)
    {
        foreach (DictionaryEntry entry in metadata)
        {
            object? value = Unwrap(entry.Value);
            if (value is not (string or int or DateTime))
            {
                return string.Format(
                    CultureInfo.InvariantCulture,
                    "The metadata value for key {0} has type {1}; only string, int and DateTime values are supported.",
                    entry.Key,
                    value?.GetType().FullName ?? "null");
            }
        }

        return null;
    }

    internal static Dictionary<string, object> CopyMetadata(IDictionary? metadata)
    {
        // Same comparer as the real SecretInformation (a plain Dictionary): keys are case-sensitive.
        var copy = new Dictionary<string, object>();
        if (metadata is null)
        {
            return copy;
        }

        foreach (DictionaryEntry entry in metadata)
        {
            copy[Convert.ToString(Unwrap(entry.Key), CultureInfo.InvariantCulture) ?? string.Empty] = Unwrap(entry.Value)!;
        }

        return copy;
    }

    /// <summary>A private copy of a validated value.</summary>
    internal static object Copy(object value) => Unwrap(value) switch
    {
        string text => text,
        SecureString secure => CopySecure(secure),
        PSCredential credential => new PSCredential(credential.UserName, CopySecure(credential.Password)),
        byte[] bytes => (byte[])bytes.Clone(),
        Hashtable table => CopyTable(table),
        _ => throw new ArgumentException("Unsupported secret type.", nameof(value)),
    };

    /// <summary>A deterministic text form, for comparing vault contents in tests. Never shown to module users.</summary>
    internal static string ToComparableString(object value) => Unwrap(value) switch
    {
        string text => text,
        SecureString secure => new NetworkCredential(string.Empty, secure).Password,
        PSCredential credential => credential.UserName + "\n" + credential.GetNetworkCredential().Password,
        byte[] bytes => Convert.ToBase64String(bytes),
        Hashtable table => TableToComparableString(table),
        _ => throw new ArgumentException("Unsupported secret type.", nameof(value)),
    };

    private static SecureString CopySecure(SecureString secure)
    {
        SecureString copy = secure.Copy();
        copy.MakeReadOnly();
        return copy;
    }

    private static Hashtable CopyTable(Hashtable table)
    {
        var copy = new Hashtable(table.Count, StringComparer.OrdinalIgnoreCase);
        foreach (DictionaryEntry entry in table)
        {
            copy[Unwrap(entry.Key)!] = Copy(entry.Value!);
        }

        return copy;
    }

    private static string TableToComparableString(Hashtable table)
    {
        var builder = new StringBuilder();
        foreach (DictionaryEntry entry in table.Cast<DictionaryEntry>().OrderBy(e => e.Key.ToString(), StringComparer.Ordinal))
        {
            builder.Append(entry.Key).Append('=').Append(Classify(entry.Value)).Append(':')
                .Append(ToComparableString(entry.Value!)).Append(';');
        }

        return builder.ToString();
    }
}
