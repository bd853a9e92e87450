using FhirSecurity.Tests.Harness;
using FhirSecurity.Tests.Requests;
using FhirSecurity.TestServer;
using Xunit;

namespace FhirSecurity.Tests.Bulk;

/// <summary>
/// Hosted-engine tests of Export-FhirBulkData against the test server's $export: an OAuth connection 'bulk' with
/// system/*.read on the /oauth/ base, a fresh destination folder per test, and polls that do not wait.
/// </summary>
public abstract class BulkTest : ServerTest
{
    protected const string StatusPath = "/oauth/fhir/_bulk/status";

    protected BulkTest()
    {
        Destination = Path.Combine(Root, "export");
        Server.Bulk.RetryAfterSeconds = 0;
        NewOAuthConnection("bulk", scope: "system/*.read");
    }

    /// <summary>A temporary folder, removed after the test.</summary>
    protected string Root { get; } = Directory.CreateTempSubdirectory("fhirsec-bulk-").FullName;

    /// <summary>The folder exports go to (not created up front).</summary>
    protected string Destination { get; }

    /// <summary>Runs Export-FhirBulkData through 'bulk' into <see cref="Destination"/> with more arguments.</summary>
    protected PsResult Export(string arguments = "")
        => RunWith($"Export-FhirBulkData -Connection bulk -Destination '{Destination}' {arguments}");

    /// <summary>Like <see cref="Export"/>, and asserts no error.</summary>
    protected PsResult ExportOk(string arguments = "")
    {
        PsResult result = Export(arguments);
        Assert.True(result.Errors.Count == 0, "Unexpected errors: " + string.Join(" | ", result.Errors.Select(e => $"{e.FullyQualifiedErrorId}: {e}")));
        return result;
    }

    /// <summary>Every file under the destination, relative, sorted.</summary>
    protected string[] FilesOnDisk()
        => !Directory.Exists(Destination)
            ? []
            : Directory.GetFiles(Destination, "*", SearchOption.AllDirectories)
                .Select(f => Path.GetRelativePath(Destination, f).Replace('\\', '/'))
                .Order(StringComparer.Ordinal)
                .ToArray();

    /// <summary>The bulk requests of one kind the server received.</summary>
    protected IReadOnlyList<BulkRequestRecord> Requests(BulkRequestKind kind)
        => Server.BulkRequests.Where(r => r.Kind == kind).ToList();

    /// <summary>Asserts the single error of <paramref name="result"/>, or the first when a run ends with more.</summary>
    protected static System.Management.Automation.ErrorRecord AssertFirstError(PsResult result, string errorId)
    {
        Assert.NotEmpty(result.Errors);
        System.Management.Automation.ErrorRecord error = result.Errors[0];
        Assert.Equal($"{errorId},FhirSecurity.Commands.ExportFhirBulkDataCommand", error.FullyQualifiedErrorId);
        return error;
    }

    /// <inheritdoc />
    protected override void Cleanup()
    {
        base.Cleanup();
        Directory.Delete(Root, recursive: true);
    }
}
