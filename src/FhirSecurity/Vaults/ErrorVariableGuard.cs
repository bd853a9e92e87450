using System.Collections;
using System.Management.Automation;

namespace FhirSecurity.Vaults;

/// <summary>
/// Puts <c>$Error</c> back as it was when a vault call ends. SecretManagement's records (a missing secret's
/// <c>GetSecretNotFound</c>, a retried collision, under <c>$ErrorActionPreference = 'Stop'</c> its
/// ActionPreferenceStopException) land in the caller's <c>$Error</c> because the call runs in the caller's runspace;
/// the module turns them into its own answer or error, so a command that succeeds leaves <c>$Error</c> untouched.
/// </summary>
internal readonly struct ErrorVariableGuard : IDisposable
{
    private readonly ArrayList? _errors;
    private readonly object?[]? _before;

    private ErrorVariableGuard(ArrayList errors)
    {
        _errors = errors;
        _before = errors.ToArray();
    }

    /// <summary>Remembers the current runspace's <c>$Error</c>; a no-op where there is none.</summary>
    public static ErrorVariableGuard Enter()
        // On the pipeline thread, in the caller's session state: the runspace's SessionStateProxy refuses this while
        // a pipeline runs, a script block does not. The comma keeps the list from being enumerated.
        => ScriptBlock.Create(",$global:Error").InvokeReturnAsIs() is var value
           && (value is PSObject wrapped ? wrapped.BaseObject : value) is ArrayList errors
            ? new ErrorVariableGuard(errors)
            : default;

    /// <inheritdoc />
    public void Dispose()
    {
        if (_errors is null || _before is null || Unchanged())
        {
            return;
        }

        _errors.Clear();
        _errors.AddRange(_before);
    }

    private bool Unchanged()
    {
        if (_errors!.Count != _before!.Length)
        {
            return false;
        }

        for (int i = 0; i < _before.Length; i++)
        {
            if (!ReferenceEquals(_errors[i], _before[i]))
            {
                return false;
            }
        }

        return true;
    }
}
