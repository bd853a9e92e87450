namespace FhirSecurity.Core.Bulk;

/// <summary>One file a Bulk Data manifest lists.</summary>
/// <param name="Kind">Output, error or deleted.</param>
/// <param name="Type">The resource type of its lines.</param>
/// <param name="Url">Where to download it (its query may be a signature: a secret).</param>
/// <param name="Count">How many lines the server says it has, or null.</param>
/// <param name="FileName">
/// The file's name on disk, from its kind, type and place among the files of that type: the same for every poll of
/// one export, so a run that attaches again finds the files an earlier run finished.
/// </param>
public sealed record BulkManifestFile(BulkFileKind Kind, string Type, Uri Url, long? Count, string FileName)
{
    /// <summary>The URL as messages, logs, views and the saved manifest show it: query redacted.</summary>
    public string DisplayUrl => Http.UrlRedaction.WithoutQuery(Url);
}
