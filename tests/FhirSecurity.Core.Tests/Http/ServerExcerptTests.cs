using FhirSecurity.Core.Http;
using FhirSecurity.Core.Secrets;
using Xunit;

namespace FhirSecurity.Core.Tests.Http;

/// <summary>The line of an error page that goes into a message: what it takes, and what it never takes.</summary>
public sealed class ServerExcerptTests
{
    // nginx's own page for ssl_verify_client on and no certificate, as it sends it (CRLF line ends).
    private const string NginxPage =
        "<html>\r\n<head><title>400 No required SSL certificate was sent</title></head>\r\n<body>\r\n"
        + "<center><h1>400 Bad Request</h1></center>\r\n<center>No required SSL certificate was sent</center>\r\n"
        + "<hr><center>nginx</center>\r\n</body>\r\n</html>\r\n";

    [Fact]
    public void AnHtmlPageGivesItsTitle()
        => Assert.Equal("400 No required SSL certificate was sent", ServerExcerpt.From(NginxPage, "text/html"));

    [Fact]
    public void WithoutATitleTheFirstHeadingIsTakenWithoutItsTags()
    {
        const string page = "<html><body><header>menu</header><h2 class=\"x\">Service <b>unavailable</b> &amp; down</h2>"
            + "<h1>later</h1></body></html>";
        Assert.Equal("Service unavailable & down", ServerExcerpt.From(page, "text/html; charset=utf-8"));
    }

    [Fact]
    public void AnHtmlBodyWithoutAContentTypeIsStillRead()
        => Assert.Equal("502 Bad Gateway", ServerExcerpt.From("  <html><title>502 Bad Gateway</title></html>", null));

    [Fact]
    public void PlainTextGivesItsFirstLineWithWhitespaceCollapsed()
        => Assert.Equal("upstream connect error", ServerExcerpt.From("\r\n  \n upstream \t connect\u001b error\r\nreset reason: x", "text/plain"));

    [Theory]
    [InlineData("""{"message":"Unauthorized"}""", "application/json")]
    [InlineData("<error>nope</error>", "application/xml")]
    [InlineData("", "text/html")]
    [InlineData("<html><title> </title><body>no heading</body></html>", "text/html")]
    [InlineData("<html><title>never closed, secret follows: s3cr3t", "text/html")]
    public void OtherBodiesGiveNothing(string body, string contentType)
        => Assert.Null(ServerExcerpt.From(body, contentType));

    [Fact]
    public void ALongTitleIsCut()
    {
        string excerpt = ServerExcerpt.From($"<title>{string.Join(' ', Enumerable.Repeat("refused", 100))}</title>", "text/html")!;
        Assert.Equal(ServerExcerpt.MaxLength, excerpt.Length);
        Assert.EndsWith("...", excerpt, StringComparison.Ordinal);
    }

    [Fact]
    public void AFirstLineLongerThanWhatIsReadLosesItsLastWordAndStaysShort()
    {
        string line = string.Concat(Enumerable.Repeat("word ", 20_000)) + "CANARYCANARYCANARY";
        string excerpt = ServerExcerpt.From(line, "text/plain")!;
        Assert.True(excerpt.Length <= ServerExcerpt.MaxLength);
        Assert.DoesNotContain("CANARY", excerpt, StringComparison.Ordinal);
    }

    [Fact]
    public void NothingOutsideTheTitleShowsNotEvenACommentedOutTitle()
    {
        const string page = "<html><head><!-- <title>canary-comment-9f2c</title> --><title>403 Forbidden</title></head>"
            + "<body><h1>Forbidden</h1><p>Your request: GET /fhir/Patient Authorization: Bearer canary-body-7d1e</p>"
            + "<pre>canary-body-7d1e</pre></body></html>";
        string excerpt = ServerExcerpt.From(page, "text/html")!;
        Assert.Equal("403 Forbidden", excerpt);
        Assert.DoesNotContain("canary", excerpt, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("Bad request: GET /fhir/Patient?name=canary&_format=json", "canary", "/fhir/Patient?")]
    [InlineData("Denied https://h/oauth/token?client_secret=canary x", "canary", "x")]
    [InlineData("Invalid Authorization: Bearer canary-tok and more", "canary", "Invalid Authorization: ")]
    [InlineData("rejected bearer canary-tok", "canary", "rejected bearer ")]
    [InlineData("rejected Basic Y2FuYXJ5OnB3", "Y2FuYXJ5OnB3", "rejected Basic ")]
    [InlineData("bad access_token=canary; try again", "canary", "try again")]
    [InlineData("bad {\"client_secret\": \"canary value\"}", "canary", "bad")]
    [InlineData("password: canary", "canary", "password=")]
    [InlineData("token eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJ4In0.c2lnbmF0dXJl expired", "eyJ", "token ")]
    [InlineData("key 3f9a0c1b2d4e5f60718293a4b5c6d7e8 unknown", "3f9a0c1b", "unknown")]
    public void WhatLooksLikeACredentialIsTakenOut(string title, string secret, string kept)
    {
        string excerpt = ServerExcerpt.From($"<title>{title}</title>", "text/html")!;
        Assert.DoesNotContain(secret, excerpt, StringComparison.Ordinal);
        Assert.Contains(SecretValue.Redacted, excerpt, StringComparison.Ordinal);
        Assert.Contains(kept, excerpt, StringComparison.Ordinal);
    }

    [Fact]
    public void AnEncodedQueryStringIsTakenOutToo()
    {
        string excerpt = ServerExcerpt.From("<title>GET /fhir/Patient&#63;name=canary refused</title>", "text/html")!;
        Assert.DoesNotContain("canary", excerpt, StringComparison.Ordinal);
    }

    [Fact]
    public void SecretsTheCallerNamesNeverShowEvenWhenShort()
    {
        string excerpt = ServerExcerpt.From("<title>token tok-1 is not valid for ab12</title>", "text/html", [null, "ab12", "tok-1"])!;
        Assert.DoesNotContain("ab12", excerpt, StringComparison.Ordinal);
        Assert.DoesNotContain("tok-1", excerpt, StringComparison.Ordinal);
        Assert.Contains("is not valid for", excerpt, StringComparison.Ordinal);
    }
}
