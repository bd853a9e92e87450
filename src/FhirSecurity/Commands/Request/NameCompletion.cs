using System.Collections;
using System.Management.Automation;
using FhirSecurity.Core.Definitions;
using FhirSecurity.Core.Errors;
using FhirSecurity.Vaults;

namespace FhirSecurity.Commands;

/// <summary>Definition names for tab completion, matched with wildcards and quoted when needed.</summary>
internal static class NameCompletion
{
    public static IEnumerable<CompletionResult> Complete(DefinitionKind kind, string wordToComplete, IDictionary boundParameters)
    {
        string typed = wordToComplete.Trim('\'', '"');
        string? vault = boundParameters["Vault"] as string ?? Environment.GetEnvironmentVariable("FHIRSECURITY_VAULT");
        IReadOnlyList<Core.Storage.SecretEntry> entries;
        try
        {
            entries = new SecretManagementStore().GetSecretInfo(DefinitionName.ToSecretName(kind, string.Empty) + "*", string.IsNullOrEmpty(vault) ? null : vault);
        }
        catch (FhirSecurityException)
        {
            // No SecretManagement, no vault, a locked vault: nothing to offer, and completion must not throw.
            return [];
        }

        var pattern = new WildcardPattern(typed + "*", WildcardOptions.IgnoreCase);
        return entries
            .Select(e => DefinitionName.FromSecretName(kind, e.Name))
            .OfType<string>()
            .Where(pattern.IsMatch)
            .Distinct(StringComparer.OrdinalIgnoreCase)
            .Order(StringComparer.OrdinalIgnoreCase)
            .Select(name => new CompletionResult(name, name, CompletionResultType.ParameterValue, $"{kind.Describe()} {name}"))
            .ToArray();
    }
}
