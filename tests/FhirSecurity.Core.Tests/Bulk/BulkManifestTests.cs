using System.Text.Json.Nodes;
using FhirSecurity.Core.Bulk;
using FhirSecurity.Core.Errors;
using Xunit;

namespace FhirSecurity.Core.Tests.Bulk;

public sealed class BulkManifestTests
{
    private const string Signature = "sig-canary-5f1e0c";
    private static readonly Uri StatusUrl = new("https://fhir.example.org/r4/_bulk/status/42");

    private static string Manifest(bool? requiresAccessToken = true) => new JsonObject
    {
        ["transactionTime"] = "2026-12-07T01:02:03Z",
        ["request"] = "https://fhir.example.org/r4/Patient/$export",
        ["requiresAccessToken"] = requiresAccessToken,
        ["output"] = new JsonArray(
            new JsonObject { ["type"] = "Patient", ["url"] = $"https://files.example.org/1?X-Signature={Signature}",
                ["count"] = 10 },
            new JsonObject { ["type"] = "Observation", ["url"] = "/files/2" },
            new JsonObject { ["type"] = "Patient", ["url"] = "files/3", ["count"] = 5 }),
        ["error"] = new JsonArray(new JsonObject { ["type"] = "OperationOutcome", ["url"] = "err/1" }),
        ["deleted"] = new JsonArray(new JsonObject { ["type"] = "Patient", ["url"] = "del/1", ["count"] = 1 }),
    }.ToJsonString();

    [Fact]
    public void FilesAreReadInOrderWithStableLocalNames()
    {
        BulkManifest manifest = BulkManifest.Parse(Manifest(), StatusUrl);

        Assert.True(manifest.RequiresAccessToken);
        Assert.Equal("2026-12-07T01:02:03Z", manifest.TransactionTime);
        Assert.Equal(
            ["Patient.1.ndjson", "Observation.1.ndjson", "Patient.2.ndjson",
                Path.Combine("error", "OperationOutcome.1.ndjson"), Path.Combine("deleted", "Patient.1.ndjson")],
            manifest.Files.Select(f => f.FileName));
        Assert.Equal(
            [BulkFileKind.Output, BulkFileKind.Output, BulkFileKind.Output, BulkFileKind.Error, BulkFileKind.Deleted],
            manifest.Files.Select(f => f.Kind));
        Assert.Equal([10L, null, 5L, null, 1L], manifest.Files.Select(f => f.Count));
    }

    [Fact]
    public void RelativeFileUrlsResolveAgainstTheStatusUrl()
    {
        BulkManifest manifest = BulkManifest.Parse(Manifest(), StatusUrl);

        Assert.Equal("https://fhir.example.org/files/2", manifest.Files[1].Url.AbsoluteUri);
        Assert.Equal("https://fhir.example.org/r4/_bulk/status/files/3", manifest.Files[2].Url.AbsoluteUri);
    }

    [Fact]
    public void AMissingRequiresAccessTokenMeansFalse()
    {
        BulkManifest manifest = BulkManifest.Parse(Manifest(requiresAccessToken: null), StatusUrl);

        Assert.False(manifest.RequiresAccessToken);
    }

    [Fact]
    public void TheSavedCopyHasNoQueryStringsAndNamesEachLocalFile()
    {
        BulkManifest manifest = BulkManifest.Parse(Manifest(), StatusUrl);

        string copy = manifest.RedactedJson();

        Assert.DoesNotContain(Signature, copy, StringComparison.Ordinal);
        var document = JsonNode.Parse(copy)!.AsObject();
        Assert.Equal("https://files.example.org/1?redacted", (string?)document["output"]![0]!["url"]);
        Assert.Equal("Patient.1.ndjson", (string?)document["output"]![0]!["fileName"]);
        Assert.Equal("2026-12-07T01:02:03Z", (string?)document["transactionTime"]);
        Assert.Equal("https://files.example.org/1?redacted", manifest.Files[0].DisplayUrl);
    }

    [Theory]
    [InlineData("not json")]
    [InlineData("[1,2]")]
    [InlineData("{\"requiresAccessToken\":\"yes\"}")]
    [InlineData("{\"output\":{}}")]
    [InlineData("{\"output\":[{\"type\":\"Patient\"}]}")]
    [InlineData("{\"output\":[{\"type\":\"patient\",\"url\":\"a\"}]}")]
    [InlineData("{\"output\":[{\"type\":\"Patient\",\"url\":\"ftp://x/y\"}]}")]
    public void AManifestThatCannotBeReadIsRefusedWithItsId(string json)
    {
        var error = Assert.Throws<FhirSecurityException>(() => BulkManifest.Parse(json, StatusUrl));

        Assert.Equal(ErrorIds.BulkExportManifestInvalid, error.ErrorId);
        Assert.Equal(FailureCategory.InvalidData, error.Category);
        Assert.Contains("-StatusUrl", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ARefusalNeverRepeatsAFileUrlsQuery()
    {
        string json = $"{{\"output\":[{{\"type\":\"patient\",\"url\":\"https://x/y?X-Signature={Signature}\"}}]}}";

        var error = Assert.Throws<FhirSecurityException>(() => BulkManifest.Parse(json, StatusUrl));

        Assert.DoesNotContain(Signature, error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(Signature, error.ToString(), StringComparison.Ordinal);
    }
}
