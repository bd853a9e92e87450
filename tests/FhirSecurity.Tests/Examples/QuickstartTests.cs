using System.Net;
using FhirSecurity.Tests.Harness;
using FhirSecurity.TestServer;
using Xunit;

namespace FhirSecurity.Tests.Examples;

/// <summary>
/// examples/quickstart.ps1, run as the demo runs it (the file itself, piped to Out-Default) against a test server
/// with its demo OAuth client, so the example in the README cannot rot unnoticed.
/// </summary>
public sealed class QuickstartTests : HostedEngineTest
{
    private readonly FhirTestServer _server;
    private readonly DirectoryInfo _temp;
    private readonly string _caFile;

    public QuickstartTests()
    {
        _server = FhirTestServer.StartAsync().GetAwaiter().GetResult();
        _temp = Directory.CreateTempSubdirectory("FhirSecurity.QuickstartTests-");
        _caFile = Path.Combine(_temp.FullName, "ca.pem");
        File.WriteAllText(_caFile, _server.Pki.BundlePem);
        // The token cache is per process: start from nothing so the count below is this test's alone.
        Assert.Empty(Run("Clear-FhirTokenCache").Errors);
    }

    [Fact]
    public void Runs_without_errors_prints_patients_and_fetches_one_token()
    {
        PsResult result = RunQuickstart();

        Assert.True(result.Errors.Count == 0, "Unexpected errors: " + string.Join(" | ", result.Errors.Select(e => $"{e.FullyQualifiedErrorId}: {e}")));
        Assert.Empty(result.Warnings);
        Assert.Matches(@"pat-0001\s+Smith\s+1950-01-15", result.HostText);
        Assert.Matches(@"pat-0010\s+Lindqvist\s+1959-01-15", result.HostText);
        Assert.Contains("(10 found)", result.HostText);
        Assert.Contains("Server: FhirSecurity.TestServer, FHIR 4.0.1", result.HostText);
        Assert.Contains("Token reused", result.HostText);
        Assert.Equal(1, _server.Counters.TokenRequests);
        Assert.DoesNotContain(OAuthClientRegistration.Demo.ClientSecret, result.AllText());
    }

    [Fact]
    public void Runs_again_over_its_own_definitions()
    {
        Assert.Empty(RunQuickstart().Errors);

        PsResult again = RunQuickstart();

        Assert.Empty(again.Errors);
        Assert.Contains("Token reused", again.HostText);
        // New-FhirOAuth -Force writes a new revision, and a new revision never reuses the old one's token.
        Assert.Equal(2, _server.Counters.TokenRequests);
    }

    /// <inheritdoc />
    protected override void Cleanup()
    {
        _server.DisposeAsync().AsTask().GetAwaiter().GetResult();
        _temp.Delete(recursive: true);
    }

    private PsResult RunQuickstart() => Run(
        "& $script -FhirBaseUri $base -TokenUrl $tokenUrl -CaBundlePath $caFile -ClientId $clientId -ClientSecret $secret | Out-Default",
        new Dictionary<string, object?>
        {
            ["script"] = Path.Combine(RepoPaths.Root, "examples", "quickstart.ps1"),
            ["base"] = _server.OAuthBase.AbsoluteUri,
            ["tokenUrl"] = _server.TokenEndpoint.AbsoluteUri,
            ["caFile"] = _caFile,
            ["clientId"] = OAuthClientRegistration.Demo.ClientId,
            ["secret"] = new NetworkCredential(string.Empty, OAuthClientRegistration.Demo.ClientSecret).SecurePassword,
        });
}
