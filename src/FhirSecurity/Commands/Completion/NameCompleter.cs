using System.Collections;
using System.Management.Automation;
using System.Management.Automation.Language;

namespace FhirSecurity.Commands;

/// <summary>
/// The shared shape of the module's completers: PowerShell's five-argument call, reduced to what they use (the
/// command's name, the word typed and the parameters bound so far). Matching and quoting are in
/// <see cref="NameCompletion"/>.
/// </summary>
public abstract class NameCompleter : IArgumentCompleter
{
    /// <inheritdoc />
    public IEnumerable<CompletionResult> CompleteArgument(
        string commandName,
        string parameterName,
        string wordToComplete,
        CommandAst commandAst,
        IDictionary fakeBoundParameters)
        => Complete(commandName, wordToComplete, fakeBoundParameters);

    /// <summary>The completions for <paramref name="wordToComplete"/>.</summary>
    private protected abstract IEnumerable<CompletionResult> Complete(
        string commandName, string wordToComplete, IDictionary fakeBoundParameters);
}
