using System.Collections;
using System.Management.Automation;
using FhirSecurity.Core.Definitions;

namespace FhirSecurity.Commands;

/// <summary>Completes connection names from the vaults' secret names (no secret is read).</summary>
public sealed class ConnectionNameCompleter : NameCompleter
{
    /// <inheritdoc />
    private protected override IEnumerable<CompletionResult> Complete(
        string commandName, string wordToComplete, IDictionary fakeBoundParameters)
        => NameCompletion.Definitions(DefinitionKind.Connection, wordToComplete, fakeBoundParameters);
}
