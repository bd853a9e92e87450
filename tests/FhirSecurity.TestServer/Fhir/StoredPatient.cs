namespace FhirSecurity.TestServer;

/// <summary>
/// One stored Patient version. The resource is kept as serialized JSON because JsonNode trees are not safe to
/// read from several threads at once.
/// </summary>
internal sealed record StoredPatient(string Id, long Sequence, int VersionId, DateTimeOffset LastUpdated, string Json, IReadOnlyList<string> NameParts);
