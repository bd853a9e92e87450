namespace Hl7.Fhir.Model;

/// <summary>
/// Shares its full name with Firely's R4 model information, which Firely finds by loading Hl7.Fhir.R4 by name: if
/// that lookup ever escaped the module's load context, it would land here and fail for want of Firely's members.
/// </summary>
public static class ModelInfo
{
    /// <summary>Tells the isolation host's report which assembly answered.</summary>
    public static string StandIn { get; } = "Hl7.Fhir.R4 stand-in 5.12.1";
}
