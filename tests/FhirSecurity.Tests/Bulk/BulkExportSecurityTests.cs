using System.Management.Automation;
using FhirSecurity.Tests.Harness;
using FhirSecurity.TestServer;
using Xunit;

namespace FhirSecurity.Tests.Bulk;

/// <summary>
/// Where the token goes during an export, and that signed file URLs' queries, tokens and secrets appear nowhere:
/// no stream, error, view, manifest copy or log.
/// </summary>
public sealed class BulkExportSecurityTests : BulkTest
{
    [Fact]
    public void Files_that_need_no_token_never_get_one()
    {
        Server.Bulk.RequiresAccessToken = false;

        ExportOk();

        Assert.All(Requests(BulkRequestKind.File), r => Assert.Null(r.AuthorizationScheme));
        Assert.All(Requests(BulkRequestKind.Status), r => Assert.Equal("Bearer", r.AuthorizationScheme));
    }

    [Fact]
    public void A_file_on_another_origin_that_needs_the_token_is_refused_without_a_request()
    {
        Server.Bulk.FilesOnSecondOrigin = true;
        Server.Bulk.Files = [new BulkFileSpec("Patient", 3)];

        PsResult result = Export();

        ErrorRecord error = AssertFirstError(result, "BulkExportFileOriginNotAllowed");
        Assert.Equal(ErrorCategory.SecurityError, error.CategoryInfo.Category);
        Assert.Contains("-BulkDataOrigin", error.Exception.Message, StringComparison.Ordinal);
        Assert.Empty(Requests(BulkRequestKind.File));
        Assert.Equal(0, Server.DeletedExports);
    }

    [Fact]
    public void A_file_on_an_allowed_bulk_data_origin_gets_the_token_there_and_no_other_request_does()
    {
        Server.Bulk.FilesOnSecondOrigin = true;
        Server.Bulk.Files = [new BulkFileSpec("Patient", 3)];
        RunOk($"Set-FhirConnection -Name bulk -BulkDataOrigin {Server.SecondOrigin.GetLeftPart(UriPartial.Authority)}");

        PsResult result = ExportOk("-KeepJob");
        BulkRequestRecord exported = Assert.Single(Requests(BulkRequestKind.File));
        string fileUrl = (string)result.Output[0].Properties["Url"].Value;
        Server.ClearBulkRequests();
        PsResult plain = RunWith($"Invoke-FhirRequest -Connection bulk -Path '{fileUrl}'");

        Assert.Equal(3L, result.Output[0].Properties["Count"].Value);
        Assert.Equal(Server.SecondOrigin.Port, exported.Port);
        Assert.Equal("Bearer", exported.AuthorizationScheme);
        // The same URL through Invoke-FhirRequest: the origin is allowed for exports only, so it goes bare.
        BulkRequestRecord invoked = Assert.Single(Requests(BulkRequestKind.File));
        Assert.Null(invoked.AuthorizationScheme);
        Exception refused = Assert.Single(plain.Errors).Exception;
        Assert.Equal(401, refused.GetType().GetProperty("StatusCode")!.GetValue(refused));
    }

    [Fact]
    public void Signed_files_on_another_origin_download_bare_and_their_signatures_appear_nowhere()
    {
        Server.Bulk.FilesOnSecondOrigin = true;
        Server.Bulk.RequiresAccessToken = false;
        Server.Bulk.SignedUrls = true;
        Server.Bulk.Files = [new BulkFileSpec("Patient", 5), new BulkFileSpec("Patient", 5) { ReportedCount = 9 }];

        PsResult result = Export("-Verbose -Debug");
        string again = $"Export-FhirBulkData bulk '{Path.Combine(Root, "again")}' -ErrorAction SilentlyContinue";
        string formatted = Session.RunFormatted(again, Vars)
            + Session.RunAllProperties(again.Replace("again", "third", StringComparison.Ordinal), Vars);

        Assert.Single(result.Output);
        AssertFirstError(result, "BulkExportCountMismatch");
        Assert.All(Requests(BulkRequestKind.File), r =>
        {
            Assert.Equal(Server.SecondOrigin.Port, r.Port);
            Assert.Null(r.AuthorizationScheme);
        });
        string shownUrl = (string)result.Output[0].Properties["Url"].Value;
        Assert.StartsWith(Server.SecondOrigin.AbsoluteUri + "_bulk/files/", shownUrl, StringComparison.Ordinal);
        Assert.EndsWith(".ndjson?redacted", shownUrl, StringComparison.Ordinal);
        string[] written = [.. Directory.GetFiles(Root, "*", SearchOption.AllDirectories)
            .Where(f => !f.EndsWith(".ndjson", StringComparison.Ordinal)).Select(File.ReadAllText)];
        Assert.NotEmpty(Server.IssuedFileSignatures);
        foreach (string canary in Server.IssuedFileSignatures.Concat(Server.IssuedTokenValues).Append(ClientSecret))
        {
            Assert.DoesNotContain(canary, result.AllText(), StringComparison.Ordinal);
            Assert.DoesNotContain(canary, formatted, StringComparison.Ordinal);
            Assert.All(written, text => Assert.DoesNotContain(canary, text, StringComparison.Ordinal));
            Assert.All(result.Errors, e => Assert.DoesNotContain(canary, e.Exception.ToString(), StringComparison.Ordinal));
        }
    }

    [Fact]
    public void A_redirected_file_is_followed_without_the_token()
    {
        Server.Bulk.RequiresAccessToken = false;
        Server.Bulk.SignedUrls = true;
        Server.Bulk.Files = [new BulkFileSpec("Patient", 5)];
        Server.Bulk.FileRedirects = 1;

        ExportOk();

        IReadOnlyList<BulkRequestRecord> files = Requests(BulkRequestKind.File);
        Assert.Equal([Server.Port, Server.SecondOrigin.Port], files.Select(f => f.Port));
        Assert.All(files, f => Assert.Null(f.AuthorizationScheme));
    }

    [Fact]
    public void A_401_on_a_file_fetches_a_new_token_and_restarts_that_file_once()
    {
        Server.Bulk.Files = [new BulkFileSpec("Patient", 5)];
        ExportOk();
        long tokensBefore = Server.Counters.TokenRequests;
        Server.Bulk.UnauthorizedFileRequests = 1;

        PsResult result = ExportOk("-Force -Verbose");

        Assert.Single(result.Output);
        Assert.Equal(tokensBefore + 1, Server.Counters.TokenRequests);
        // The first run's file, then the 401 and the restart.
        Assert.Equal(3, Requests(BulkRequestKind.File).Count);
    }

    [Fact]
    public void A_file_refused_also_with_a_new_token_is_BulkExportDownloadFailed()
    {
        Server.Bulk.Files = [new BulkFileSpec("Patient", 5)];
        Server.Bulk.UnauthorizedFileRequests = 2;

        ErrorRecord error = AssertFirstError(Export(), "BulkExportDownloadFailed");

        Assert.Equal(ErrorCategory.AuthenticationError, error.CategoryInfo.Category);
        Assert.Contains("also with a new access token", error.Exception.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void An_http_file_url_is_refused_and_its_query_not_shown()
    {
        Server.Bulk.RequiresAccessToken = false;
        Server.Bulk.SignedUrls = true;
        Server.Bulk.Files = [new BulkFileSpec("Patient", 5)];
        Server.Bulk.RewriteFileUrl = url => new UriBuilder(url) { Scheme = "http" }.Uri;

        PsResult result = Export();

        ErrorRecord error = AssertFirstError(result, "BulkExportInsecureUrl");
        Assert.Contains("?redacted", error.Exception.Message, StringComparison.Ordinal);
        Assert.All(Server.IssuedFileSignatures, s => Assert.DoesNotContain(s, result.AllText(), StringComparison.Ordinal));
        Assert.Empty(Requests(BulkRequestKind.File));
    }
}
