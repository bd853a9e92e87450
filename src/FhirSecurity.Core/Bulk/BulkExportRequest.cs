using System.Globalization;
using System.Text.RegularExpressions;
using FhirSecurity.Core.Errors;
using FhirSecurity.Core.Fhir;

namespace FhirSecurity.Core.Bulk;

/// <summary>
/// What to export (Bulk Data IG v2 kick-off parameters); <see cref="KickoffUri"/> turns it into the request URL.
/// </summary>
/// <param name="Level">System, Patient or Group.</param>
/// <param name="GroupId">The Group's id, for <see cref="BulkExportLevel.Group"/> only.</param>
/// <param name="Types">Resource types (<c>_type</c>), none for all.</param>
/// <param name="Since">Only resources changed after this (<c>_since</c>), or null.</param>
/// <param name="TypeFilters">FHIR searches that narrow a type (<c>_typeFilter</c>, one parameter each).</param>
/// <param name="Elements">Elements to keep (<c>_elements</c>), none for all.</param>
/// <param name="OutputFormat">The file format (<c>_outputFormat</c>).</param>
public sealed partial record BulkExportRequest(
    BulkExportLevel Level,
    string? GroupId,
    IReadOnlyList<string> Types,
    DateTimeOffset? Since,
    IReadOnlyList<string> TypeFilters,
    IReadOnlyList<string> Elements,
    string OutputFormat)
{
    /// <summary>The NDJSON format every server supports, and the default.</summary>
    public const string Ndjson = "application/fhir+ndjson";

    /// <summary>
    /// The kick-off URL below <paramref name="baseUri"/>.
    /// </summary>
    /// <exception cref="FhirSecurityException">BulkExportGroupIdRequired, BulkExportGroupIdInvalid.</exception>
    public Uri KickoffUri(Uri baseUri)
    {
        string path = Level switch
        {
            BulkExportLevel.System => "$export",
            BulkExportLevel.Patient => "Patient/$export",
            _ => $"Group/{CheckedGroupId()}/$export",
        };
        if (Level != BulkExportLevel.Group && GroupId is not null)
        {
            throw new FhirSecurityException(
                ErrorIds.BulkExportGroupIdRequired,
                FailureCategory.InvalidArgument,
                $"-GroupId names the Group of a Group export; this export's level is {Level}. Add -Level Group, or"
                + " leave out -GroupId.",
                GroupId);
        }

        var query = new List<KeyValuePair<string, IReadOnlyList<string>>>
        {
            new("_outputFormat", [OutputFormat]),
        };
        if (Types.Count > 0)
        {
            query.Add(new("_type", [string.Join(',', Types)]));
        }

        if (Since is { } since)
        {
            query.Add(new("_since", [since.ToString("yyyy-MM-dd'T'HH:mm:ss.fffzzz", CultureInfo.InvariantCulture)]));
        }

        if (TypeFilters.Count > 0)
        {
            query.Add(new("_typeFilter", TypeFilters));
        }

        if (Elements.Count > 0)
        {
            query.Add(new("_elements", [string.Join(',', Elements)]));
        }

        return FhirUris.Resolve(baseUri, path, query);
    }

    private string CheckedGroupId()
    {
        if (string.IsNullOrEmpty(GroupId))
        {
            throw new FhirSecurityException(
                ErrorIds.BulkExportGroupIdRequired,
                FailureCategory.InvalidArgument,
                "A Group export needs the Group's id: add -GroupId <id> (the id of a Group resource on the server).");
        }

        if (!FhirId().IsMatch(GroupId))
        {
            throw new FhirSecurityException(
                ErrorIds.BulkExportGroupIdInvalid,
                FailureCategory.InvalidArgument,
                $"-GroupId '{GroupId}' is not a FHIR id: use 1 to 64 letters, digits, '-' and '.' (the id of the"
                + " Group resource, not its URL).",
                GroupId);
        }

        return GroupId;
    }

    [GeneratedRegex("^[A-Za-z0-9\\-\\.]{1,64}$")]
    private static partial Regex FhirId();
}
