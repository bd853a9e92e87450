using System.Collections.Concurrent;
using System.Management.Automation;
using System.Runtime.ExceptionServices;
using FhirSecurity.Core.Definitions;
using FhirSecurity.Core.Errors;
using FhirSecurity.Core.Fhir;
using FhirSecurity.Core.Storage;
using FhirSecurity.Loading;
using FhirSecurity.Session;
using FhirSecurity.Vaults;

namespace FhirSecurity.Commands;

/// <summary>
/// What every FhirSecurity cmdlet shares: the vault choice and the engine's definition store over
/// SecretManagement, and engine failures turned into error records for the current input.
/// </summary>
public abstract class FhirCommand : PSCmdlet, IDisposable
{
    private static readonly TimeSpan StopProcessingGrace = TimeSpan.FromMilliseconds(200);
    private readonly CancellationTokenSource _stopping = new();
    private ExceptionDispatchInfo? _postedFailure;
    private volatile bool _stopRequested;
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

    /// <summary>
    /// Cancelled when the user presses Ctrl-C (StopProcessing), or when a Write* posted by work under
    /// <see cref="WaitPosting{T}"/> threw (an error under -ErrorAction Stop; see <see cref="StoppedByWrite"/>).
    /// </summary>
    internal CancellationToken StopToken => _stopping.Token;

    /// <summary>True when the work was stopped because a posted Write* threw, not by Ctrl-C.</summary>
    internal bool StoppedByWrite => _postedFailure is not null;

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
        => WaitPosting(post => start(message => post(() => WriteVerbose(message))));

    /// <summary>
    /// Like <see cref="Wait{T}(Task{T})"/>, and runs on the pipeline thread, as they come, the actions the work posts
    /// from any thread (Write* calls: verbose, progress, output, errors). After Ctrl-C the actions are dropped, and
    /// the work is still awaited, so what it does to clean up finishes before the pipeline stops.
    /// </summary>
    internal T WaitPosting<T>(Func<Action<Action>, Task<T>> start)
    {
        var posted = new ConcurrentQueue<Action>();

        // Not disposed: nothing creates its wait handle, and a late Release must not throw.
        var wake = new SemaphoreSlim(0);
        Task<T> work = start(action =>
        {
            posted.Enqueue(action);
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
            while (posted.TryDequeue(out Action? action))
            {
                RunPosted(action);
            }

            if (work.IsCompleted)
            {
                if (_postedFailure is { } failure)
                {
                    // The work has cleaned up; what stopped it goes on as the caller's error.
                    _ = work.Exception;
                    failure.Throw();
                }

                return Wait(work);
            }
        }
    }

    private void RunPosted(Action action)
    {
        if (_stopping.IsCancellationRequested)
        {
            return;
        }

        try
        {
            action();
        }
        catch (PipelineStoppedException ex)
        {
            // The pipeline refuses writes: after Ctrl-C, or because this write was an error made terminating
            // (-ErrorAction Stop: PowerShell records the error and stops the pipeline this way). Only Ctrl-C calls
            // StopProcessing, a moment after the pipeline starts refusing writes: give it that moment.
            if (!SpinWait.SpinUntil(() => _stopRequested, StopProcessingGrace))
            {
                _postedFailure ??= ExceptionDispatchInfo.Capture(ex);
            }

            _stopping.Cancel();
        }
        catch (RuntimeException ex)
        {
            // Any other failed write: the work stops and cleans up before it is thrown on.
            _postedFailure ??= ExceptionDispatchInfo.Capture(ex);
            _stopping.Cancel();
        }
    }

    /// <summary>
    /// The connection <paramref name="connection"/> names, with everything it references, from the session cache
    /// or the vault (<paramref name="forceReload"/>: the vault, after a 401); says which in verbose, and warns once
    /// per session for a connection that skips TLS validation.
    /// </summary>
    internal ResolvedConnection ResolveConnection(FhirConnectionReference connection, bool forceReload)
    {
        string? vault = Vault ?? connection.Vault;
        FhirSession session = FhirSession.Current;
        ResolvedConnection resolved =
            session.Connections.Resolve(Store, connection.Name, vault, forceReload, out bool fromCache);
        if (VerboseEnabled)
        {
            string certificate = resolved.Transport.ClientCertificate is { } presented
                ? $", client certificate '{presented.Subject}'"
                : string.Empty;
            WriteVerbose(
                $"Connection '{resolved.Connection.Name}' from vault '{resolved.Vault}'"
                + $" ({(fromCache ? "session cache" : "read from the vault")}): {resolved.Revisions},"
                + $" TLS {resolved.Transport.Mode}{certificate}, proxy {resolved.Transport.Proxy}.");
        }

        if (resolved.Connection.TlsValidation == TlsValidationMode.Skip
            && session.FirstSkipWarning(resolved.Vault + "/" + resolved.Connection.Name))
        {
            WriteWarning(
                $"Connection '{resolved.Connection.Name}' skips TLS certificate validation: anyone on the network path "
                + "can read and change this traffic, credentials included. Use -TlsValidation CustomBundle with the "
                + "server's CA instead.");
        }

        return resolved;
    }

    /// <inheritdoc />
    protected override void StopProcessing()
    {
        _stopRequested = true;
        _stopping.Cancel();
    }

    /// <inheritdoc />
    public void Dispose()
    {
        _stopping.Dispose();
        GC.SuppressFinalize(this);
    }
}
