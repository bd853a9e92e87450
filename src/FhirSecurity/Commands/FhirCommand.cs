using System.Collections.Concurrent;
using System.Management.Automation;
using FhirSecurity.Core.Errors;
using FhirSecurity.Core.Storage;
using FhirSecurity.Loading;
using FhirSecurity.Vaults;

namespace FhirSecurity.Commands;

/// <summary>
/// What every FhirSecurity cmdlet shares: the vault choice and the engine's definition store over
/// SecretManagement, and engine failures turned into error records for the current input.
/// </summary>
public abstract class FhirCommand : PSCmdlet, IDisposable
{
    private readonly CancellationTokenSource _stopping = new();
    private DefinitionStore? _store;
    private bool? _verbose;

    /// <summary>
    /// The SecretManagement vault to use. Without it: $env:FHIRSECURITY_VAULT, else the default vault for writes
    /// and every vault for reads.
    /// </summary>
    [Parameter(ValueFromPipelineByPropertyName = true)]
    [ValidateNotNullOrEmpty]
    [ArgumentCompleter(typeof(VaultNameCompleter))]
    public string? Vault { get; set; }

    internal DefinitionStore Store
        => _store ??= new DefinitionStore(
            SecretManagementStore.Gated(),
            Environment.GetEnvironmentVariable(VaultChoice.PreferenceVariable),
            TimeProvider.System);

    /// <summary>
    /// Runs one input's work; an engine failure becomes a non-terminating error for that input, so a pipeline
    /// goes on with the next one (-ErrorAction Stop makes it terminating, as usual).
    /// </summary>
    internal void Run(Action work)
    {
        try
        {
            using var scope = DependencyLoadContext.EnterScope();
            work();
        }
        catch (FhirSecurityException ex)
        {
            WriteError(ErrorRecords.From(ex));
        }
    }

    internal bool IsBound(string parameterName) => MyInvocation.BoundParameters.ContainsKey(parameterName);

    /// <summary>
    /// True when verbose output is shown (-Verbose, or $VerbosePreference), so messages that cost work to build are
    /// built only then.
    /// </summary>
    internal bool VerboseEnabled
        => _verbose ??= MyInvocation.BoundParameters.TryGetValue("Verbose", out object? flag)
            ? flag is SwitchParameter { IsPresent: true } || flag is true
            : LanguagePrimitives.TryConvertTo(GetVariableValue("VerbosePreference"), out ActionPreference preference)
              && preference is not ActionPreference.SilentlyContinue and not ActionPreference.Ignore;

    /// <summary>Cancelled when the user presses Ctrl-C (StopProcessing).</summary>
    internal CancellationToken StopToken => _stopping.Token;

    /// <summary>
    /// Waits on the pipeline thread for engine work, so Write* and ShouldProcess stay on it; Ctrl-C cancels the
    /// work and stops the pipeline promptly.
    /// </summary>
    internal T Wait<T>(Task<T> work)
    {
        try
        {
            return work.GetAwaiter().GetResult();
        }
        catch (OperationCanceledException) when (_stopping.IsCancellationRequested)
        {
            throw new PipelineStoppedException();
        }
    }

    /// <summary>
    /// Like <see cref="Wait{T}(Task{T})"/>, and writes the verbose messages the work reports (from any thread) on the
    /// pipeline thread as they come, so a user sees a retry while it waits rather than after.
    /// </summary>
    internal T Wait<T>(Func<Action<string>, Task<T>> start)
    {
        var messages = new ConcurrentQueue<string>();

        // Not disposed: nothing creates its wait handle, and a late Release must not throw.
        var wake = new SemaphoreSlim(0);
        Task<T> work = start(message =>
        {
            messages.Enqueue(message);
            wake.Release();
        });
        _ = work.ContinueWith(
            _ => wake.Release(),
            CancellationToken.None,
            TaskContinuationOptions.ExecuteSynchronously,
            TaskScheduler.Default);
        while (true)
        {
            wake.Wait();
            while (messages.TryDequeue(out string? message))
            {
                WriteVerbose(message);
            }

            if (work.IsCompleted)
            {
                return Wait(work);
            }
        }
    }

    /// <inheritdoc />
    protected override void StopProcessing() => _stopping.Cancel();

    /// <inheritdoc />
    public void Dispose()
    {
        _stopping.Dispose();
        GC.SuppressFinalize(this);
    }
}
