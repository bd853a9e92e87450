namespace FhirSecurity;

/// <summary>What a Bulk Data export covers.</summary>
public enum FhirBulkExportLevel
{
    /// <summary>Every resource on the server ([base]/$export).</summary>
    System,

    /// <summary>Every patient's compartment ([base]/Patient/$export).</summary>
    Patient,

    /// <summary>The compartments of one Group's members ([base]/Group/[id]/$export).</summary>
    Group,
}
