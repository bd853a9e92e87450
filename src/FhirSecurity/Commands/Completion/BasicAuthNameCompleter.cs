using System.Collections;
using System.Management.Automation;
using System.Management.Automation.Language;
using FhirSecurity.Core.Definitions;

namespace FhirSecurity.Commands;

/// <summary>Completes Basic Auth definition names from the vaults' secret names (no secret is read).</summary>
public sealed class BasicAuthNameCompleter : IArgumentCompleter
{
    /// <inheritdoc />
    public IEnumerable<CompletionResult> CompleteArgument(
        string commandName,
        string parameterName,
        string wordToComplete,
        CommandAst commandAst,
        IDictionary fakeBoundParameters)
        => NameCompletion.Definitions(DefinitionKind.BasicAuth, wordToComplete, fakeBoundParameters);
}
