namespace FhirSecurity.Core.Fhir;

/// <summary>
/// A successful answer read as FHIR, as JSON text for the cmdlets (which must not see Firely types): the resource,
/// and for a Bundle its entries and the link to the next page.
/// </summary>
/// <param name="ResourceJson">The whole resource as JSON, or null when the answer had no body.</param>
/// <param name="ResourceType">Its resourceType, or null.</param>
/// <param name="EntryJson">For a Bundle, each entry's resource as JSON (entries without a resource left out).</param>
/// <param name="NextLink">For a Bundle, the <c>next</c> link, or null on the last page.</param>
/// <param name="Total">For a search Bundle, the total the server reported.</param>
public sealed record FhirResult(
    string? ResourceJson,
    string? ResourceType,
    IReadOnlyList<string> EntryJson,
    Uri? NextLink,
    int? Total);
