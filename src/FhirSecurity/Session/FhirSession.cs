using System.Collections.Concurrent;
using System.Management.Automation.Runspaces;
using System.Runtime.CompilerServices;
using FhirSecurity.Core.Fhir;

namespace FhirSecurity.Session;

/// <summary>
/// State that belongs to one PowerShell session (runspace): its resolved connections and which Skip warnings it
/// has shown. Kept per runspace so that parallel runspaces never see each other's definitions; what is safe to
/// share (pooled handlers, tokens keyed by the credentials) lives in the engine, per process.
/// </summary>
internal sealed class FhirSession
{
    private static readonly ConditionalWeakTable<Runspace, FhirSession> s_sessions = new();

    private readonly ConcurrentDictionary<string, bool> _skipWarned = new(StringComparer.OrdinalIgnoreCase);

    /// <summary>The resolved connections of this session.</summary>
    public ConnectionCache Connections { get; } = new(TimeProvider.System);

    /// <summary>The session of the runspace running the current pipeline.</summary>
    public static FhirSession Current
        => s_sessions.GetValue(
            Runspace.DefaultRunspace ?? throw new InvalidOperationException("No runspace on this thread."),
            _ => new FhirSession());

    /// <summary>True the first time it is asked for a connection in this session (to warn about Skip once).</summary>
    public bool FirstSkipWarning(string connection) => _skipWarned.TryAdd(connection, true);
}
