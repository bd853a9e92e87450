namespace FhirSecurity.Core.Bulk;

/// <summary>What a Bulk Data export covers, which decides its kick-off URL.</summary>
public enum BulkExportLevel
{
    /// <summary>Every resource on the server: <c>[base]/$export</c>.</summary>
    System,

    /// <summary>Every patient's compartment: <c>[base]/Patient/$export</c>.</summary>
    Patient,

    /// <summary>The compartments of one Group's members: <c>[base]/Group/[id]/$export</c>.</summary>
    Group,
}
