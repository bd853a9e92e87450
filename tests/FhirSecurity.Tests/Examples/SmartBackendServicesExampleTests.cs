using FhirSecurity.Tests.Harness;
using FhirSecurity.TestServer;
using Xunit;

namespace FhirSecurity.Tests.Examples;

/// <summary>
/// examples/smart-backend-services.ps1 (the walkthrough of docs/smart-backend-services.md) run as a user runs it,
/// against a test server that knows the client only by the public key, so the walkthrough cannot rot unnoticed.
/// </summary>
public sealed class SmartBackendServicesExampleTests : HostedEngineTest
{
    private const string ClientId = "walkthrough-backend";

    private readonly FhirTestServer _server;
    private readonly DirectoryInfo _temp;
    private readonly string _caFile;

    public SmartBackendServicesExampleTests()
    {
        _server = FhirTestServer.StartAsync(new FhirTestServerOptions
        {
            OAuthClients =
            [
                new OAuthClientRegistration(ClientId, "unused", ClientAuthMethods.PrivateKeyJwt, ["system/Patient.read"])
                {
                    Jwks = TestJwks.Of((ClientKeys.Rsa, ClientKeys.RsaKid), (ClientKeys.Ec, ClientKeys.EcKid)),
                },
            ],
        }).GetAwaiter().GetResult();
        _temp = Directory.CreateTempSubdirectory("FhirSecurity.SmartExampleTests-");
        _caFile = Path.Combine(_temp.FullName, "ca.pem");
        File.WriteAllText(_caFile, _server.Pki.BundlePem);
        Assert.Empty(Run("Clear-FhirTokenCache").Errors);
    }

    [Theory]
    [InlineData("rsa")]
    [InlineData("ec")]
    public void Prints_the_registered_public_key_discovers_the_token_endpoint_and_reads_patients(string kind)
    {
        string pem = kind == "rsa" ? ClientKeys.RsaPem : ClientKeys.EcPem;
        string kid = kind == "rsa" ? ClientKeys.RsaKid : ClientKeys.EcKid;
        string keyFile = Path.Combine(_temp.FullName, "backend.key");
        File.WriteAllText(keyFile, pem);

        PsResult result = RunExample(keyFile, kid);

        Assert.True(result.Errors.Count == 0, "Unexpected errors: " + string.Join(" | ", result.Errors.Select(e => $"{e.FullyQualifiedErrorId}: {e}")));
        // The JWK the script prints is the one the server has registered: the doc's recipe gives the EHR the right key.
        System.Text.Json.Nodes.JsonObject registered = TestJwks.Entry(kind == "rsa" ? ClientKeys.Rsa : ClientKeys.Ec, kid);
        foreach (string member in kind == "rsa" ? new[] { "n", "e" } : ["x", "y", "crv"])
        {
            Assert.Contains($"\"{member}\":\"{registered[member]}\"", result.HostText);
        }

        Assert.Contains($"\"kid\":\"{kid}\"", result.HostText);
        Assert.Contains($"Token endpoint (discovered): {_server.TokenEndpoint}", result.HostText);
        Assert.Contains($"Client authentication: PrivateKeyJwt, {(kind == "rsa" ? "RS384" : "ES384")}", result.HostText);
        Assert.Matches(@"First request: 5 patients on the first page of 25, e\.g\. Patient/pat-\d+", result.HostText);
        // Test-FhirConnection's own token and the request's: both signed assertions the server accepted.
        Assert.Equal(2, _server.Counters.TokenRequestsSucceeded);
        Assert.Equal("private_key_jwt", _server.LastTokenRequest?.ClientAuthMethod);
        Assert.DoesNotContain(ClientKeys.Canary(pem), result.AllText());
    }

    /// <inheritdoc />
    protected override void Cleanup()
    {
        _server.DisposeAsync().AsTask().GetAwaiter().GetResult();
        _temp.Delete(recursive: true);
    }

    private PsResult RunExample(string keyFile, string kid) => Run(
        "& $script -FhirBaseUri $base -CaBundlePath $caFile -ClientId $clientId -PrivateKeyPath $keyFile -KeyId $kid | Out-Default",
        new Dictionary<string, object?>
        {
            ["script"] = Path.Combine(RepoPaths.Root, "examples", "smart-backend-services.ps1"),
            ["base"] = _server.OAuthBase.AbsoluteUri,
            ["caFile"] = _caFile,
            ["clientId"] = ClientId,
            ["keyFile"] = keyFile,
            ["kid"] = kid,
        });
}
