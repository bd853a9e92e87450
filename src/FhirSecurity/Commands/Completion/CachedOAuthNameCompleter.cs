using System.Collections;
using System.Management.Automation;
using System.Management.Automation.Language;

namespace FhirSecurity.Commands;

/// <summary>Completes Get-FhirTokenCache -OAuth from the OAuth definitions this process holds tokens for.</summary>
public sealed class CachedOAuthNameCompleter : IArgumentCompleter
{
    /// <inheritdoc />
    public IEnumerable<CompletionResult> CompleteArgument(
        string commandName,
        string parameterName,
        string wordToComplete,
        CommandAst commandAst,
        IDictionary fakeBoundParameters)
        => NameCompletion.CachedOAuth(wordToComplete);
}
