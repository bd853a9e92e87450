using FhirSecurity.Core.Errors;
using FhirSecurity.Core.Fhir;
using Xunit;

namespace FhirSecurity.Core.Tests.Fhir;

public sealed class RedirectPolicyTests
{
    private static readonly Uri From = new("https://fhir.example.org/r4/Patient");

    private static FhirRequest Request(string method, string? body = null)
        => new(new HttpMethod(method), From, body, new Dictionary<string, string> { ["Prefer"] = "return=representation" }, TimeSpan.FromSeconds(10));

    [Theory]
    [InlineData(200)]
    [InlineData(201)]
    [InlineData(300)]
    [InlineData(304)]
    [InlineData(305)]
    [InlineData(404)]
    public void OnlyRedirectStatusesAreFollowed(int status)
        => Assert.Null(RedirectPolicy.Next(Request("GET"), status, "https://fhir.example.org/other", 0));

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("mailto:ops@example.org")]
    [InlineData("ftp://files.example.org/x")]
    public void ARedirectWithoutAUsableLocationIsTheFinalAnswer(string? location)
        => Assert.Null(RedirectPolicy.Next(Request("GET"), 302, location, 0));

    [Fact]
    public void ARelativeLocationResolvesAgainstTheUrlThatAnswered()
    {
        FhirRequest next = RedirectPolicy.Next(Request("GET"), 302, "/r4b/Patient?x=1", 0)!;

        Assert.Equal(new Uri("https://fhir.example.org/r4b/Patient?x=1"), next.Uri);
        Assert.Equal(new Uri("https://fhir.example.org/r4/Patient/pat-1"), RedirectPolicy.Next(Request("GET"), 301, "Patient/pat-1", 0)!.Uri);
    }

    [Theory]
    [InlineData(303, "POST", "GET", false)]
    [InlineData(303, "PUT", "GET", false)]
    [InlineData(303, "HEAD", "HEAD", false)]
    [InlineData(301, "POST", "GET", false)]
    [InlineData(302, "POST", "GET", false)]
    [InlineData(301, "PUT", "PUT", true)]
    [InlineData(302, "DELETE", "DELETE", false)]
    [InlineData(307, "POST", "POST", true)]
    [InlineData(308, "POST", "POST", true)]
    [InlineData(307, "PATCH", "PATCH", true)]
    public void MethodAndBodyFollowTheStatus(int status, string method, string nextMethod, bool keepsBody)
    {
        string? body = method is "POST" or "PUT" or "PATCH" ? "{\"resourceType\":\"Patient\"}" : null;

        FhirRequest next = RedirectPolicy.Next(Request(method, body), status, "https://fhir.example.org/r4/Moved", 0)!;

        Assert.Equal(nextMethod, next.Method.Method);
        Assert.Equal(keepsBody ? body : null, next.Body);
        Assert.Equal("return=representation", next.Headers["Prefer"]);
        Assert.Equal(TimeSpan.FromSeconds(10), next.Timeout);
    }

    [Fact]
    public void HttpsToHttpIsRefused()
    {
        FhirSecurityException error = Assert.Throws<FhirSecurityException>(() => RedirectPolicy.Next(Request("GET"), 302, "http://fhir.example.org/r4/Patient", 0));

        Assert.Equal(ErrorIds.FhirRedirectInsecure, error.ErrorId);
        Assert.Equal(FailureCategory.SecurityError, error.Category);
        Assert.Contains("nothing was sent", error.Message);
    }

    [Fact]
    public void HttpToHttpsIsFollowed()
    {
        var plain = Request("GET") with { Uri = new Uri("http://fhir.example.org/r4/Patient") };

        Assert.Equal(Uri.UriSchemeHttps, RedirectPolicy.Next(plain, 301, "https://fhir.example.org/r4/Patient", 0)!.Uri.Scheme);
    }

    [Fact]
    public void FiveRedirectsAreFollowedAndTheSixthFails()
    {
        Assert.NotNull(RedirectPolicy.Next(Request("GET"), 302, "/a", RedirectPolicy.MaximumRedirects - 1));

        FhirSecurityException error = Assert.Throws<FhirSecurityException>(() => RedirectPolicy.Next(Request("GET"), 302, "/a", RedirectPolicy.MaximumRedirects));

        Assert.Equal(ErrorIds.FhirTooManyRedirects, error.ErrorId);
        Assert.Equal(FailureCategory.LimitsExceeded, error.Category);
    }

    [Fact]
    public void UserInfoInALocationNeverShowsInMessages()
    {
        FhirSecurityException error = Assert.Throws<FhirSecurityException>(() => RedirectPolicy.Next(Request("GET"), 302, "http://user:Pa55word@evil.example.org/x", 0));

        Assert.DoesNotContain("Pa55word", error.Message);
        Assert.DoesNotContain("Pa55word", error.Target?.ToString());
    }

    [Fact]
    public void TheFragmentIsDropped()
        => Assert.Equal(string.Empty, RedirectPolicy.Next(Request("GET"), 302, "/r4/Patient#top", 0)!.Uri.Fragment);
}
