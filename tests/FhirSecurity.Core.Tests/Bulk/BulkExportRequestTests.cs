using FhirSecurity.Core.Bulk;
using FhirSecurity.Core.Errors;
using Xunit;

namespace FhirSecurity.Core.Tests.Bulk;

public sealed class BulkExportRequestTests
{
    private static readonly Uri Base = new("https://fhir.example.org/r4/");

    private static BulkExportRequest Request(
        BulkExportLevel level = BulkExportLevel.Patient,
        string? groupId = null,
        IReadOnlyList<string>? types = null,
        DateTimeOffset? since = null,
        IReadOnlyList<string>? typeFilters = null,
        IReadOnlyList<string>? elements = null)
        => new(level, groupId, types ?? [], since, typeFilters ?? [], elements ?? [], BulkExportRequest.Ndjson);

    [Theory]
    [InlineData(BulkExportLevel.System, null, "https://fhir.example.org/r4/$export")]
    [InlineData(BulkExportLevel.Patient, null, "https://fhir.example.org/r4/Patient/$export")]
    [InlineData(BulkExportLevel.Group, "g-1.a", "https://fhir.example.org/r4/Group/g-1.a/$export")]
    public void EachLevelHasItsKickoffPathBelowTheBase(BulkExportLevel level, string? groupId, string expected)
    {
        Uri uri = Request(level, groupId).KickoffUri(Base);

        Assert.Equal(expected, uri.GetLeftPart(UriPartial.Path));
        Assert.Equal("?_outputFormat=application%2Ffhir%2Bndjson", uri.Query);
    }

    [Fact]
    public void EveryParameterGoesIntoTheQueryAsTheIgNamesIt()
    {
        var since = new DateTimeOffset(2026, 1, 2, 3, 4, 5, 678, TimeSpan.FromHours(1));

        Uri uri = Request(
            types: ["Patient", "Observation"],
            since: since,
            typeFilters: ["Observation?status=final", "Patient?active=true"],
            elements: ["id", "meta"]).KickoffUri(Base);

        string query = Uri.UnescapeDataString(uri.Query);
        Assert.Equal(
            "?_outputFormat=application/fhir+ndjson&_type=Patient,Observation&_since=2026-01-02T03:04:05.678+01:00"
            + "&_typeFilter=Observation?status=final&_typeFilter=Patient?active=true&_elements=id,meta",
            query);
    }

    [Fact]
    public void AGroupExportWithoutAGroupIdIsRefused()
    {
        var error = Assert.Throws<FhirSecurityException>(() => Request(BulkExportLevel.Group).KickoffUri(Base));

        Assert.Equal(ErrorIds.BulkExportGroupIdRequired, error.ErrorId);
        Assert.Equal(FailureCategory.InvalidArgument, error.Category);
        Assert.Contains("-GroupId", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("https://fhir.example.org/r4/Group/1")]
    [InlineData("a/b")]
    [InlineData("1?x=y")]
    public void AGroupIdThatIsNoFhirIdIsRefused(string groupId)
    {
        var error = Assert.Throws<FhirSecurityException>(
            () => Request(BulkExportLevel.Group, groupId).KickoffUri(Base));

        Assert.Equal(ErrorIds.BulkExportGroupIdInvalid, error.ErrorId);
    }

    [Fact]
    public void AGroupIdOnAnotherLevelIsRefused()
    {
        var error = Assert.Throws<FhirSecurityException>(
            () => Request(BulkExportLevel.System, "g1").KickoffUri(Base));

        Assert.Equal(ErrorIds.BulkExportGroupIdRequired, error.ErrorId);
        Assert.Contains("-Level Group", error.Message, StringComparison.Ordinal);
    }
}
