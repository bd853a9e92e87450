using System.Text.Json;

namespace FhirSecurity.Core.Diagnostics;

/// <summary>
/// What a connection test reads from a CapabilityStatement: its FHIR version and the server software.
/// </summary>
/// <param name="ResourceType">The resourceType of the answer (CapabilityStatement when all is well).</param>
/// <param name="FhirVersion">fhirVersion, or null.</param>
/// <param name="Software">software.name and software.version, or null.</param>
internal sealed record CapabilitySummary(string? ResourceType, string? FhirVersion, string? Software)
{
    /// <summary>Reads the summary; null when the body is not a JSON object.</summary>
    public static CapabilitySummary? Read(string body)
    {
        try
        {
            using JsonDocument document = JsonDocument.Parse(body);
            JsonElement root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object)
            {
                return null;
            }

            string? software = null;
            if (root.TryGetProperty("software", out JsonElement s) && s.ValueKind == JsonValueKind.Object)
            {
                software = string.Join(' ', new[] { Text(s, "name"), Text(s, "version") }.Where(p => p is not null));
                software = software.Length == 0 ? null : software;
            }

            return new CapabilitySummary(Text(root, "resourceType"), Text(root, "fhirVersion"), software);
        }
        catch (JsonException)
        {
            return null;
        }
    }

    private static string? Text(JsonElement element, string name)
        => element.TryGetProperty(name, out JsonElement value) && value.ValueKind == JsonValueKind.String
            ? value.GetString()
            : null;
}
