using FhirSecurity.Core.Bulk;
using FhirSecurity.Core.Definitions;
using FhirSecurity.Core.Errors;
using FhirSecurity.Core.Fhir;
using FhirSecurity.Core.Http;
using FhirSecurity.Core.Tests.Fakes;
using Xunit;

namespace FhirSecurity.Core.Tests.Bulk;

public sealed class BulkUrlRulesTests
{
    private const string Signature = "X-Signature=sig-canary-77aa";
    private static readonly Uri Base = new("https://fhir.example.org/r4/");
    private static readonly TransportPolicy Tls = new(TlsValidationMode.Default, null);

    private static ResolvedConnection OAuthConnection()
        => ServerConnections.Resolved(Base, Tls, oauth: new OAuthDefinition
        {
            Name = "oauth1",
            TokenUrl = new Uri("https://login.example.org/token"),
            ClientId = "c1",
            ClientSecret = new Secrets.SecretValue("s"),
            Scopes = ["system/*.read"],
        });

    private static ResolvedConnection WithOrigins(ResolvedConnection resolved, params string[] origins)
        => resolved with
        {
            Connection = resolved.Connection with { BulkDataOrigins = [.. origins.Select(o => new Uri(o))] },
        };

    private static (BulkManifest Manifest, BulkManifestFile File) Manifest(string fileUrl, bool requiresAccessToken)
    {
        string json = "{\"requiresAccessToken\":" + (requiresAccessToken ? "true" : "false")
            + ",\"output\":[{\"type\":\"Patient\",\"url\":\"" + fileUrl + "\"}]}";
        BulkManifest manifest = BulkManifest.Parse(json, new Uri(Base, "_bulk/status/1"));
        return (manifest, manifest.Files[0]);
    }

    [Fact]
    public void AStatusUrlOnTheConnectionsOriginPasses()
    {
        BulkUrlRules.CheckStatusUrl(OAuthConnection(), new Uri("https://fhir.example.org/other/status/1"));
    }

    [Theory]
    [InlineData("https://elsewhere.example.org/r4/_bulk/status/1")]
    [InlineData("https://fhir.example.org:8443/r4/_bulk/status/1")]
    public void AStatusUrlOnAnotherOriginIsRefused(string statusUrl)
    {
        var error = Assert.Throws<FhirSecurityException>(
            () => BulkUrlRules.CheckStatusUrl(OAuthConnection(), new Uri(statusUrl)));

        Assert.Equal(ErrorIds.BulkExportStatusUrlForeign, error.ErrorId);
        Assert.Equal(FailureCategory.SecurityError, error.Category);
        Assert.Contains("-BulkDataOrigin", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void AStatusUrlOnAnAllowedBulkDataOriginPassesAndTheHintKeepsTheOriginsAllowedAlready()
    {
        ResolvedConnection allowed = WithOrigins(OAuthConnection(), "https://status.example.net");

        BulkUrlRules.CheckStatusUrl(allowed, new Uri("https://status.example.net/jobs/1"));
        var error = Assert.Throws<FhirSecurityException>(
            () => BulkUrlRules.CheckStatusUrl(allowed, new Uri("https://other.example.net/jobs/1")));

        Assert.Equal(ErrorIds.BulkExportStatusUrlForeign, error.ErrorId);
        Assert.Contains(
            "-BulkDataOrigin https://status.example.net,https://other.example.net", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void AFileOnAnAllowedBulkDataOriginGetsTheTokenOnlyWhenTheManifestAsks()
    {
        ResolvedConnection allowed = WithOrigins(OAuthConnection(), "https://storage.example.net");
        var (asks, askingFile) = Manifest($"https://storage.example.net/f/1?{Signature}", requiresAccessToken: true);
        var (free, freeFile) = Manifest($"https://storage.example.net/f/1?{Signature}", requiresAccessToken: false);

        Assert.True(BulkUrlRules.FileCredentials(allowed, asks, askingFile, askingFile.Url));
        Assert.False(BulkUrlRules.FileCredentials(allowed, free, freeFile, freeFile.Url));
    }

    [Fact]
    public void AnHttpStatusUrlOfAnHttpsConnectionIsRefused()
    {
        var error = Assert.Throws<FhirSecurityException>(() => BulkUrlRules.CheckStatusUrl(
            OAuthConnection(), new Uri("http://fhir.example.org/r4/_bulk/status/1")));

        Assert.Equal(ErrorIds.BulkExportInsecureUrl, error.ErrorId);
    }

    [Fact]
    public void AFileOnTheConnectionsOriginGetsTheTokenOnlyWhenTheManifestAsks()
    {
        var (asks, askingFile) = Manifest("https://fhir.example.org/files/1", requiresAccessToken: true);
        var (free, freeFile) = Manifest("https://fhir.example.org/files/1", requiresAccessToken: false);

        Assert.True(BulkUrlRules.FileCredentials(OAuthConnection(), asks, askingFile, askingFile.Url));
        Assert.False(BulkUrlRules.FileCredentials(OAuthConnection(), free, freeFile, freeFile.Url));
    }

    [Fact]
    public void AFileThatNeedsTheTokenOnAnotherOriginIsRefusedWithoutItsQuery()
    {
        var (manifest, file) = Manifest($"https://storage.example.net/f/1?{Signature}", requiresAccessToken: true);

        var error = Assert.Throws<FhirSecurityException>(
            () => BulkUrlRules.FileCredentials(OAuthConnection(), manifest, file, file.Url));

        Assert.Equal(ErrorIds.BulkExportFileOriginNotAllowed, error.ErrorId);
        Assert.Contains("https://storage.example.net", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(Signature, error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(Signature, error.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void AFileThatNeedsNoTokenMayLiveAnywhereAndGoesBare()
    {
        var (manifest, file) = Manifest($"https://storage.example.net/f/1?{Signature}", requiresAccessToken: false);

        Assert.False(BulkUrlRules.FileCredentials(OAuthConnection(), manifest, file, file.Url));
    }

    [Fact]
    public void ARedirectHopOffTheOriginGoesBare()
    {
        var (manifest, file) = Manifest("https://fhir.example.org/files/1", requiresAccessToken: true);

        Assert.False(BulkUrlRules.FileCredentials(
            OAuthConnection(), manifest, file, new Uri($"https://storage.example.net/f/1?{Signature}")));
    }

    [Fact]
    public void AnHttpFileUrlIsRefusedWithoutItsQuery()
    {
        var (manifest, file) = Manifest($"http://fhir.example.org/files/1?{Signature}", requiresAccessToken: false);

        var error = Assert.Throws<FhirSecurityException>(
            () => BulkUrlRules.FileCredentials(OAuthConnection(), manifest, file, file.Url));

        Assert.Equal(ErrorIds.BulkExportInsecureUrl, error.ErrorId);
        Assert.DoesNotContain(Signature, error.Message, StringComparison.Ordinal);
        Assert.Contains("?redacted", error.Message, StringComparison.Ordinal);
    }
}
