namespace FhirSecurity.Core.Bulk;

/// <summary>Which list of a Bulk Data manifest a file comes from.</summary>
public enum BulkFileKind
{
    /// <summary>Exported resources (<c>output</c>).</summary>
    Output,

    /// <summary>OperationOutcomes about resources that could not be exported (<c>error</c>).</summary>
    Error,

    /// <summary>Bundles of resources deleted since <c>_since</c> (<c>deleted</c>).</summary>
    Deleted,
}
