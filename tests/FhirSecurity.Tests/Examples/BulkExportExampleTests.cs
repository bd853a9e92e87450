using System.Net;
using FhirSecurity.Tests.Harness;
using FhirSecurity.TestServer;
using Xunit;

namespace FhirSecurity.Tests.Examples;

/// <summary>
/// examples/bulk-export.ps1 (the runbook of docs/bulk-data.md) run as a user runs it against the test server's
/// $export: a first night, a second night with -Since, and a night that stopped mid-download finished by the next.
/// </summary>
public sealed class BulkExportExampleTests : HostedEngineTest
{
    private readonly FhirTestServer _server;
    private readonly DirectoryInfo _temp;
    private readonly string _caFile;
    private readonly string _destination;

    public BulkExportExampleTests()
    {
        _server = FhirTestServer.StartAsync().GetAwaiter().GetResult();
        _server.Bulk.RetryAfterSeconds = 0;
        _temp = Directory.CreateTempSubdirectory("FhirSecurity.BulkExampleTests-");
        _caFile = Path.Combine(_temp.FullName, "ca.pem");
        _destination = Path.Combine(_temp.FullName, "extract");
        File.WriteAllText(_caFile, _server.Pki.BundlePem);
    }

    private string InProgressFile => Path.Combine(_destination, "export-in-progress.txt");

    [Fact]
    public void A_first_night_writes_every_file_and_keeps_the_manifest_for_the_next()
    {
        PsResult result = RunExample();

        AssertNoErrors(result);
        Assert.Contains("Written to ", result.HostText);
        Assert.Contains(": 3 files, 40 resources", result.HostText);
        Assert.Matches(@"Output Observation: 20 lines in .*Observation\.1\.ndjson", result.HostText);
        Assert.True(File.Exists(Path.Combine(_destination, "last-manifest.json")));
        Assert.False(File.Exists(InProgressFile));
        Assert.DoesNotContain("_since", Kickoffs().Single().Query ?? string.Empty, StringComparison.Ordinal);
        Assert.Equal(1, _server.DeletedExports);
        Assert.DoesNotContain(OAuthClientRegistration.Demo.ClientSecret, result.AllText());
    }

    [Fact]
    public void The_next_night_exports_only_what_changed_since_the_last_transaction_time()
    {
        AssertNoErrors(RunExample());

        PsResult again = RunExample();

        AssertNoErrors(again);
        Assert.Contains("Exporting changes since ", again.HostText);
        Assert.Contains("_since=", Kickoffs().Last().Query, StringComparison.Ordinal);
    }

    [Fact]
    public void A_night_stopped_mid_download_is_finished_by_the_next_run_without_a_new_kickoff()
    {
        // Each of the three files: refused, and refused again with a new token.
        _server.Bulk.UnauthorizedFileRequests = 6;
        PsResult stopped = RunExample();
        // The script runs with $ErrorActionPreference = 'Stop': the first failed file ends it, the export stays.
        Assert.Contains(stopped.Errors, e => e.FullyQualifiedErrorId.StartsWith("BulkExportDownloadFailed,", StringComparison.Ordinal));
        Assert.Equal(0, _server.DeletedExports);
        string folder = File.ReadAllLines(InProgressFile)[1];
        _server.Bulk.UnauthorizedFileRequests = 0;

        PsResult resumed = RunExample();

        AssertNoErrors(resumed);
        Assert.Contains("Resuming the export at ", resumed.HostText);
        string[] files = Directory.GetFiles(folder, "*.ndjson");
        Assert.Equal(3, files.Length);
        Assert.Equal(40, files.Sum(f => File.ReadAllLines(f).Length));
        Assert.Single(Kickoffs());
        Assert.False(File.Exists(InProgressFile));
    }

    /// <inheritdoc />
    protected override void Cleanup()
    {
        _server.DisposeAsync().AsTask().GetAwaiter().GetResult();
        _temp.Delete(recursive: true);
    }

    private static void AssertNoErrors(PsResult result)
        => Assert.True(result.Errors.Count == 0, "Unexpected errors: " + string.Join(" | ", result.Errors.Select(e => $"{e.FullyQualifiedErrorId}: {e}")));

    private List<BulkRequestRecord> Kickoffs() => [.. _server.BulkRequests.Where(r => r.Kind == BulkRequestKind.Kickoff)];

    private PsResult RunExample() => Run(
        "& $script -FhirBaseUri $base -TokenUrl $tokenUrl -CaBundlePath $caFile -ClientId $clientId -ClientSecret $secret"
        + " -Destination $destination | Out-Default",
        new Dictionary<string, object?>
        {
            ["script"] = Path.Combine(RepoPaths.Root, "examples", "bulk-export.ps1"),
            ["base"] = _server.OAuthBase.AbsoluteUri,
            ["tokenUrl"] = _server.TokenEndpoint.AbsoluteUri,
            ["caFile"] = _caFile,
            ["clientId"] = OAuthClientRegistration.Demo.ClientId,
            ["secret"] = new NetworkCredential(string.Empty, OAuthClientRegistration.Demo.ClientSecret).SecurePassword,
            ["destination"] = _destination,
        });
}
