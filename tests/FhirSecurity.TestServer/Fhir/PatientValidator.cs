using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace FhirSecurity.TestServer;

/// <summary>
/// A few business rules on Patient, enough to give clients a realistic 422 Unprocessable Entity.
/// Not a FHIR validator.
/// </summary>
internal static partial class PatientValidator
{
    private static readonly HashSet<string> Genders = ["male", "female", "other", "unknown"];

    /// <summary>The first problem found, or null.</summary>
    public static string? Problem(JsonObject patient)
    {
        if (patient.ContainsKey("gender") && (patient["gender"] is not JsonValue g || !g.TryGetValue<string>(out var gender) || !Genders.Contains(gender)))
        {
            return "Patient.gender must be one of male, female, other, unknown.";
        }

        if (patient.ContainsKey("birthDate") && (patient["birthDate"] is not JsonValue b || !b.TryGetValue<string>(out var birthDate) || !DatePattern().IsMatch(birthDate)))
        {
            return "Patient.birthDate must be a FHIR date (YYYY, YYYY-MM or YYYY-MM-DD).";
        }

        if (patient.ContainsKey("name") && patient["name"] is not JsonArray)
        {
            return "Patient.name must be an array of HumanName.";
        }

        return null;
    }

    [GeneratedRegex(@"^\d{4}(-(0[1-9]|1[0-2])(-(0[1-9]|[12]\d|3[01]))?)?$")]
    private static partial Regex DatePattern();
}
