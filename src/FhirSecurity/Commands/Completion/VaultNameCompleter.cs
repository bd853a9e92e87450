using System.Collections;
using System.Management.Automation;
using System.Management.Automation.Language;

namespace FhirSecurity.Commands;

/// <summary>Completes -Vault from Get-SecretVault; names with spaces come back quoted.</summary>
public sealed class VaultNameCompleter : IArgumentCompleter
{
    /// <inheritdoc />
    public IEnumerable<CompletionResult> CompleteArgument(
        string commandName,
        string parameterName,
        string wordToComplete,
        CommandAst commandAst,
        IDictionary fakeBoundParameters)
        => NameCompletion.Vaults(wordToComplete);
}
