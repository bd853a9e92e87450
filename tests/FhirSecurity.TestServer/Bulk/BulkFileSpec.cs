namespace FhirSecurity.TestServer;

/// <summary>Which manifest list a file goes into.</summary>
public enum BulkFileSection
{
    /// <summary><c>output</c>: resources.</summary>
    Output,

    /// <summary><c>error</c>: OperationOutcomes.</summary>
    Error,

    /// <summary><c>deleted</c>: resources deleted since <c>_since</c>.</summary>
    Deleted,
}

/// <summary>
/// One file of an export: <paramref name="Lines"/> generated resources of <paramref name="Type"/>, each padded to
/// at least <paramref name="LineBytes"/> bytes when given.
/// </summary>
public sealed record BulkFileSpec(string Type, int Lines, int LineBytes = 0)
{
    /// <summary>The manifest list it is in.</summary>
    public BulkFileSection Section { get; init; } = BulkFileSection.Output;

    /// <summary>The <c>count</c> the manifest states; null states the true number of lines.</summary>
    public long? ReportedCount { get; init; }

    /// <summary>Leave <c>count</c> out of the manifest.</summary>
    public bool OmitCount { get; init; }

    /// <summary>This line (from 1) is text that is not JSON.</summary>
    public int? CorruptLine { get; init; }

    /// <summary>This line (from 1) is a resource of another type.</summary>
    public int? WrongTypeLine { get; init; }
}
