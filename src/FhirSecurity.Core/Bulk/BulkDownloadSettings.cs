using FhirSecurity.Core.Http;

namespace FhirSecurity.Core.Bulk;

/// <summary>How an export's files are downloaded.</summary>
/// <param name="Destination">The folder the files go to (it exists).</param>
/// <param name="Retry">When a file request is sent again (passing failures, a download cut short).</param>
/// <param name="StallTimeout">How long a download may go without receiving a byte before it is given up.</param>
/// <param name="Validate">Check that every line is JSON of the file's resource type.</param>
public sealed record BulkDownloadSettings(string Destination, RetryPolicy Retry, TimeSpan StallTimeout, bool Validate)
{
    /// <summary>The longest a single file may take, all attempts included (a file of many GB on a slow line).</summary>
    public static readonly TimeSpan FileTimeout = TimeSpan.FromHours(24);

    /// <summary>The suffix of a file being downloaded; it is renamed without it once complete and checked.</summary>
    public const string PartialSuffix = ".part";
}
