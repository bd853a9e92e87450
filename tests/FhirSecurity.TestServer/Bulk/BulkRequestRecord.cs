namespace FhirSecurity.TestServer;

/// <summary>What a Bulk Data request was for.</summary>
public enum BulkRequestKind
{
    /// <summary>A <c>$export</c> kick-off.</summary>
    Kickoff,

    /// <summary>A GET of a status URL.</summary>
    Status,

    /// <summary>A GET of a file.</summary>
    File,

    /// <summary>A DELETE of a status URL.</summary>
    Delete,
}

/// <summary>
/// One Bulk Data request as received. <paramref name="Query"/> is kept for kick-offs only, so a file's signature is
/// never copied here.
/// </summary>
public sealed record BulkRequestRecord(
    BulkRequestKind Kind,
    string Method,
    string Path,
    string Query,
    int Port,
    string? AuthorizationScheme,
    string? Accept,
    string? AcceptEncoding,
    string? Prefer);
