namespace FhirSecurity;

/// <summary>Which list of an export's manifest a file comes from.</summary>
public enum FhirBulkFileKind
{
    /// <summary>Exported resources.</summary>
    Output,

    /// <summary>OperationOutcomes about resources the server could not export.</summary>
    Error,

    /// <summary>Bundles of resources deleted since -Since.</summary>
    Deleted,
}
