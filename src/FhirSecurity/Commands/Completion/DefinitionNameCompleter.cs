using System.Collections;
using System.Management.Automation;
using FhirSecurity.Core.Definitions;

namespace FhirSecurity.Commands;

/// <summary>
/// Completes -Name of the Get-, Set- and Remove- cmdlets (declared by GetDefinitionCommand, SetDefinitionCommand and
/// RemoveDefinitionCommand, by the Set- cmdlets of the kinds with a base of their own, and by CaBundleWriteCommand
/// for Import- and Set-FhirCaBundle): the kind is the command's noun (Get-FhirOAuth: OAuth definitions), so one
/// completer serves every kind.
/// </summary>
public sealed class DefinitionNameCompleter : NameCompleter
{
    /// <inheritdoc />
    private protected override IEnumerable<CompletionResult> Complete(
        string commandName, string wordToComplete, IDictionary fakeBoundParameters)
        => KindOf(commandName) is { } kind
            ? NameCompletion.Definitions(kind, wordToComplete, fakeBoundParameters)
            : [];

    /// <summary>The kind a FhirSecurity command name is about (module-qualified or not), or null.</summary>
    internal static DefinitionKind? KindOf(string? commandName)
    {
        string noun = commandName?[(commandName.IndexOf('-', StringComparison.Ordinal) + 1)..] ?? string.Empty;
        foreach (DefinitionKind kind in Enum.GetValues<DefinitionKind>())
        {
            if (string.Equals(noun, kind.Noun(), StringComparison.OrdinalIgnoreCase))
            {
                return kind;
            }
        }

        return null;
    }
}
