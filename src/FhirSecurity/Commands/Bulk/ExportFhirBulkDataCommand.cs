using System.Management.Automation;
using System.Text.RegularExpressions;
using FhirSecurity.Core.Auth;
using FhirSecurity.Core.Bulk;
using FhirSecurity.Core.Errors;
using FhirSecurity.Core.Fhir;
using FhirSecurity.Core.Http;

namespace FhirSecurity.Commands;

/// <summary>
/// Runs a FHIR Bulk Data export (IG v2) through a connection: kick-off, status polls, and the files downloaded in
/// parallel into a folder, checked against the manifest; or only the kick-off (-NoWait), or the rest of an export
/// kicked off earlier (-StatusUrl).
/// </summary>
[Cmdlet(VerbsData.Export, "FhirBulkData", DefaultParameterSetName = WaitSet)]
[OutputType(typeof(FhirBulkFile), ParameterSetName = [WaitSet, StatusUrlSet])]
[OutputType(typeof(FhirBulkExport), ParameterSetName = [NoWaitSet])]
public sealed class ExportFhirBulkDataCommand : FhirCommand
{
    private const string WaitSet = "Wait";
    private const string NoWaitSet = "NoWait";
    private const string StatusUrlSet = "StatusUrl";

    /// <summary>The connection: a name, or an object from Get-FhirConnection.</summary>
    [Parameter(Mandatory = true, Position = 0, ValueFromPipelineByPropertyName = true)]
    [ArgumentCompleter(typeof(ConnectionNameCompleter))]
    public FhirConnectionReference Connection { get; set; } = null!;

    /// <summary>The folder the files go to (created when missing; must be empty without -Force).</summary>
    [Parameter(Mandatory = true, Position = 1, ParameterSetName = WaitSet)]
    [Parameter(Mandatory = true, Position = 1, ParameterSetName = StatusUrlSet)]
    [ValidateNotNullOrEmpty]
    public string Destination { get; set; } = string.Empty;

    /// <summary>What to export: System, Patient (the default) or Group (with -GroupId).</summary>
    [Parameter(ParameterSetName = WaitSet)]
    [Parameter(ParameterSetName = NoWaitSet)]
    public FhirBulkExportLevel Level { get; set; } = FhirBulkExportLevel.Patient;

    /// <summary>The Group's id, for -Level Group.</summary>
    [Parameter(ParameterSetName = WaitSet)]
    [Parameter(ParameterSetName = NoWaitSet)]
    public string? GroupId { get; set; }

    /// <summary>Resource types to export (_type); all the server allows when not given.</summary>
    [Parameter(ParameterSetName = WaitSet)]
    [Parameter(ParameterSetName = NoWaitSet)]
    [ValidatePattern("^[A-Z][A-Za-z]+$", Options = RegexOptions.None)]
    public string[]? Type { get; set; }

    /// <summary>Only resources changed after this time (_since), e.g. the transactionTime of the last export.</summary>
    [Parameter(ParameterSetName = WaitSet)]
    [Parameter(ParameterSetName = NoWaitSet)]
    public DateTimeOffset? Since { get; set; }

    /// <summary>FHIR searches that narrow a type (_typeFilter), e.g. 'Observation?category=vital-signs'.</summary>
    [Parameter(ParameterSetName = WaitSet)]
    [Parameter(ParameterSetName = NoWaitSet)]
    [ValidateNotNullOrEmpty]
    public string[]? TypeFilter { get; set; }

    /// <summary>Elements to keep in each resource (_elements), e.g. id, meta, name.</summary>
    [Parameter(ParameterSetName = WaitSet)]
    [Parameter(ParameterSetName = NoWaitSet)]
    [ValidateNotNullOrEmpty]
    public string[]? Elements { get; set; }

    /// <summary>The file format (_outputFormat). Default: application/fhir+ndjson.</summary>
    [Parameter(ParameterSetName = WaitSet)]
    [Parameter(ParameterSetName = NoWaitSet)]
    [ValidateNotNullOrEmpty]
    public string OutputFormat { get; set; } = BulkExportRequest.Ndjson;

    /// <summary>Only kick the export off, and return an object to finish it later with -StatusUrl.</summary>
    [Parameter(Mandatory = true, ParameterSetName = NoWaitSet)]
    public SwitchParameter NoWait { get; set; }

    /// <summary>The status URL of an export kicked off earlier (-NoWait, or a run that stopped): finish it.</summary>
    [Parameter(Mandatory = true, ParameterSetName = StatusUrlSet, ValueFromPipelineByPropertyName = true)]
    public Uri? StatusUrl { get; set; }

    /// <summary>How many files are downloaded at once. Default: 4.</summary>
    [Parameter(ParameterSetName = WaitSet)]
    [Parameter(ParameterSetName = StatusUrlSet)]
    [ValidateRange(1, 32)]
    public int ThrottleLimit { get; set; } = 4;

    /// <summary>Check that every line of every file is JSON of the file's resource type.</summary>
    [Parameter(ParameterSetName = WaitSet)]
    [Parameter(ParameterSetName = StatusUrlSet)]
    public SwitchParameter Validate { get; set; }

    /// <summary>Write into a folder that is not empty (files of the same name are replaced).</summary>
    [Parameter(ParameterSetName = WaitSet)]
    [Parameter(ParameterSetName = StatusUrlSet)]
    public SwitchParameter Force { get; set; }

    /// <summary>Leave the export on the server when done or stopped (no DELETE), e.g. to download it again.</summary>
    [Parameter(ParameterSetName = WaitSet)]
    [Parameter(ParameterSetName = StatusUrlSet)]
    public SwitchParameter KeepJob { get; set; }

    /// <inheritdoc />
    protected override void ProcessRecord()
        => Run(() =>
        {
            ResolvedConnection connection = ResolveConnection(Connection, forceReload: false);
            string? folder = null;
            if (ParameterSetName != NoWaitSet)
            {
                folder = SessionState.Path.GetUnresolvedProviderPathFromPSPath(Destination);
                BulkDestination.Check(folder, allowNonEmpty: Force || StatusUrl is not null);
            }

            Uri statusUrl;
            bool attaching = StatusUrl is not null;
            if (StatusUrl is { } given)
            {
                statusUrl = BulkStatusUrls.Checked(given);
            }
            else
            {
                (connection, statusUrl) = KickOff(connection);
                if (NoWait)
                {
                    WriteObject(new FhirBulkExport(
                        statusUrl, connection.Connection.Name, connection.Vault, DateTimeOffset.Now));
                    return;
                }
            }

            BulkDestination.Create(folder!);
            using var log = new BulkExportLog(folder!, TimeProvider.System);
            log.Write(attaching ? "attach" : "kickoff", $"connection '{connection.Connection.Name}',"
                + $" status {statusUrl}");
            var run = new BulkExportRun(
                connection, HandlerPool.Shared, TokenCache.Shared, TimeProvider.System, RetryPolicy.Default);
            var settings = new BulkDownloadSettings(
                folder!, RetryPolicy.Default, TimeSpan.FromSeconds(connection.Connection.TimeoutSec), Validate);
            BulkExportReporter? reporter = null;
            int failed;
            try
            {
                failed = WaitPosting(post =>
                {
                    reporter = new BulkExportReporter(this, post, connection.Connection.Name);
                    return run.RunAsync(
                        statusUrl,
                        settings,
                        ThrottleLimit,
                        skipComplete: attaching,
                        // An error made terminating (-ErrorAction Stop) stops the run too: the export stays, so a
                        // later -StatusUrl run finishes it. Only Ctrl-C cancels it on the server.
                        keepJob: () => KeepJob || StoppedByWrite,
                        reporter,
                        log,
                        StopToken);
                });
            }
            finally
            {
                reporter?.Completed();
            }

            if (failed > 0)
            {
                WriteError(ErrorRecords.From(BulkStatusUrls.Incomplete(failed, statusUrl, folder!)));
            }
        });

    private (ResolvedConnection Connection, Uri StatusUrl) KickOff(ResolvedConnection connection)
    {
        var export = new BulkExportRequest(
            BulkViews.ToEngine(Level),
            GroupId,
            Type ?? [],
            Since,
            TypeFilter ?? [],
            Elements ?? [],
            OutputFormat);
        for (bool lastTry = false; ; lastTry = true)
        {
            var client = new BulkExportClient(
                connection, HandlerPool.Shared, TokenCache.Shared, TimeProvider.System, RetryPolicy.Default);
            bool last = lastTry;
            Uri? statusUrl = Wait(verbose => client.KickOffAsync(export, last, StopToken, verbose));
            if (statusUrl is not null)
            {
                WriteVerbose($"Export kicked off; its status URL is {statusUrl}.");
                return (connection, statusUrl);
            }

            WriteVerbose("401 Unauthorized: reading the connection's definitions again and kicking off once more.");
            connection = ResolveConnection(Connection, forceReload: true);
        }
    }
}
