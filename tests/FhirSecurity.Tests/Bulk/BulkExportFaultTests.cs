using System.Management.Automation;
using FhirSecurity.Tests.Harness;
using FhirSecurity.TestServer;
using Xunit;

namespace FhirSecurity.Tests.Bulk;

/// <summary>
/// What goes wrong during an export: the server's answers to polls, files that break off, stall, come short or
/// are not what they say; each with its own error id, no partial file left, and a way to finish with -StatusUrl.
/// </summary>
public sealed class BulkExportFaultTests : BulkTest
{
    private void AssertNoPartialFiles() => Assert.DoesNotContain(FilesOnDisk(), f => f.EndsWith(".part", StringComparison.Ordinal));

    [Fact]
    public void Polls_follow_Retry_After_and_show_the_servers_progress()
    {
        Server.Bulk.PollsBeforeReady = 2;
        Server.Bulk.Progress = "42% done";

        PsResult result = ExportOk("-Verbose");

        Assert.Equal(3, Requests(BulkRequestKind.Status).Count);
        Assert.Contains(result.Verbose, v => v.Message.Contains("42% done", StringComparison.Ordinal));
    }

    [Fact]
    public void A_429_and_a_passing_503_on_the_status_url_are_waited_out()
    {
        Server.Faults.EnqueueStatus(StatusPath, 429, 1, TimeSpan.Zero);
        Server.Faults.EnqueueStatus(StatusPath, 503, 1, TimeSpan.Zero);

        PsResult result = ExportOk();

        Assert.Equal(3, result.Output.Count);
        Assert.Equal(0, Server.Faults.Pending);
    }

    [Fact]
    public void An_export_that_failed_on_the_server_is_BulkExportFailed_with_its_words()
    {
        Server.Bulk.ExportFails = true;

        ErrorRecord error = AssertFirstError(Export(), "BulkExportFailed");

        Assert.Contains("The export failed on the server", error.Exception.Message, StringComparison.Ordinal);
        Assert.Equal(["bulk-export.log"], FilesOnDisk());
    }

    [Fact]
    public void A_status_url_the_server_forgot_is_BulkExportNotFound()
    {
        PsResult kicked = RunWithOk("Export-FhirBulkData -Connection bulk -NoWait");
        string statusUrl = ((Uri)Single(kicked, "FhirBulkExport").StatusUrl).AbsoluteUri;
        RunWithOk($"Stop-FhirBulkExport bulk '{statusUrl}' -Confirm:$false");

        AssertFirstError(Export($"-StatusUrl '{statusUrl}'"), "BulkExportNotFound");
    }

    [Fact]
    public void A_status_url_on_another_origin_is_refused_and_gets_nothing()
    {
        Server.Bulk.StatusUrlOverride = new Uri(Server.SecondOrigin, "oauth/fhir/_bulk/status/x");

        ErrorRecord error = AssertError(Export(), "BulkExportStatusUrlForeign", "Export-FhirBulkData");

        Assert.Equal(ErrorCategory.SecurityError, error.CategoryInfo.Category);
        Assert.DoesNotContain(Server.BulkRequests, r => r.Port == Server.SecondOrigin.Port);
    }

    [Fact]
    public void An_http_status_url_of_an_https_connection_is_refused()
    {
        Server.Bulk.StatusUrlOverride = new Uri($"http://127.0.0.1:{Server.Port}/oauth/fhir/_bulk/status/x");

        AssertError(Export(), "BulkExportInsecureUrl", "Export-FhirBulkData");
    }

    [Fact]
    public void A_StatusUrl_that_is_not_absolute_is_refused()
    {
        AssertError(Export("-StatusUrl 'status/1'"), "BulkExportStatusUrlInvalid", "Export-FhirBulkData");
        AssertError(RunWith("Stop-FhirBulkExport bulk 'status/1' -Confirm:$false"), "BulkExportStatusUrlInvalid",
            "Stop-FhirBulkExport");
    }

    [Fact]
    public void A_file_that_breaks_off_once_is_downloaded_again()
    {
        Server.Bulk.Files = [new BulkFileSpec("Patient", 400, 200)];
        Server.Bulk.AbortFileRequests = 1;

        PsResult result = ExportOk();

        Assert.Equal(400L, (long)Assert.Single(result.Output).Properties["Count"].Value);
        Assert.Equal(2, Requests(BulkRequestKind.File).Count);
        AssertNoPartialFiles();
    }

    [Fact]
    public void Files_that_keep_failing_leave_no_partial_file_keep_the_export_and_finish_with_StatusUrl()
    {
        Server.Bulk.Files = [new BulkFileSpec("Patient", 400, 200), new BulkFileSpec("Observation", 5)];
        // One attempt and three retries (RetryPolicy.Default) for the first file, one at a time.
        Server.Bulk.AbortFileRequests = 4;

        PsResult first = Export("-ThrottleLimit 1");

        Assert.Equal(
            ["BulkExportDownloadFailed,FhirSecurity.Commands.ExportFhirBulkDataCommand",
                "BulkExportIncomplete,FhirSecurity.Commands.ExportFhirBulkDataCommand"],
            first.ErrorIds);
        string statusUrl = Requests(BulkRequestKind.Status)[0].Path;
        Assert.Contains("-StatusUrl '", first.Errors[1].Exception.Message, StringComparison.Ordinal);
        Assert.Contains(statusUrl, first.Errors[1].Exception.Message, StringComparison.Ordinal);
        Assert.Equal("Observation", (string)Assert.Single(first.Output).Properties["Type"].Value);
        AssertNoPartialFiles();
        Assert.DoesNotContain("Patient.1.ndjson", FilesOnDisk());
        Assert.Equal(0, Server.DeletedExports);

        Server.ClearBulkRequests();
        PsResult second = ExportOk($"-StatusUrl 'https://127.0.0.1:{Server.Port}{statusUrl}'");

        Assert.Equal("Patient", (string)Assert.Single(second.Output).Properties["Type"].Value);
        Assert.Single(Requests(BulkRequestKind.File));
        Assert.Contains("Patient.1.ndjson", FilesOnDisk());
        Assert.Equal(1, Server.DeletedExports);
    }

    [Fact]
    public void A_file_shorter_than_its_count_is_not_kept()
    {
        Server.Bulk.Files = [new BulkFileSpec("Patient", 10) { ReportedCount = 11 }, new BulkFileSpec("Observation", 2)];

        PsResult result = Export();

        ErrorRecord error = AssertFirstError(result, "BulkExportCountMismatch");
        Assert.Contains("has 10 line(s), but the manifest says 11", error.Exception.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("Patient.1.ndjson", FilesOnDisk());
        Assert.Contains("Observation.1.ndjson", FilesOnDisk());
        AssertNoPartialFiles();
    }

    [Fact]
    public void Validate_refuses_a_line_that_is_no_json_and_a_line_of_another_type()
    {
        Server.Bulk.Files = [new BulkFileSpec("Patient", 10) { CorruptLine = 4 },
            new BulkFileSpec("Observation", 10) { WrongTypeLine = 7 }];

        PsResult checkedRun = Export("-Validate");

        Assert.Equal(3, checkedRun.Errors.Count);
        Assert.Contains(checkedRun.Errors, e => e.FullyQualifiedErrorId.StartsWith("BulkExportLineInvalid,", StringComparison.Ordinal)
            && e.Exception.Message.Contains("line 4", StringComparison.Ordinal));
        Assert.Contains(checkedRun.Errors, e => e.Exception.Message.Contains("line 7", StringComparison.Ordinal)
            && e.Exception.Message.Contains("not a Observation", StringComparison.Ordinal));
        Assert.DoesNotContain(FilesOnDisk(), f => f.EndsWith(".ndjson", StringComparison.Ordinal));
        AssertNoPartialFiles();
    }

    [Fact]
    public void Without_Validate_the_lines_are_only_counted()
    {
        Server.Bulk.Files = [new BulkFileSpec("Patient", 10) { CorruptLine = 4 }];

        Assert.Single(ExportOk().Output);
    }

    [Fact]
    public void A_stalled_file_is_given_up_after_the_connections_timeout_and_tried_again()
    {
        RunWithOk("Set-FhirConnection -Name bulk -TimeoutSec 1");
        Server.Bulk.Files = [new BulkFileSpec("Patient", 2000, 200)];
        Server.Bulk.StallFileRequests = 1;

        PsResult result = ExportOk("-Verbose");

        Assert.Single(result.Output);
        Assert.Equal(2, Requests(BulkRequestKind.File).Count);
        Assert.Contains(result.Verbose, v => v.Message.Contains("stalled", StringComparison.OrdinalIgnoreCase)
            || v.Message.Contains("no data", StringComparison.OrdinalIgnoreCase));
    }

    [Fact]
    public void A_file_that_stalls_every_time_is_BulkExportFileStalled()
    {
        RunWithOk("Set-FhirConnection -Name bulk -TimeoutSec 1");
        Server.Bulk.Files = [new BulkFileSpec("Patient", 2000, 200)];
        Server.Bulk.StallFileRequests = 10;

        PsResult result = Export();

        AssertFirstError(result, "BulkExportFileStalled");
        AssertNoPartialFiles();
    }

    [Fact]
    public void Ctrl_C_removes_partial_files_and_cancels_the_export_on_the_server()
    {
        Server.Bulk.Files = [new BulkFileSpec("Patient", 200, 1000)];
        Server.Bulk.BytesPerSecond = 40_000;

        StopDuringDownload(string.Empty);

        Assert.Equal(1, Server.DeletedExports);
        AssertNoPartialFiles();
        Assert.DoesNotContain("Patient.1.ndjson", FilesOnDisk());
        Assert.Contains(" stopped ", File.ReadAllText(Path.Combine(Destination, "bulk-export.log")),
            StringComparison.Ordinal);
    }

    [Fact]
    public void A_file_error_made_terminating_by_ErrorAction_Stop_ends_the_run_but_keeps_the_export()
    {
        // Both files: refused, and refused again with a new token.
        Server.Bulk.Files = [new BulkFileSpec("Patient", 5), new BulkFileSpec("Patient", 5)];
        Server.Bulk.UnauthorizedFileRequests = 4;

        PsResult stopped = Export("-KeepJob:$false -ErrorAction Stop");

        ErrorRecord error = AssertFirstError(stopped, "BulkExportDownloadFailed");
        Assert.Contains("-StatusUrl", error.Exception.Message, StringComparison.Ordinal);
        Assert.Equal(0, Server.DeletedExports);
        AssertNoPartialFiles();
        var statusUrl = new Uri(Server.OAuthBase, Requests(BulkRequestKind.Status)[0].Path);
        Assert.Equal(2, ExportOk($"-StatusUrl '{statusUrl}'").Output.Count);
    }

    [Fact]
    public void Ctrl_C_with_KeepJob_leaves_the_export_on_the_server()
    {
        Server.Bulk.Files = [new BulkFileSpec("Patient", 200, 1000)];
        Server.Bulk.BytesPerSecond = 40_000;

        StopDuringDownload("-KeepJob");

        Assert.Equal(0, Server.DeletedExports);
        AssertNoPartialFiles();
    }

    private void StopDuringDownload(string arguments)
    {
        using PowerShell ps = PowerShell.Create();
        ps.Runspace = Session.Runspace;
        ps.AddScript($"Export-FhirBulkData -Connection bulk -Destination '{Destination}' {arguments}");
        IAsyncResult running = ps.BeginInvoke();
        var until = DateTime.UtcNow + TimeSpan.FromSeconds(20);
        while (!FilesOnDisk().Any(f => f.EndsWith(".part", StringComparison.Ordinal)) && DateTime.UtcNow < until)
        {
            Thread.Sleep(50);
        }

        Assert.True(DateTime.UtcNow < until, "no download was running");
        ps.Stop();

        Assert.True(running.AsyncWaitHandle.WaitOne(TimeSpan.FromSeconds(15)));
        Assert.Equal(PSInvocationState.Stopped, ps.InvocationStateInfo.State);
    }
}
