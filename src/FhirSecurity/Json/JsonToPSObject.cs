using System.Management.Automation;
using System.Text.Json;

namespace FhirSecurity.Json;

/// <summary>
/// FHIR JSON as PowerShell objects: objects become PSCustomObjects (property order kept), arrays object[],
/// numbers long or decimal (FHIR decimals keep their precision), dates stay text as FHIR writes them. Done here
/// because ConvertFrom-Json lives in a module the hosted engine and some sessions do not have.
/// </summary>
internal static class JsonToPSObject
{
    /// <summary>The type name every resource object carries, for format views and type checks.</summary>
    public const string ResourceTypeName = "FhirSecurity.Resource";

    /// <summary>
    /// Converts a resource; its type names are <c>FhirSecurity.Resource#&lt;resourceType&gt;</c> and
    /// <c>FhirSecurity.Resource</c>.
    /// </summary>
    public static PSObject ConvertResource(string json)
    {
        using JsonDocument document = JsonDocument.Parse(json);
        object? value = Convert(document.RootElement);
        var resource = value as PSObject ?? new PSObject(value);
        if (document.RootElement.ValueKind == JsonValueKind.Object
            && document.RootElement.TryGetProperty("resourceType", out JsonElement type)
            && type.ValueKind == JsonValueKind.String)
        {
            resource.TypeNames.Insert(0, ResourceTypeName);
            resource.TypeNames.Insert(0, ResourceTypeName + "#" + type.GetString());
        }

        return resource;
    }

    private static object? Convert(JsonElement element) => element.ValueKind switch
    {
        JsonValueKind.Object => ConvertObject(element),
        JsonValueKind.Array => element.EnumerateArray().Select(Convert).ToArray(),
        JsonValueKind.String => element.GetString(),
        JsonValueKind.Number => element.TryGetInt64(out long whole) ? whole
            : element.TryGetDecimal(out decimal exact) ? exact
            : element.GetDouble(),
        JsonValueKind.True => true,
        JsonValueKind.False => false,
        _ => null,
    };

    private static PSObject ConvertObject(JsonElement element)
    {
        var result = new PSObject();
        foreach (JsonProperty property in element.EnumerateObject())
        {
            // Pre-validated: a JSON object's names are strings already, so PowerShell's name checks have nothing to
            // find, and they cost more than the property itself on a small resource.
            result.Properties.Add(new PSNoteProperty(property.Name, Convert(property.Value)), preValidated: true);
        }

        return result;
    }
}
