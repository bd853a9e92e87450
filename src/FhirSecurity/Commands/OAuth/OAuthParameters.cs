using System.Collections;
using FhirSecurity.Core.Errors;

namespace FhirSecurity.Commands;

/// <summary>Converts what users type for OAuth parameters into what the engine takes.</summary>
internal static class OAuthParameters
{
    /// <summary>A hashtable of extra token parameters as strings; a null value is refused.</summary>
    public static IReadOnlyDictionary<string, string> FromHashtable(Hashtable table, string definitionName)
    {
        var result = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (DictionaryEntry entry in table)
        {
            string key = entry.Key?.ToString() ?? string.Empty;
            string? value = entry.Value?.ToString();
            if (value is null)
            {
                throw new FhirSecurityException(
                    ErrorIds.OAuthParameterInvalid,
                    FailureCategory.InvalidArgument,
                    $"The extra parameter '{key}' has no value. Give every -ExtraParameter entry a value, "
                    + "e.g. @{ audience = 'https://fhir.example.org' }.",
                    definitionName);
            }

            result[key] = value;
        }

        return result;
    }
}
