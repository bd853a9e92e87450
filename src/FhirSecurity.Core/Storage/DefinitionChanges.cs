namespace FhirSecurity.Core.Storage;

/// <summary>
/// Counts the definition writes and removals this module made in the process. Process-wide on purpose: each
/// runspace has its own cache of resolved connections, and a Set- in one runspace must reach the next request of
/// every other (<c>ForEach-Object -Parallel</c>, a runspace pool), so a cache compares the count it resolved
/// under with <see cref="Count"/>.
/// </summary>
public static class DefinitionChanges
{
    private static long s_count;

    /// <summary>How many changes were made so far; only ever grows.</summary>
    public static long Count => Interlocked.Read(ref s_count);

    /// <summary>Notes one write or removal, after it reached the vault.</summary>
    internal static void Record() => Interlocked.Increment(ref s_count);
}
