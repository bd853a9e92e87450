using System.Management.Automation;
using System.Net;
using System.Net.Sockets;
using System.Text.Json.Nodes;
using FhirSecurity.Tests.Harness;
using FhirSecurity.TestServer;
using Microsoft.PowerShell.SecretManagement;
using Xunit;

namespace FhirSecurity.Tests.Requests;

/// <summary>
/// SMART Backend Services end to end: private_key_jwt tokens checked by the server against the registered JWKS,
/// discovery of the token endpoint (and every refusal), and the warning for scopes the server did not grant.
/// </summary>
public sealed class SmartBackendTests : ServerTest
{
    private const string JwksUrl = "https://client.example.org/.well-known/jwks.json";

    private void NewKeyConnection(string key, string kid, string algorithm = "")
    {
        ImportCa();
        RunWithOk($"New-FhirOAuth -Name smart -TokenUrl $tokenUrl -ClientId {BackendClientId} -PrivateKey ${key} -KeyId {kid} {algorithm} -JwksUrl {JwksUrl} -Scope system/Patient.read; " +
                  "New-FhirConnection -Name c -BaseUri $oauthBase -OAuth smart -CaBundle testca");
    }

    [Theory]
    [InlineData("rsaKey", ClientKeys.RsaKid, "RS384")]
    [InlineData("ecKey", ClientKeys.EcKid, "ES384")]
    public void A_first_request_gets_a_token_with_a_signed_assertion_the_server_accepts(string key, string kid, string alg)
    {
        NewKeyConnection(key, kid);
        long before = DateTimeOffset.UtcNow.ToUnixTimeSeconds();

        PsResult result = RunWithOk("Invoke-FhirRequest c Patient/pat-0001 -Verbose");

        Assert.Equal("pat-0001", (string)result.Output.Single().Properties["id"].Value);
        TokenRequestRecord request = Server.LastTokenRequest!;
        Assert.Equal("private_key_jwt", request.ClientAuthMethod);
        Assert.Equal("urn:ietf:params:oauth:client-assertion-type:jwt-bearer", request.ClientAssertionType);
        Assert.Equal(["grant_type", "scope", "client_assertion_type", "client_assertion"], request.FieldNames);
        JsonObject header = request.AssertionHeader!;
        JsonObject claims = request.AssertionClaims!;
        Assert.Equal(alg, (string?)header["alg"]);
        Assert.Equal(kid, (string?)header["kid"]);
        Assert.Equal("JWT", (string?)header["typ"]);
        Assert.Equal(JwksUrl, (string?)header["jku"]);
        Assert.Equal(BackendClientId, (string?)claims["iss"]);
        Assert.Equal(BackendClientId, (string?)claims["sub"]);
        Assert.Equal(Server.TokenEndpoint.AbsoluteUri, (string?)claims["aud"]);
        Assert.InRange((long)claims["exp"]! - (long)claims["iat"]!, 1, 300);
        Assert.InRange((long)claims["iat"]!, before - 5, before + 60);
        Assert.Null(Assert.Single(Server.ReceivedAssertions).Rejection);
    }

    [Fact]
    public void A_new_token_after_a_401_is_fetched_with_a_new_jti()
    {
        NewKeyConnection("ecKey", ClientKeys.EcKid);
        RunWithOk("Invoke-FhirRequest c Patient/pat-0001");
        Server.RevokeAllTokens();

        RunWithOk("Invoke-FhirRequest c Patient/pat-0001");

        Assert.Equal(2, Server.ReceivedAssertions.Count);
        Assert.All(Server.ReceivedAssertions, a => Assert.Null(a.Rejection));
        Assert.NotEqual((string?)Server.ReceivedAssertions[0].Claims["jti"], (string?)Server.ReceivedAssertions[1].Claims["jti"]);
    }

    [Fact]
    public void A_key_the_server_does_not_know_is_invalid_client_and_neither_assertion_nor_key_shows()
    {
        NewKeyConnection("rsaKey", "not-registered");

        PsResult result = RunWith("Invoke-FhirRequest c Patient/pat-0001 -Verbose -Debug");

        ErrorRecord error = AssertError(result, "OAuthTokenRequestFailed", "Invoke-FhirRequest");
        Assert.Contains("kid", error.Exception.Message, StringComparison.Ordinal);
        Assert.Contains("-KeyId", error.Exception.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(Server.ReceivedAssertions.Single().Raw, result.AllText());
        Assert.DoesNotContain(ClientKeys.Canary(ClientKeys.RsaPem), result.AllText());
    }

    [Fact]
    public void Neither_key_nor_assertion_nor_token_appears_in_any_stream()
    {
        NewKeyConnection("rsaKey", ClientKeys.RsaKid);
        const string Common = " -Verbose -Debug";
        var runs = new List<PsResult>
        {
            RunWith("Invoke-FhirRequest c Patient/pat-0001" + Common),
            RunWith("Invoke-FhirRequest c Patient -All" + Common),
        };
        Server.RevokeAllTokens();
        runs.Add(RunWith("Invoke-FhirRequest c Patient/pat-0001" + Common));
        runs.Add(RunWith("Get-FhirTokenCache; Get-FhirOAuth; Get-FhirConnection" + Common));
        string formatted = Session.RunFormatted("Get-FhirTokenCache; Get-FhirOAuth", Vars);

        Assert.True(Server.ReceivedAssertions.Count >= 2);
        foreach (string canary in Server.ReceivedAssertions.Select(a => a.Raw).Concat(Server.IssuedTokenValues).Append(ClientKeys.Canary(ClientKeys.RsaPem)))
        {
            Assert.All(runs, r => Assert.DoesNotContain(canary, r.AllText()));
            Assert.DoesNotContain(canary, formatted);
        }
    }

    [Fact]
    public void Discovery_through_a_private_CA_finds_the_token_endpoint_and_the_definition_works()
    {
        ImportCa();

        dynamic info = Single(RunWithOk($"New-FhirOAuth -Name smart -FhirBaseUri $oauthBase -Discover -CaBundle testca -ClientId {BackendClientId} -PrivateKey $ecKey -KeyId {ClientKeys.EcKid} -Scope system/Patient.read -PassThru -Verbose"), "FhirOAuthInfo");

        Assert.Equal(Server.TokenEndpoint, (Uri)info.TokenUrl);
        Assert.Equal(Server.OAuthBase, (Uri)info.DiscoveredFrom);
        RunWithOk("New-FhirConnection -Name c -BaseUri $oauthBase -OAuth smart -CaBundle testca; Invoke-FhirRequest c Patient/pat-0001");
        Assert.Equal("private_key_jwt", Server.LastTokenRequest!.ClientAuthMethod);
    }

    [Fact]
    public void Discovery_with_Skip_works_against_an_untrusted_certificate_and_warns()
    {
        PsResult result = RunWithOk($"New-FhirOAuth -Name smart -FhirBaseUri $oauthBase -Discover -TlsValidation Skip -ClientId {ClientId} -ClientSecret $clientSecret");

        WarningRecord warning = Assert.Single(result.Warnings);
        Assert.Contains("skips TLS certificate validation", warning.Message, StringComparison.Ordinal);
        Assert.Contains("FhirSecurity-OAuth-smart", TestVaults.Snapshot(DefaultVault).Keys);
    }

    [Fact]
    public void Discovery_without_advertised_lists_saves_with_a_warning()
    {
        ImportCa();
        JsonObject document = Server.DefaultSmartConfiguration();
        document.Remove("token_endpoint_auth_methods_supported");
        document.Remove("token_endpoint_auth_signing_alg_values_supported");
        Server.SmartConfigurationOverride = document.ToJsonString();

        PsResult result = RunWithOk($"New-FhirOAuth -Name smart -FhirBaseUri $oauthBase -Discover -CaBundle testca -ClientId {BackendClientId} -PrivateKey $rsaKey -KeyId k");

        Assert.Equal(2, result.Warnings.Count);
        Assert.Contains(result.Warnings, w => w.Message.Contains("token_endpoint_auth_methods_supported", StringComparison.Ordinal));
        Assert.Contains(result.Warnings, w => w.Message.Contains("token_endpoint_auth_signing_alg_values_supported", StringComparison.Ordinal));
        Assert.Contains("FhirSecurity-OAuth-smart", TestVaults.Snapshot(DefaultVault).Keys);
    }

    public static TheoryData<string, string> DiscoveryRefusals() => new()
    {
        { "not json", "OAuthDiscoveryResponseInvalid" },
        { "no token_endpoint", "OAuthDiscoveryTokenEndpointMissing" },
        { "http token_endpoint", "OAuthDiscoveryTokenEndpointInsecure" },
        { "method not advertised", "OAuthDiscoveryMethodNotSupported" },
        { "alg not advertised", "OAuthDiscoveryAlgorithmNotSupported" },
        { "404", "OAuthDiscoveryFailed" },
        { "untrusted", "TlsValidationFailed" },
        { "unreachable", "OAuthDiscoveryUnreachable" },
        { "http base", "OAuthDiscoveryBaseUriInvalid" },
        { "bundle with Skip", "OAuthDiscoveryCaBundleUnused" },
        { "CustomBundle without bundle", "OAuthDiscoveryCaBundleRequired" },
    };

    [Theory]
    [MemberData(nameof(DiscoveryRefusals))]
    public void Each_discovery_failure_has_its_own_id_and_nothing_is_written(string fault, string errorId)
    {
        ImportCa();
        VaultSnapshot before = TestVaults.Snapshot(DefaultVault);
        JsonObject document = Server.DefaultSmartConfiguration();
        string baseUri = "$oauthBase";
        string tls = "-CaBundle testca";
        switch (fault)
        {
            case "not json": Server.SmartConfigurationOverride = "<html>sign in</html>"; break;
            case "no token_endpoint": document.Remove("token_endpoint"); Server.SmartConfigurationOverride = document.ToJsonString(); break;
            case "http token_endpoint": document["token_endpoint"] = "http://127.0.0.1/oauth/token"; Server.SmartConfigurationOverride = document.ToJsonString(); break;
            case "method not advertised": document["token_endpoint_auth_methods_supported"] = new JsonArray("client_secret_basic"); Server.SmartConfigurationOverride = document.ToJsonString(); break;
            case "alg not advertised": document["token_endpoint_auth_signing_alg_values_supported"] = new JsonArray("RS384"); Server.SmartConfigurationOverride = document.ToJsonString(); break;
            case "404": Server.Faults.EnqueueStatus("/oauth/fhir/.well-known/smart-configuration", 404); break;
            case "untrusted": tls = string.Empty; break;
            case "unreachable": baseUri = $"https://127.0.0.1:{ClosedPort()}/fhir"; break;
            case "http base": baseUri = Server.OAuthBase.AbsoluteUri.Replace("https:", "http:", StringComparison.Ordinal); break;
            case "bundle with Skip": tls = "-CaBundle testca -TlsValidation Skip"; break;
            case "CustomBundle without bundle": tls = "-TlsValidation CustomBundle"; break;
        }

        PsResult result = RunWith($"New-FhirOAuth -Name smart -FhirBaseUri {baseUri} -Discover {tls} -ClientId {BackendClientId} -PrivateKey $ecKey -KeyId {ClientKeys.EcKid}");

        AssertError(result, errorId, "New-FhirOAuth");
        Assert.Equal(before, TestVaults.Snapshot(DefaultVault));
        Assert.DoesNotContain(ClientKeys.Canary(ClientKeys.EcPem), result.AllText());
    }

    [Fact]
    public void Narrower_granted_scopes_warn_once_per_token_naming_what_is_missing()
    {
        NewOAuthConnection(scope: "system/Patient.read, system/Observation.read");

        PsResult first = RunWithOk("Invoke-FhirRequest c Patient/pat-0001");
        PsResult second = RunWithOk("Invoke-FhirRequest c Patient/pat-0001");

        WarningRecord warning = Assert.Single(first.Warnings);
        Assert.Contains("system/Observation.read", warning.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("Not granted: system/Patient.read", warning.Message, StringComparison.Ordinal);
        Assert.Empty(second.Warnings);

        Server.RevokeAllTokens();
        Assert.Single(RunWithOk("Invoke-FhirRequest c Patient/pat-0001").Warnings);
    }

    [Fact]
    public void No_scope_warning_when_everything_asked_for_is_granted()
    {
        NewOAuthConnection(scope: "system/Patient.read, system/Patient.write");

        Assert.Empty(RunWithOk("Invoke-FhirRequest c Patient/pat-0001").Warnings);
    }

    private static int ClosedPort()
    {
        using var probe = new TcpListener(IPAddress.Loopback, 0);
        probe.Start();
        return ((IPEndPoint)probe.LocalEndpoint).Port;
    }
}
