using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using FhirSecurity.Core.Errors;
using FhirSecurity.Core.Http;

namespace FhirSecurity.Core.Bulk;

/// <summary>
/// The answer of a finished export's status URL (Bulk Data IG v2 "complete status"): when the export was taken,
/// whether its files need the access token, and the files.
/// </summary>
public sealed partial class BulkManifest
{
    private readonly JsonObject _document;

    private BulkManifest(JsonObject document, bool requiresAccessToken, IReadOnlyList<BulkManifestFile> files)
    {
        _document = document;
        RequiresAccessToken = requiresAccessToken;
        Files = files;
    }

    /// <summary>The server's <c>transactionTime</c>: use it as <c>_since</c> of the next incremental export.</summary>
    public string? TransactionTime => _document["transactionTime"]?.GetValueKind() == JsonValueKind.String
        ? _document["transactionTime"]!.GetValue<string>()
        : null;

    /// <summary>True when file requests must carry the access token (<c>requiresAccessToken</c>).</summary>
    public bool RequiresAccessToken { get; }

    /// <summary>Every file: output first, then error and deleted files, each in the server's order.</summary>
    public IReadOnlyList<BulkManifestFile> Files { get; }

    /// <summary>
    /// Reads a manifest sent by <paramref name="statusUrl"/>; relative file URLs are taken relative to it.
    /// </summary>
    /// <exception cref="FhirSecurityException">BulkExportManifestInvalid.</exception>
    public static BulkManifest Parse(string json, Uri statusUrl)
    {
        JsonObject document;
        try
        {
            document = JsonNode.Parse(json) as JsonObject ?? throw Invalid(statusUrl, "it is not a JSON object");
        }
        catch (JsonException)
        {
            throw Invalid(statusUrl, "it is not JSON");
        }

        bool requiresAccessToken = document["requiresAccessToken"] switch
        {
            null => false,
            JsonValue value when value.GetValueKind() is JsonValueKind.True or JsonValueKind.False
                => value.GetValue<bool>(),
            _ => throw Invalid(statusUrl, "requiresAccessToken is not true or false"),
        };
        var files = new List<BulkManifestFile>();
        ReadList(document, "output", BulkFileKind.Output, statusUrl, files);
        ReadList(document, "error", BulkFileKind.Error, statusUrl, files);
        ReadList(document, "deleted", BulkFileKind.Deleted, statusUrl, files);
        return new BulkManifest(document, requiresAccessToken, files);
    }

    /// <summary>
    /// The manifest as the server sent it, with every file URL's query replaced by
    /// <see cref="UrlRedaction.RedactedQuery"/> (signed URLs are credentials) and each entry's local file name added
    /// as <c>fileName</c>, indented: the copy saved next to the files.
    /// </summary>
    public string RedactedJson()
    {
        var copy = (JsonObject)_document.DeepClone();
        int index = 0;
        foreach (string list in new[] { "output", "error", "deleted" })
        {
            if (copy[list] is not JsonArray entries)
            {
                continue;
            }

            foreach (JsonObject entry in entries.OfType<JsonObject>())
            {
                BulkManifestFile file = Files[index++];
                entry["url"] = file.DisplayUrl;
                entry["fileName"] = file.FileName;
            }
        }

        return copy.ToJsonString(new JsonSerializerOptions { WriteIndented = true });
    }

    private static void ReadList(
        JsonObject document, string name, BulkFileKind kind, Uri statusUrl, List<BulkManifestFile> files)
    {
        switch (document[name])
        {
            case null:
                return;
            case JsonArray entries:
                var perType = new Dictionary<string, int>(StringComparer.Ordinal);
                foreach (JsonNode? node in entries)
                {
                    files.Add(ReadEntry(node, name, kind, statusUrl, perType));
                }

                return;
            default:
                throw Invalid(statusUrl, $"'{name}' is not a list");
        }
    }

    private static BulkManifestFile ReadEntry(
        JsonNode? node, string list, BulkFileKind kind, Uri statusUrl, Dictionary<string, int> perType)
    {
        if (node is not JsonObject entry
            || entry["type"] is not JsonValue typeValue || typeValue.GetValueKind() != JsonValueKind.String
            || entry["url"] is not JsonValue urlValue || urlValue.GetValueKind() != JsonValueKind.String)
        {
            throw Invalid(statusUrl, $"an entry of '{list}' has no type or url");
        }

        string type = typeValue.GetValue<string>();
        if (!ResourceType().IsMatch(type))
        {
            throw Invalid(statusUrl, $"an entry of '{list}' has the type '{type}', which is no resource type");
        }

        if (!Uri.TryCreate(statusUrl, urlValue.GetValue<string>(), out Uri? url)
            || (url.Scheme != Uri.UriSchemeHttps && url.Scheme != Uri.UriSchemeHttp))
        {
            throw Invalid(statusUrl, $"an entry of '{list}' ({type}) has a url that is not an http(s) URL");
        }

        long? count = entry["count"] is JsonValue countValue && countValue.GetValueKind() == JsonValueKind.Number
            && countValue.TryGetValue(out long stated) && stated >= 0
                ? stated
                : null;
        int place = perType[type] = perType.GetValueOrDefault(type) + 1;
        string folder = kind switch
        {
            BulkFileKind.Error => "error" + Path.DirectorySeparatorChar,
            BulkFileKind.Deleted => "deleted" + Path.DirectorySeparatorChar,
            _ => string.Empty,
        };
        return new BulkManifestFile(kind, type, url, count, $"{folder}{type}.{place}.ndjson");
    }

    private static FhirSecurityException Invalid(Uri statusUrl, string why)
        => new(
            ErrorIds.BulkExportManifestInvalid,
            FailureCategory.InvalidData,
            $"The export's status URL {statusUrl} answered 200 with a manifest this module cannot read: {why}."
            + " Nothing was downloaded. Ask the server's maintainers; the export stays on the server for a later try"
            + " (-StatusUrl).",
            statusUrl);

    [GeneratedRegex("^[A-Z][A-Za-z]{1,63}$")]
    private static partial Regex ResourceType();
}
