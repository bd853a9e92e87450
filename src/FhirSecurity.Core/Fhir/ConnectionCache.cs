using System.Collections.Concurrent;
using FhirSecurity.Core.Storage;

namespace FhirSecurity.Core.Fhir;

/// <summary>
/// Resolved connections of one PowerShell session (one per runspace: one user's session never sees another's),
/// so the vault is not read on every request. An entry is read again when any definition was written through the
/// module since (in any runspace of the process), when it is older than the revalidation interval (a change made
/// in the vault by another process), or on demand after a 401.
/// </summary>
public sealed class ConnectionCache
{
    /// <summary>The environment variable that sets the revalidation interval in seconds.</summary>
    public const string RevalidateVariable = "FHIRSECURITY_REVALIDATE_SEC";

    /// <summary>The interval when the variable is not set.</summary>
    public static readonly TimeSpan DefaultRevalidateAfter = TimeSpan.FromSeconds(300);

    private readonly ConcurrentDictionary<string, Entry> _entries = new(StringComparer.OrdinalIgnoreCase);
    private readonly TimeProvider _clock;

    /// <summary>Creates a session cache.</summary>
    public ConnectionCache(TimeProvider clock) => _clock = clock;

    /// <summary>
    /// The revalidation interval from <see cref="RevalidateVariable"/> (0 disables caching), or the default.
    /// </summary>
    public static TimeSpan RevalidateAfter(string? setting)
        => int.TryParse(setting, out int seconds) && seconds >= 0
            ? TimeSpan.FromSeconds(seconds)
            : DefaultRevalidateAfter;

    /// <summary>
    /// The step Invoke-FhirRequest and Test-FhirConnection share: connection <paramref name="name"/> and what it
    /// references, from the cache while the entry is current (younger than <see cref="RevalidateVariable"/> says,
    /// and no definition written since), else read from <paramref name="store"/> by <see cref="ConnectionResolver"/>.
    /// </summary>
    /// <param name="store">The definition store to read from.</param>
    /// <param name="name">The connection name.</param>
    /// <param name="vault">The vault asked for (null: default search).</param>
    /// <param name="forceReload">Read the vault again whatever the entry's age (after a 401, or for a test).</param>
    /// <param name="fromCache">True when the vault was not read.</param>
    public ResolvedConnection Resolve(
        DefinitionStore store, string name, string? vault, bool forceReload, out bool fromCache)
    {
        string key = name + "\n" + vault;
        DateTimeOffset now = _clock.GetUtcNow();
        long changes = DefinitionChanges.Count;
        TimeSpan revalidateAfter = RevalidateAfter(Environment.GetEnvironmentVariable(RevalidateVariable));
        if (!forceReload && _entries.TryGetValue(key, out Entry? entry) && entry.Changes == changes
            && now - entry.ResolvedAt < revalidateAfter)
        {
            fromCache = true;
            return entry.Connection;
        }

        ResolvedConnection resolved = ConnectionResolver.Resolve(store, name, vault);
        _entries[key] = new Entry(resolved, now, changes);
        fromCache = false;
        return resolved;
    }

    /// <summary>Forgets every resolved connection of the session.</summary>
    public void Clear() => _entries.Clear();

    private sealed record Entry(ResolvedConnection Connection, DateTimeOffset ResolvedAt, long Changes);
}
