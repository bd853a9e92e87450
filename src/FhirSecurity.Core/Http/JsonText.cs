using System.Text.Json;

namespace FhirSecurity.Core.Http;

/// <summary>
/// Whether text is JSON: an answer that is, is an application's own (a FHIR OperationOutcome, an OAuth error) and
/// is read as such; one that is not comes from a front or gateway and is quoted by its excerpt.
/// </summary>
internal static class JsonText
{
    /// <summary>True when <paramref name="text"/> parses as one JSON value.</summary>
    public static bool IsJson(string text)
    {
        try
        {
            using JsonDocument _ = JsonDocument.Parse(text);
            return true;
        }
        catch (JsonException)
        {
            return false;
        }
    }
}
