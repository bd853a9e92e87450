using System.Management.Automation;
using FhirSecurity.Tests.Harness;
using FhirSecurity.TestServer;
using Xunit;

namespace FhirSecurity.Tests.Requests;

/// <summary>
/// Federated client assertions end to end: a runbook's definition names the file a platform writes, the token
/// endpoint (Entra-like: client_id plus the issuer's RS256 assertion) accepts what is in it, a rotated file is what
/// the next token request sends, and a refused assertion reads as the server's words with the assertion nowhere.
/// </summary>
public sealed class FederatedAssertionRequestTests : ServerTest
{
    private static readonly FederatedCredential Workload = OAuthClientRegistration.Workload.Federated!;
    private readonly string _dir = Directory.CreateTempSubdirectory("fhirsec-federated-").FullName;

    private string AssertionPath => Path.Combine(_dir, "azure-identity-token");

    private string WriteAssertion(TimeSpan? lifetime = null, string? subject = null)
    {
        string assertion = Server.FederatedIssuer.Sign(
            Workload, DateTimeOffset.UtcNow, lifetime ?? TimeSpan.FromHours(1), subject: subject);
        File.WriteAllText(AssertionPath, assertion);
        return assertion;
    }

    private void NewFederatedConnection()
    {
        ImportCa();
        RunWithOk(
            $"New-FhirOAuth -Name workload -TokenUrl $tokenUrl -ClientId {OAuthClientRegistration.Workload.ClientId}"
            + $" -ClientAssertionPath '{AssertionPath}' -Scope system/Patient.read; "
            + "New-FhirConnection -Name c -BaseUri $oauthBase -OAuth workload -CaBundle testca");
    }

    [Fact]
    public void A_request_gets_a_token_for_the_assertion_in_the_file_and_caches_it()
    {
        string assertion = WriteAssertion();
        NewFederatedConnection();

        PsResult result = RunWithOk("Invoke-FhirRequest c Patient/pat-0001 -Verbose; Invoke-FhirRequest c Patient/pat-0001");

        Assert.Equal(2, result.Output.Count);
        TokenRequestRecord request = Server.LastTokenRequest!;
        Assert.Equal("federated_assertion", request.ClientAuthMethod);
        Assert.Equal(["grant_type", "scope", "client_id", "client_assertion_type", "client_assertion"], request.FieldNames);
        Assert.Equal(assertion, Assert.Single(Server.ReceivedAssertions).Raw);
        Assert.Equal(1, Server.Counters.TokenRequests);
        dynamic entry = Single(RunOk("Get-FhirTokenCache"), "FhirTokenCacheEntry");
        Assert.Equal("workload", (string)entry.OAuth);
        Assert.Equal(1, (int)entry.Fetches);
        Assert.DoesNotContain(assertion, result.AllText());
    }

    [Fact]
    public void After_a_401_and_after_Clear_FhirTokenCache_the_rotated_file_is_what_is_sent()
    {
        WriteAssertion();
        NewFederatedConnection();
        RunWithOk("Invoke-FhirRequest c Patient/pat-0001");

        string rotated = WriteAssertion();
        Server.RevokeAllTokens();
        RunWithOk("Invoke-FhirRequest c Patient/pat-0001");
        string again = WriteAssertion();
        RunWithOk("Clear-FhirTokenCache; Invoke-FhirRequest c Patient/pat-0001");

        Assert.Equal([rotated, again], Server.ReceivedAssertions.Skip(1).Select(a => a.Raw));
        Assert.All(Server.ReceivedAssertions, a => Assert.Null(a.Rejection));
    }

    [Theory]
    [InlineData(-300, null, "AADSTS700024")]
    [InlineData(3600, "system:serviceaccount:other:pod", "AADSTS70021")]
    public void A_refused_assertion_is_OAuthTokenRequestFailed_in_the_servers_words_and_never_shown(
        int lifetimeSeconds, string? subject, string code)
    {
        string assertion = WriteAssertion(TimeSpan.FromSeconds(lifetimeSeconds), subject);
        NewFederatedConnection();

        PsResult result = RunWith("Invoke-FhirRequest c Patient/pat-0001 -Verbose -Debug");
        PsResult tested = RunWith("Test-FhirConnection c -Verbose");

        ErrorRecord error = AssertError(result, "OAuthTokenRequestFailed", "Invoke-FhirRequest");
        Assert.Equal(System.Management.Automation.ErrorCategory.AuthenticationError, error.CategoryInfo.Category);
        Assert.Contains(code, error.Exception.Message);
        Assert.Contains(AssertionPath, error.Exception.Message);
        dynamic report = Single(tested, "FhirConnectionTestResult");
        Assert.Equal("Failed", (string)report.Step("Token").Status.ToString());
        Assert.Contains(code, (string)report.Step("Token").Detail);
        foreach (string text in new[] { result.AllText(), tested.AllText(), Session.RunFormatted("$Error") })
        {
            Assert.DoesNotContain(assertion, text);
            Assert.DoesNotContain(assertion[(assertion.LastIndexOf('.') + 1)..], text);
        }
    }

    [Fact]
    public void A_file_gone_at_request_time_is_its_own_error_and_no_token_request_is_sent()
    {
        WriteAssertion();
        NewFederatedConnection();
        File.Delete(AssertionPath);

        PsResult result = RunWith("Invoke-FhirRequest c Patient/pat-0001");

        ErrorRecord error = AssertError(result, "OAuthClientAssertionFileNotFound", "Invoke-FhirRequest");
        Assert.Equal(System.Management.Automation.ErrorCategory.ObjectNotFound, error.CategoryInfo.Category);
        Assert.Equal(0, Server.Counters.TokenRequests);
    }

    /// <inheritdoc />
    protected override void Cleanup()
    {
        base.Cleanup();
        Directory.Delete(_dir, recursive: true);
    }
}
