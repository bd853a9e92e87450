using System.Collections;
using System.Management.Automation;
using System.Text.RegularExpressions;
using FhirSecurity.Core.Auth;
using FhirSecurity.Core.Definitions;
using FhirSecurity.Core.Errors;
using FhirSecurity.Loading;
using FhirSecurity.Vaults;

namespace FhirSecurity.Commands;

/// <summary>
/// What the argument completers share: where names come from (the vaults' secret info, never a secret value;
/// the vault registry; the token cache), wildcard matching of what was typed, and quoting. A completer that
/// cannot read its source offers nothing: completion never throws.
/// </summary>
internal static partial class NameCompletion
{
    /// <summary>
    /// Names of definitions of <paramref name="kind"/> in the vault the command line chose (-Vault,
    /// $env:FHIRSECURITY_VAULT, else every vault).
    /// </summary>
    public static IEnumerable<CompletionResult> Definitions(
        DefinitionKind kind, string wordToComplete, IDictionary fakeBoundParameters)
        => Match(wordToComplete, $"{kind.Describe()} ", () =>
        {
            using var scope = DependencyLoadContext.EnterScope();
            string? vault = fakeBoundParameters["Vault"] as string;
            if (string.IsNullOrEmpty(vault))
            {
                vault = Environment.GetEnvironmentVariable(Core.Storage.VaultChoice.PreferenceVariable);
            }

            return SecretManagementStore.Gated()
                .GetSecretInfo(
                    DefinitionName.ToSecretName(kind, string.Empty) + "*", string.IsNullOrEmpty(vault) ? null : vault)
                .Select(e => DefinitionName.FromSecretName(kind, e.Name))
                .OfType<string>()
                .ToArray();
        });

    /// <summary>The registered SecretManagement vaults.</summary>
    public static IEnumerable<CompletionResult> Vaults(string wordToComplete)
        => Match(
            wordToComplete, "vault ", () => SecretManagementStore.Gated().GetVaults().Select(v => v.Name).ToArray());

    /// <summary>The OAuth definitions this process holds tokens for.</summary>
    public static IEnumerable<CompletionResult> CachedOAuth(string wordToComplete)
        => Match(
            wordToComplete,
            "tokens of OAuth definition ",
            () => TokenCache.Shared.Snapshot().Select(e => e.OAuth).ToArray());

    /// <summary>
    /// The candidates that match what was typed (a prefix, wildcards allowed, any quotes ignored), sorted, each
    /// quoted when PowerShell would not read it back as one bare word.
    /// </summary>
    internal static IEnumerable<CompletionResult> Match(
        string wordToComplete, string tooltipPrefix, Func<IReadOnlyList<string>> candidates)
    {
        IReadOnlyList<string> names;
        try
        {
            names = candidates();
        }
        catch (Exception ex) when (ex is FhirSecurityException or RuntimeException or InvalidOperationException)
        {
            // No SecretManagement, no vault, a locked vault, a busy runspace: nothing to offer.
            return [];
        }

        char? quote = wordToComplete.Length > 0 && IsQuote(wordToComplete[0]) ? wordToComplete[0] : null;
        string typed = wordToComplete.Trim('\'', '"', '\u2018', '\u2019', '\u201C', '\u201D');
        var pattern = new WildcardPattern(typed + "*", WildcardOptions.IgnoreCase);
        return names
            .Where(name => name.Length > 0 && pattern.IsMatch(name))
            .Distinct(StringComparer.OrdinalIgnoreCase)
            .Order(StringComparer.OrdinalIgnoreCase)
            .Select(name => new CompletionResult(
                Quote(name, quote), name, CompletionResultType.ParameterValue, tooltipPrefix + name))
            .ToArray();
    }

    /// <summary>
    /// <paramref name="name"/> as a command-line argument: bare when it is a plain word, else in the quotes the
    /// user started with (single quotes by default), escaped.
    /// </summary>
    internal static string Quote(string name, char? quote = null)
    {
        if (quote is null && BareWord().IsMatch(name))
        {
            return name;
        }

        return quote is '"' or '\u201C' or '\u201D'
            ? "\"" + name.Replace("`", "``", StringComparison.Ordinal)
                .Replace("\"", "`\"", StringComparison.Ordinal)
                .Replace("$", "`$", StringComparison.Ordinal) + "\""
            : "'" + System.Management.Automation.Language.CodeGeneration.EscapeSingleQuotedStringContent(name) + "'";
    }

    private static bool IsQuote(char c) => c is '\'' or '"' or '\u2018' or '\u2019' or '\u201C' or '\u201D';

    // Starts with a letter (so never a number such as 1kb or 0x10), then letters, digits, '_', '-', '.'.
    [GeneratedRegex(@"^[\p{L}_][\p{L}\p{N}_.\-]*$")]
    private static partial Regex BareWord();
}
