using System.Management.Automation;
using System.Text.Json.Nodes;
using FhirSecurity.Tests.Harness;
using FhirSecurity.TestServer;
using Xunit;

namespace FhirSecurity.Tests.Bulk;

/// <summary>Export-FhirBulkData from kick-off to files on disk: what is written, sent and asked for.</summary>
public sealed class ExportFhirBulkDataTests : BulkTest
{
    [Fact]
    public void A_patient_export_writes_every_file_its_manifest_copy_and_log_and_deletes_the_export()
    {
        PsResult result = ExportOk();

        Assert.Equal(3, result.Output.Count);
        Assert.All(result.Output, o => Assert.Equal("FhirSecurity.FhirBulkFile", o.BaseObject.GetType().FullName));
        // As each file completes: in any order.
        var files = result.Output.OrderBy(o => (string)o.Properties["Path"].Value, StringComparer.Ordinal).ToList();
        Assert.Equal(["Observation.1.ndjson", "Patient.1.ndjson", "Patient.2.ndjson"],
            files.Select(o => Path.GetFileName((string)o.Properties["Path"].Value)));
        Assert.Equal([20L, 10L, 10L], files.Select(o => (long)o.Properties["Count"].Value));
        foreach (PSObject file in result.Output)
        {
            string path = (string)file.Properties["Path"].Value;
            Assert.Equal(new FileInfo(path).Length, (long)file.Properties["Bytes"].Value);
            Assert.Equal((long)file.Properties["Count"].Value, File.ReadLines(path).LongCount());
        }

        Assert.Equal(
            ["Observation.1.ndjson", "Patient.1.ndjson", "Patient.2.ndjson", "bulk-export.log", "manifest.json"],
            FilesOnDisk());
        var manifest = JsonNode.Parse(File.ReadAllText(Path.Combine(Destination, "manifest.json")))!.AsObject();
        Assert.Equal("Patient.1.ndjson", (string?)manifest["output"]![0]!["fileName"]);
        string log = File.ReadAllText(Path.Combine(Destination, "bulk-export.log"));
        foreach (string step in new[] { "kickoff", "manifest", "download", "file", "delete", "done" })
        {
            Assert.Contains(" " + step + " ", log, StringComparison.Ordinal);
        }

        Assert.Equal(1, Server.DeletedExports);
    }

    [Fact]
    public void The_kickoff_asks_asynchronously_and_every_request_carries_the_token()
    {
        ExportOk();

        BulkRequestRecord kickoff = Assert.Single(Requests(BulkRequestKind.Kickoff));
        Assert.Equal("/oauth/fhir/Patient/$export", kickoff.Path);
        Assert.Equal("application/fhir+json", kickoff.Accept);
        Assert.Equal("respond-async", kickoff.Prefer);
        Assert.All(Server.BulkRequests, r => Assert.Equal("Bearer", r.AuthorizationScheme));
        Assert.All(Requests(BulkRequestKind.File), r =>
        {
            Assert.Equal("application/fhir+ndjson", r.Accept);
            Assert.Contains("gzip", r.AcceptEncoding, StringComparison.Ordinal);
        });
        Assert.Equal(2, Requests(BulkRequestKind.Status).Count);
    }

    [Fact]
    public void Each_parameter_goes_into_the_kickoff_and_Type_narrows_the_files()
    {
        PsResult result = ExportOk("-Level System -Type Patient -Since ([DateTimeOffset]'2026-01-02T03:04:05Z')"
            + " -TypeFilter 'Patient?active=true' -Elements id, meta");

        BulkRequestRecord kickoff = Assert.Single(Requests(BulkRequestKind.Kickoff));
        Assert.Equal("/oauth/fhir/$export", kickoff.Path);
        string query = Uri.UnescapeDataString(kickoff.Query);
        Assert.Contains("_outputFormat=application/fhir+ndjson", query, StringComparison.Ordinal);
        Assert.Contains("_type=Patient", query, StringComparison.Ordinal);
        Assert.Contains("_since=2026-01-02T03:04:05.000+00:00", query, StringComparison.Ordinal);
        Assert.Contains("_typeFilter=Patient?active=true", query, StringComparison.Ordinal);
        Assert.Contains("_elements=id,meta", query, StringComparison.Ordinal);
        Assert.Equal(2, result.Output.Count);
        Assert.All(result.Output, o => Assert.Equal("Patient", (string)o.Properties["Type"].Value));
    }

    [Fact]
    public void A_group_export_goes_to_its_group_and_an_unknown_group_is_the_servers_refusal()
    {
        ExportOk("-Level Group -GroupId pat-group");
        Assert.Equal("/oauth/fhir/Group/pat-group/$export", Requests(BulkRequestKind.Kickoff)[0].Path);

        PsResult unknown = RunWith($"Export-FhirBulkData bulk '{Path.Combine(Root, "other")}' -Level Group -GroupId nope");
        ErrorRecord error = AssertError(unknown, "BulkExportKickoffRefused", "Export-FhirBulkData");
        Assert.Equal(ErrorCategory.ObjectNotFound, error.CategoryInfo.Category);
        Assert.Contains("Group/nope is not known", error.Exception.Message, StringComparison.Ordinal);
        Assert.False(Directory.Exists(Path.Combine(Root, "other")));
    }

    [Theory]
    [InlineData("-Level Group", "BulkExportGroupIdRequired")]
    [InlineData("-Level Group -GroupId 'https://x/Group/1'", "BulkExportGroupIdInvalid")]
    [InlineData("-GroupId g1", "BulkExportGroupIdRequired")]
    public void Bad_group_arguments_are_refused_before_anything_is_sent(string arguments, string errorId)
    {
        AssertError(Export(arguments), errorId, "Export-FhirBulkData");

        Assert.Empty(Server.BulkRequests);
        Assert.Empty(FilesOnDisk());
    }

    [Fact]
    public void An_OperationOutcome_refusal_becomes_an_error_with_the_servers_words_and_nothing_on_disk()
    {
        Server.Bulk.Refusal = (422, "This server exports Patient only");

        ErrorRecord error = AssertError(Export(), "BulkExportKickoffRefused", "Export-FhirBulkData");

        Assert.Contains("This server exports Patient only", error.Exception.Message, StringComparison.Ordinal);
        Assert.False(Directory.Exists(Destination));
    }

    [Fact]
    public void NoWait_returns_the_export_which_pipes_into_a_later_run_and_into_Stop()
    {
        PsResult kicked = RunWithOk("Export-FhirBulkData -Connection bulk -NoWait");
        dynamic export = Single(kicked, "FhirBulkExport");
        Assert.Equal("bulk", (string)export.Connection);
        Assert.StartsWith(Server.OAuthBase.AbsoluteUri + "_bulk/status/", ((Uri)export.StatusUrl).AbsoluteUri,
            StringComparison.Ordinal);
        Assert.Empty(Requests(BulkRequestKind.File));

        var pipe = new Dictionary<string, object?> { ["export"] = kicked.Output[0] };
        PsResult finished = Run($"$export | Export-FhirBulkData -Destination '{Destination}' -KeepJob", pipe);
        Assert.Empty(finished.Errors);
        Assert.Equal(3, finished.Output.Count);
        Assert.Equal(0, Server.DeletedExports);

        Assert.Empty(Run("$export | Stop-FhirBulkExport -Confirm:$false", pipe).Errors);
        Assert.Equal(1, Server.DeletedExports);
        AssertError(Run("$export | Stop-FhirBulkExport -Confirm:$false", pipe), "BulkExportNotFound",
            "Stop-FhirBulkExport");
    }

    [Fact]
    public void Stop_with_WhatIf_sends_nothing()
    {
        PsResult kicked = RunWithOk("Export-FhirBulkData -Connection bulk -NoWait");
        string statusUrl = ((Uri)Single(kicked, "FhirBulkExport").StatusUrl).AbsoluteUri;

        RunWithOk($"Stop-FhirBulkExport -Connection bulk -StatusUrl '{statusUrl}' -WhatIf");

        Assert.Empty(Requests(BulkRequestKind.Delete));
    }

    [Fact]
    public void A_non_empty_folder_needs_Force_and_a_file_is_no_folder()
    {
        Directory.CreateDirectory(Destination);
        File.WriteAllText(Path.Combine(Destination, "keep.txt"), "mine");

        AssertError(Export(), "BulkExportDestinationNotEmpty", "Export-FhirBulkData");
        Assert.Empty(Server.BulkRequests);
        Assert.Equal(3, ExportOk("-Force").Output.Count);
        Assert.Equal("mine", File.ReadAllText(Path.Combine(Destination, "keep.txt")));

        string file = Path.Combine(Root, "a-file");
        File.WriteAllText(file, "x");
        AssertError(RunWith($"Export-FhirBulkData bulk '{file}'"), "BulkExportDestinationInvalid",
            "Export-FhirBulkData");
    }

    [Theory]
    [InlineData("-ThrottleLimit 0")]
    [InlineData("-ThrottleLimit 33")]
    [InlineData("-Type patient")]
    public void Out_of_range_arguments_are_refused_by_binding(string arguments)
    {
        PsResult result = Export(arguments);

        Assert.Contains("ParameterArgumentValidationError", Assert.Single(result.Errors).FullyQualifiedErrorId,
            StringComparison.Ordinal);
    }

    [Fact]
    public void Error_files_are_downloaded_and_reported_as_counted_warnings()
    {
        Server.Bulk.Files = [new BulkFileSpec("Patient", 5), new BulkFileSpec("OperationOutcome", 3)
            { Section = BulkFileSection.Error }];

        PsResult result = ExportOk();

        Assert.Contains("error/OperationOutcome.1.ndjson", FilesOnDisk());
        Assert.Contains(result.Output, o => o.Properties["Kind"].Value.ToString() == "Error");
        WarningRecord warning = Assert.Single(result.Warnings);
        Assert.Contains("3 error issue(s) (processing)", warning.Message, StringComparison.Ordinal);
        Assert.Contains("could not be exported", warning.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Gzip_answers_are_written_uncompressed()
    {
        Server.Bulk.Gzip = true;
        Server.Bulk.Files = [new BulkFileSpec("Patient", 200, 500)];

        PsResult result = ExportOk();

        string path = Path.Combine(Destination, "Patient.1.ndjson");
        Assert.Equal(200, File.ReadLines(path).Count());
        Assert.StartsWith("{\"resourceType\":\"Patient\"", File.ReadLines(path).First(), StringComparison.Ordinal);
        Assert.Equal(new FileInfo(path).Length, (long)result.Output[0].Properties["Bytes"].Value);
    }

    [Fact]
    public void The_format_view_shows_kind_type_count_and_path()
    {
        ExportOk();

        string table = Session.RunFormatted(
            $"Export-FhirBulkData bulk '{Path.Combine(Root, "again")}'", Vars);

        // Headers come with the host's colours.
        table = System.Text.RegularExpressions.Regex.Replace(table, "\u001b\\[[0-9;]*m", string.Empty);
        Assert.True(System.Text.RegularExpressions.Regex.IsMatch(table, @"Kind\s+Type\s+Count\s+MB\s+Path"), table);
        Assert.Matches(@"Output\s+Observation\s+20\s+0\.0\s+.*Observation\.1\.ndjson", table);
    }
}
