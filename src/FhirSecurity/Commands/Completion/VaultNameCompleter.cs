using System.Collections;
using System.Management.Automation;

namespace FhirSecurity.Commands;

/// <summary>Completes -Vault from Get-SecretVault; names with spaces come back quoted.</summary>
public sealed class VaultNameCompleter : NameCompleter
{
    /// <inheritdoc />
    private protected override IEnumerable<CompletionResult> Complete(
        string commandName, string wordToComplete, IDictionary fakeBoundParameters)
        => NameCompletion.Vaults(wordToComplete);
}
