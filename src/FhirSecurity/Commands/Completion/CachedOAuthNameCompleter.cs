using System.Collections;
using System.Management.Automation;

namespace FhirSecurity.Commands;

/// <summary>Completes Get-FhirTokenCache -OAuth from the OAuth definitions this process holds tokens for.</summary>
public sealed class CachedOAuthNameCompleter : NameCompleter
{
    /// <inheritdoc />
    private protected override IEnumerable<CompletionResult> Complete(
        string commandName, string wordToComplete, IDictionary fakeBoundParameters)
        => NameCompletion.CachedOAuth(wordToComplete);
}
