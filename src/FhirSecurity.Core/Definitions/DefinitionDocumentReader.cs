using System.Globalization;
using System.Text.Json.Nodes;
using FhirSecurity.Core.Errors;

namespace FhirSecurity.Core.Definitions;

/// <summary>
/// Typed reads of a definition document that fail with <c>DefinitionCorrupt</c>, naming the field but not its
/// value: the document holds secrets, and a message goes to error records and logs.
/// </summary>
internal sealed class DefinitionDocumentReader(JsonObject root, string secretName)
{
    /// <summary>A <c>DefinitionCorrupt</c> error for a secret; <paramref name="why"/> never quotes it.</summary>
    public static FhirSecurityException Corrupt(string secretName, string why)
        => new(
            ErrorIds.DefinitionCorrupt,
            FailureCategory.InvalidData,
            $"The vault secret '{secretName}' is not a readable FhirSecurity definition: {why}. Recreate it with the"
            + " New-Fhir* command and -Force, or remove it with Remove-Secret.",
            secretName);

    /// <summary>
    /// A <c>DefinitionSchemaUnsupported</c> error for a value this build does not know (<paramref name="what"/>):
    /// most likely from a newer module, so it is refused rather than read as a weaker setting.
    /// </summary>
    public static FhirSecurityException Newer(string secretName, string what)
        => new(
            ErrorIds.DefinitionSchemaUnsupported,
            FailureCategory.InvalidData,
            $"The secret '{secretName}' uses {what}, which this version of FhirSecurity does not know. Update the"
            + " module: Update-Module FhirSecurity.",
            secretName);

    /// <summary>A <c>DefinitionCorrupt</c> error for this secret: <paramref name="why"/> names the field.</summary>
    public FhirSecurityException Fail(string why) => Corrupt(secretName, why);

    /// <summary>A <c>DefinitionSchemaUnsupported</c> error for a value this build does not know.</summary>
    public FhirSecurityException Unknown(string what) => Newer(secretName, what);

    public string String(string field)
        => OptionalString(field) ?? throw Fail($"the field '{field}' is missing");

    public string? OptionalString(string field)
        => root[field] switch
        {
            null => null,
            JsonValue value when value.TryGetValue(out string? text) => text,
            _ => throw Fail($"the field '{field}' is not a string"),
        };

    public int Int(string field)
        => root[field] is JsonValue value && value.TryGetValue(out int number)
            ? number
            : throw Fail($"the field '{field}' is missing or not a whole number");

    public bool Bool(string field)
        => root[field] is JsonValue value && value.TryGetValue(out bool flag)
            ? flag
            : throw Fail($"the field '{field}' is missing or not true/false");

    public DateTimeOffset Time(string field)
        => DateTimeOffset.TryParse(
            String(field), CultureInfo.InvariantCulture, DateTimeStyles.RoundtripKind, out DateTimeOffset time)
            ? time
            : throw Fail($"the field '{field}' is not a date and time");

    public Uri Uri(string field)
        => System.Uri.TryCreate(String(field), UriKind.Absolute, out Uri? uri)
            ? uri
            : throw Fail($"the field '{field}' is not an absolute URI");

    public Uri? OptionalUri(string field)
        => OptionalString(field) is not { } text ? null
            : System.Uri.TryCreate(text, UriKind.Absolute, out Uri? uri) ? uri
            : throw Fail($"the field '{field}' is not an absolute URI");

    public T Enum<T>(string field)
        where T : struct, System.Enum
        => System.Enum.TryParse(String(field), ignoreCase: false, out T value) && System.Enum.IsDefined(value)
            ? value
            : throw Fail($"the field '{field}' has an unknown value");

    public IReadOnlyList<string>? OptionalStringArray(string field)
        => root[field] is null ? null : StringArray(field);

    public IReadOnlyList<string> StringArray(string field)
        => root[field] is JsonArray array
            ? array.Select(item => item is JsonValue v && v.TryGetValue(out string? s)
                ? s
                : throw Fail($"the field '{field}' holds a non-string")).ToArray()
            : throw Fail($"the field '{field}' is missing or not a list");

    public IReadOnlyDictionary<string, string> StringMap(string field)
        => root[field] is JsonObject map
            ? map.ToDictionary(
                pair => pair.Key,
                pair => pair.Value is JsonValue v && v.TryGetValue(out string? s)
                    ? s
                    : throw Fail($"the field '{field}' holds a non-string"),
                StringComparer.Ordinal)
            : throw Fail($"the field '{field}' is missing or not an object");
}
