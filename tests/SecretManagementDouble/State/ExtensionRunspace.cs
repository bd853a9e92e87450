using System.Globalization;
using System.Management.Automation;

namespace Microsoft.PowerShell.SecretManagement;

/// <summary>
/// The real module's one static runspace for every extension-vault call of the process (PowerShellInvoker in its
/// Utils.cs), and its failure when two calls overlap: the second finds a pipeline running, fails with
/// <see cref="PSInvalidOperationException"/> "The pipeline was not run because a pipeline is already running.
/// Pipelines cannot be run concurrently.", and the cmdlet reports it wrapped as <c>...InvalidOperation</c>
/// (SECRETMANAGEMENT.md). A call holds the runspace for <see cref="TestVaults.CallLatency"/> on top of its work, as a
/// real vault takes milliseconds to decrypt or write its file, so calls that are not serialised do collide.
/// </summary>
internal static class ExtensionRunspace
{
    /// <summary>The real inner message, verbatim.</summary>
    internal const string ConcurrentInvokeMessage =
        "The pipeline was not run because a pipeline is already running. Pipelines cannot be run concurrently.";

    private static int s_busy;
    private static long s_collisions;
    private static long s_latencyTicks = TimeSpan.FromMilliseconds(1).Ticks;

    internal static TimeSpan Latency
    {
        get => TimeSpan.FromTicks(Interlocked.Read(ref s_latencyTicks));
        set => Interlocked.Exchange(ref s_latencyTicks, value.Ticks);
    }

    /// <summary>True while a vault call holds the shared runspace.</summary>
    internal static bool Busy => Volatile.Read(ref s_busy) != 0;

    /// <summary>How many calls failed because another one was running, since the last reset.</summary>
    internal static long Collisions => Interlocked.Read(ref s_collisions);

    internal static void ResetCollisions() => Interlocked.Exchange(ref s_collisions, 0);

    /// <summary>Runs a vault call in the shared runspace; throws as the real invoker does when it is in use.</summary>
    internal static T Run<T>(Func<T> call)
    {
        if (Interlocked.CompareExchange(ref s_busy, 1, 0) != 0)
        {
            Interlocked.Increment(ref s_collisions);
            throw new PSInvalidOperationException(ConcurrentInvokeMessage);
        }

        try
        {
            T result = call();
            TimeSpan latency = Latency;
            if (latency > TimeSpan.Zero)
            {
                Thread.Sleep(latency);
            }

            return result;
        }
        finally
        {
            Volatile.Write(ref s_busy, 0);
        }
    }

    /// <summary>The record the real cmdlets write for a failed extension call (non-terminating).</summary>
    internal static ErrorRecord Failure(Exception inner, string errorId, string messageFormat, params object[] args)
        => new(
            new PSInvalidOperationException(string.Format(CultureInfo.InvariantCulture, messageFormat, args), inner),
            errorId,
            ErrorCategory.InvalidOperation,
            null);
}
