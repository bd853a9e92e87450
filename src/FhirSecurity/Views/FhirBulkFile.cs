namespace FhirSecurity;

/// <summary>A file of a Bulk Data export, complete on disk and checked against the manifest.</summary>
public sealed class FhirBulkFile
{
    internal FhirBulkFile(FhirBulkFileKind kind, string type, string path, long count, long bytes, string url)
    {
        Kind = kind;
        Type = type;
        Path = path;
        Count = count;
        Bytes = bytes;
        Url = url;
    }

    /// <summary>Output, Error or Deleted.</summary>
    public FhirBulkFileKind Kind { get; }

    /// <summary>The resource type of its lines.</summary>
    public string Type { get; }

    /// <summary>The file's full path.</summary>
    public string Path { get; }

    /// <summary>Its number of lines: one resource each.</summary>
    public long Count { get; }

    /// <summary>Its size on disk.</summary>
    public long Bytes { get; }

    /// <summary>Where it came from, its query (a pre-signed URL's signature) shown as "?redacted".</summary>
    public string Url { get; }

    /// <inheritdoc />
    public override string ToString() => Path;
}
