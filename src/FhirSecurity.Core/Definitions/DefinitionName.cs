using System.Text.RegularExpressions;
using FhirSecurity.Core.Errors;

namespace FhirSecurity.Core.Definitions;

/// <summary>
/// Definition names and the vault secret names made from them. Secret names keep to letters, digits and hyphens
/// (Azure Key Vault's rule, the strictest of the common vaults) so a definition can live in any vault.
/// </summary>
public static partial class DefinitionName
{
    /// <summary>What every secret this module writes starts with.</summary>
    public const string SecretPrefix = "FhirSecurity-";

    /// <summary>The longest name accepted; keeps secret names well under Key Vault's 127 characters.</summary>
    public const int MaxLength = 64;

    [GeneratedRegex("^[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?$")]
    private static partial Regex NamePattern();

    [GeneratedRegex("^[A-Za-z0-9*?-]+$")]
    private static partial Regex WildcardPattern();

    /// <summary>
    /// Throws <c>InvalidDefinitionName</c> unless <paramref name="name"/> is a valid definition name.
    /// </summary>
    public static void Validate(string? name, DefinitionKind kind)
    {
        if (string.IsNullOrEmpty(name) || name.Length > MaxLength || !NamePattern().IsMatch(name))
        {
            throw new FhirSecurityException(
                ErrorIds.InvalidDefinitionName,
                FailureCategory.InvalidArgument,
                $"'{name}' is not a valid name for a {kind.Describe()}. Use 1 to {MaxLength} letters, digits and"
                + " hyphens, starting and ending with a letter or digit, so that every vault (Azure Key Vault included)"
                + " can store it.",
                name);
        }
    }

    /// <summary>The vault secret name of a definition, e.g. <c>FhirSecurity-Connection-prod</c>.</summary>
    public static string ToSecretName(DefinitionKind kind, string name) => $"{SecretPrefix}{kind}-{name}";

    /// <summary>
    /// The Get-SecretInfo pattern for a wildcard name pattern (<c>*</c> and <c>?</c>). Throws
    /// <c>InvalidDefinitionName</c> for characters no definition name can contain.
    /// </summary>
    public static string ToSecretPattern(DefinitionKind kind, string pattern)
    {
        if (string.IsNullOrEmpty(pattern) || !WildcardPattern().IsMatch(pattern))
        {
            throw new FhirSecurityException(
                ErrorIds.InvalidDefinitionName,
                FailureCategory.InvalidArgument,
                $"'{pattern}' cannot match any {kind.Describe()} name: names hold only letters, digits and hyphens, and"
                + " patterns may add * and ?.",
                pattern);
        }

        return ToSecretName(kind, pattern);
    }

    /// <summary>The definition name inside a secret name of the given kind, or null when it is not one.</summary>
    public static string? FromSecretName(DefinitionKind kind, string secretName)
    {
        string prefix = ToSecretName(kind, string.Empty);
        return secretName.StartsWith(prefix, StringComparison.OrdinalIgnoreCase) && secretName.Length > prefix.Length
            ? secretName[prefix.Length..]
            : null;
    }
}
