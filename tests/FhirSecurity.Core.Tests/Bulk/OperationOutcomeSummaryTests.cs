using FhirSecurity.Core.Bulk;
using Xunit;

namespace FhirSecurity.Core.Tests.Bulk;

public sealed class OperationOutcomeSummaryTests : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("fhirsec-outcomes-").FullName;

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    private BulkFileResult ErrorFile(string name, params string[] lines)
    {
        string path = Path.Combine(_folder, name);
        File.WriteAllLines(path, lines);
        var file = new BulkManifestFile(BulkFileKind.Error, "OperationOutcome", new Uri("https://x/" + name), null,
            Path.Combine("error", name));
        return new BulkFileResult(file, path, lines.Length, new FileInfo(path).Length, 1);
    }

    private static string Outcome(string severity, string code, string diagnostics)
        => "{\"resourceType\":\"OperationOutcome\",\"issue\":[{\"severity\":\"" + severity + "\",\"code\":\"" + code
           + "\",\"diagnostics\":\"" + diagnostics + "\"}]}";

    [Fact]
    public void IssuesAreCountedPerSeverityAndCodeWithTheFirstTextAsExample()
    {
        BulkFileResult file = ErrorFile(
            "OperationOutcome.1.ndjson",
            Outcome("error", "processing", "Resource 1 failed"),
            Outcome("error", "processing", "Resource 2 failed"),
            Outcome("warning", "too-costly", "Skipped"));

        string[] warnings = [.. OperationOutcomeSummary.Warnings([file])];

        Assert.Equal(2, warnings.Length);
        Assert.Contains(warnings, w => w.Contains("2 error issue(s) (processing)", StringComparison.Ordinal)
            && w.Contains("\"Resource 1 failed\"", StringComparison.Ordinal));
        Assert.Contains(warnings, w => w.Contains("1 warning issue(s) (too-costly)", StringComparison.Ordinal));
    }

    [Fact]
    public void LinesThatAreNoOperationOutcomeAreCountedNotQuoted()
    {
        BulkFileResult file = ErrorFile("OperationOutcome.1.ndjson", "{\"resourceType\":\"Patient\"}", "garbage");

        string warning = Assert.Single(OperationOutcomeSummary.Warnings([file]));

        Assert.Contains("2 line(s) that are no OperationOutcome", warning, StringComparison.Ordinal);
        Assert.DoesNotContain("garbage", warning, StringComparison.Ordinal);
    }
}
