using FhirSecurity.Core.Errors;
using FhirSecurity.Core.Fhir;
using Xunit;

namespace FhirSecurity.Core.Tests.Fhir;

public sealed class FhirUrisTests
{
    private static readonly Uri Base = new("https://fhir.example.org/r4/");

    private static KeyValuePair<string, IReadOnlyList<string>> Q(string name, params string[] values) => new(name, values);

    [Theory]
    [InlineData("Patient/1", "https://fhir.example.org/r4/Patient/1")]
    [InlineData("/Patient/1", "https://fhir.example.org/r4/Patient/1")]
    [InlineData("  Patient  ", "https://fhir.example.org/r4/Patient")]
    [InlineData("", "https://fhir.example.org/r4/")]
    [InlineData(null, "https://fhir.example.org/r4/")]
    [InlineData("Patient/$everything", "https://fhir.example.org/r4/Patient/$everything")]
    [InlineData("Patient?name=x", "https://fhir.example.org/r4/Patient?name=x")]
    [InlineData("https://other.example.org/fhir/Patient/2", "https://other.example.org/fhir/Patient/2")]
    [InlineData("http://fhir.example.org/r4/Patient", "http://fhir.example.org/r4/Patient")]
    public void ResolvesPathsBelowTheBase(string? path, string expected)
    {
        Assert.Equal(expected, FhirUris.Resolve(Base, path, null).AbsoluteUri);
    }

    [Theory]
    [InlineData("ftp://x")]
    [InlineData("file:///etc/passwd")]
    [InlineData("//evil.example.org/Patient")]
    [InlineData("javascript://alert(1)")]
    public void RefusesWhatIsNeitherAPathNorAnHttpUrl(string path)
    {
        FhirSecurityException error = Assert.Throws<FhirSecurityException>(() => FhirUris.Resolve(Base, path, null));

        Assert.Equal(ErrorIds.FhirPathInvalid, error.ErrorId);
        Assert.Equal(FailureCategory.InvalidArgument, error.Category);
        Assert.Contains(path, error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("Observation?code=http://loinc.org|8867-4", "https://fhir.example.org/r4/Observation?code=http://loinc.org%7C8867-4")]
    [InlineData("Patient?identifier=https://hospital.example.org/mrn|123", "https://fhir.example.org/r4/Patient?identifier=https://hospital.example.org/mrn%7C123")]
    public void APathMayCarryAUrlInItsQuery(string path, string expected)
    {
        // Token searches name their code system by URL (system|code): the most common FHIR query there is.
        Assert.Equal(expected, FhirUris.Resolve(Base, path, null).AbsoluteUri);
    }

    [Theory]
    [InlineData("mailto:someone@example.org")]
    [InlineData("urn:uuid:0c3151bd-1cbf-4d64-b04d-cd9187a4c6e0")]
    [InlineData("Patient/../../admin")]
    [InlineData("../r5/Patient")]
    public void RefusesPathsThatLeaveTheBase(string path)
    {
        Assert.Equal(ErrorIds.FhirPathInvalid, Assert.Throws<FhirSecurityException>(() => FhirUris.Resolve(Base, path, null)).ErrorId);
    }

    [Fact]
    public void EncodesQueryValues()
    {
        Uri uri = FhirUris.Resolve(Base, "Patient", [Q("name", "Müller & Söhne"), Q("birthdate", "ge2000-01-01")]);

        Assert.Equal("https://fhir.example.org/r4/Patient?name=M%C3%BCller%20%26%20S%C3%B6hne&birthdate=ge2000-01-01", uri.AbsoluteUri);
    }

    [Fact]
    public void AListValueGivesOneParameterPerItem()
    {
        // FHIR: repeating a parameter is AND; a comma inside one value is OR, so items must not be joined.
        Uri uri = FhirUris.Resolve(Base, "Observation", [Q("date", "ge2020", "lt2021"), Q("code", "a,b")]);

        Assert.Equal("https://fhir.example.org/r4/Observation?date=ge2020&date=lt2021&code=a%2Cb", uri.AbsoluteUri);
    }

    [Fact]
    public void QueryIsAppendedToAnExistingQuery()
    {
        Uri uri = FhirUris.Resolve(Base, "Patient?_count=5", [Q("name", "x")]);

        Assert.Equal("https://fhir.example.org/r4/Patient?_count=5&name=x", uri.AbsoluteUri);
    }

    [Fact]
    public void AnEmptyQueryLeavesThePathAlone()
    {
        Assert.Equal("https://fhir.example.org/r4/Patient", FhirUris.Resolve(Base, "Patient", []).AbsoluteUri);
    }

    [Fact]
    public void AQueryEncodesTheParameterNameToo()
    {
        Uri uri = FhirUris.Resolve(Base, "Patient", [Q("name:exact", "x")]);

        Assert.Equal("https://fhir.example.org/r4/Patient?name%3Aexact=x", uri.AbsoluteUri);
    }

    [Theory]
    [InlineData("https://fhir.example.org/r4/Patient", true)]
    [InlineData("https://FHIR.example.org:443/other/path", true)]
    [InlineData("http://fhir.example.org/r4/Patient", false)]
    [InlineData("https://fhir.example.org:8443/r4/Patient", false)]
    [InlineData("https://evil.example.org/r4/Patient", false)]
    [InlineData("https://fhir.example.org.evil.example/r4/", false)]
    public void SameOriginComparesSchemeHostAndPort(string uri, bool expected)
    {
        Assert.Equal(expected, FhirUris.SameOrigin(new Uri(uri), Base));
    }
}
