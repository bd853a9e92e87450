namespace FhirSecurity.TestServer;

/// <summary>
/// How the test server's <c>$export</c> behaves for exports kicked off from now on (and, for the per-request
/// counters, for the next file requests). Set before the kick-off; <see cref="Reset"/> restores the defaults.
/// </summary>
public sealed class BulkExportScenario
{
    private int _unauthorizedFileRequests;
    private int _abortFileRequests;
    private int _stallFileRequests;
    private int _fileRedirects;

    /// <summary>The defaults: Patient in 2 files of 10 lines, Observation in 1 file of 20.</summary>
    public static IReadOnlyList<BulkFileSpec> DefaultFiles { get; } =
        [new("Patient", 10), new("Patient", 10), new("Observation", 20)];

    /// <summary>How many polls answer 202 before the manifest.</summary>
    public int PollsBeforeReady { get; set; } = 1;

    /// <summary>The Retry-After seconds of a 202, or null for none.</summary>
    public int? RetryAfterSeconds { get; set; }

    /// <summary>The X-Progress of a 202.</summary>
    public string Progress { get; set; } = "in progress";

    /// <summary>The files of the export.</summary>
    public IList<BulkFileSpec> Files { get; set; } = [.. DefaultFiles];

    /// <summary>The manifest's <c>requiresAccessToken</c>; when true, file requests need a valid Bearer token.</summary>
    public bool RequiresAccessToken { get; set; } = true;

    /// <summary>Serve files on the second origin (<see cref="FhirTestServer.SecondOrigin"/>).</summary>
    public bool FilesOnSecondOrigin { get; set; }

    /// <summary>File URLs carry <c>?X-Signature=</c> a random value, and are refused (403) without it.</summary>
    public bool SignedUrls { get; set; }

    /// <summary>Compress file bodies when the request accepts gzip.</summary>
    public bool Gzip { get; set; }

    /// <summary>The rate each file response is sent at, or null for no limit.</summary>
    public long? BytesPerSecond { get; set; }

    /// <summary>A kick-off refusal: that status and an OperationOutcome with these diagnostics.</summary>
    public (int StatusCode, string Diagnostics)? Refusal { get; set; }

    /// <summary>The status URL answers 500 with an OperationOutcome: the export failed on the server.</summary>
    public bool ExportFails { get; set; }

    /// <summary>The kick-off's Content-Location, instead of the real status URL.</summary>
    public Uri? StatusUrlOverride { get; set; }

    /// <summary>Applied to each file URL the manifest lists.</summary>
    public Func<Uri, Uri>? RewriteFileUrl { get; set; }

    /// <summary>The next N file requests answer 401 invalid_token, whatever they carry.</summary>
    public int UnauthorizedFileRequests
    {
        get => Volatile.Read(ref _unauthorizedFileRequests);
        set => Volatile.Write(ref _unauthorizedFileRequests, value);
    }

    /// <summary>The next N file responses send half the body, then drop the connection.</summary>
    public int AbortFileRequests
    {
        get => Volatile.Read(ref _abortFileRequests);
        set => Volatile.Write(ref _abortFileRequests, value);
    }

    /// <summary>The next N file responses send half the body, then wait until the client gives up.</summary>
    public int StallFileRequests
    {
        get => Volatile.Read(ref _stallFileRequests);
        set => Volatile.Write(ref _stallFileRequests, value);
    }

    /// <summary>The next N file requests answer 302 to the same file on the other origin.</summary>
    public int FileRedirects
    {
        get => Volatile.Read(ref _fileRedirects);
        set => Volatile.Write(ref _fileRedirects, value);
    }

    /// <summary>Restores every default.</summary>
    public void Reset()
    {
        PollsBeforeReady = 1;
        RetryAfterSeconds = null;
        Progress = "in progress";
        Files = [.. DefaultFiles];
        RequiresAccessToken = true;
        FilesOnSecondOrigin = false;
        SignedUrls = false;
        Gzip = false;
        BytesPerSecond = null;
        Refusal = null;
        ExportFails = false;
        StatusUrlOverride = null;
        RewriteFileUrl = null;
        UnauthorizedFileRequests = 0;
        AbortFileRequests = 0;
        StallFileRequests = 0;
        FileRedirects = 0;
    }

    /// <summary>Takes one from a counter when it is above zero.</summary>
    internal static bool TakeOne(ref int counter)
    {
        while (true)
        {
            int left = Volatile.Read(ref counter);
            if (left <= 0)
            {
                return false;
            }

            if (Interlocked.CompareExchange(ref counter, left - 1, left) == left)
            {
                return true;
            }
        }
    }

    internal bool TakeUnauthorized() => TakeOne(ref _unauthorizedFileRequests);

    internal bool TakeAbort() => TakeOne(ref _abortFileRequests);

    internal bool TakeStall() => TakeOne(ref _stallFileRequests);

    internal bool TakeRedirect() => TakeOne(ref _fileRedirects);
}
