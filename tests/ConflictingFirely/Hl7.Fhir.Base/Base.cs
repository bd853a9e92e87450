namespace Hl7.Fhir.Model;

/// <summary>
/// Shares its full name with the root of Firely's model, but none of its members: code compiled against the real
/// Hl7.Fhir.Base that got bound to this assembly would fail with a missing member instead of working by accident.
/// </summary>
public abstract class Base
{
    /// <summary>Tells the isolation host's report which assembly answered.</summary>
    public static string StandIn { get; } = "Hl7.Fhir.Base stand-in 5.12.1";
}
