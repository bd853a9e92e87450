using System.Management.Automation;
using FhirSecurity.Tests.Harness;
using FhirSecurity.TestServer;
using Xunit;

namespace FhirSecurity.Tests.Requests;

/// <summary>The three TLS validation modes of a connection, through Invoke-FhirRequest.</summary>
public sealed class TlsModeTests : ServerTest
{
    [Fact]
    public void Default_refuses_a_private_CA_and_says_why()
    {
        RunWithOk("New-FhirConnection -Name c -BaseUri $openBase");

        PsResult result = RunWith("Invoke-FhirRequest c Patient/pat-0001");

        ErrorRecord error = AssertError(result, "TlsValidationFailed", "Invoke-FhirRequest");
        Assert.Equal(ErrorCategory.SecurityError, error.CategoryInfo.Category);
        Assert.Contains("Default validation", error.Exception.Message);
        Assert.Contains("not trusted by the system trust store", error.Exception.Message);
        Assert.Equal(0, Server.Counters.TotalRequests);
    }

    [Fact]
    public void CustomBundle_trusts_only_its_own_CA()
    {
        using TestPki other = TestPki.Create(name: "Other");
        RunWithOk("Import-FhirCaBundle -Name otherca -Pem $otherPem; New-FhirConnection -Name c -BaseUri $openBase -CaBundle otherca".Replace("$otherPem", "'" + other.BundlePem + "'"));

        PsResult result = RunWith("Invoke-FhirRequest c Patient/pat-0001");

        Assert.Contains("does not chain to the CA bundle", AssertError(result, "TlsValidationFailed", "Invoke-FhirRequest").Exception.Message);
        Assert.Equal(0, Server.Counters.TotalRequests);
    }

    [Fact]
    public void CustomBundle_still_checks_the_host_name()
    {
        ImportCa();
        Server.SetServerCertificate(Server.Pki.IssueServerCertificate(CertificateOptions.WrongHost));
        RunWithOk("New-FhirConnection -Name c -BaseUri $openBase -CaBundle testca");

        PsResult result = RunWith("Invoke-FhirRequest c Patient/pat-0001");

        Assert.Contains("not for the host '127.0.0.1'", AssertError(result, "TlsValidationFailed", "Invoke-FhirRequest").Exception.Message);
    }

    [Fact]
    public void Skip_accepts_any_certificate_and_warns_once_per_session_per_connection()
    {
        Server.SetServerCertificate(Server.Pki.IssueServerCertificate(CertificateOptions.SelfSigned));
        RunWithOk("New-FhirConnection -Name lab -BaseUri $openBase -TlsValidation Skip");

        PsResult first = RunWithOk("Invoke-FhirRequest lab Patient/pat-0001");
        PsResult second = RunWithOk("Invoke-FhirRequest lab Patient/pat-0001");

        Assert.Single(first.Output);
        Assert.Contains("skips TLS certificate validation", Assert.Single(first.Warnings).Message);
        Assert.Empty(second.Warnings);
        using PsSession other = PsSession.Create();
        Assert.Single(other.Run("Invoke-FhirRequest lab Patient/pat-0001", Vars).Warnings);
    }

    [Fact]
    public void Skip_on_one_connection_does_not_relax_another()
    {
        RunWithOk("New-FhirConnection -Name lab -BaseUri $openBase -TlsValidation Skip; New-FhirConnection -Name strict -BaseUri $openBase");

        RunWithOk("Invoke-FhirRequest lab Patient/pat-0001 -WarningAction SilentlyContinue");

        AssertError(RunWith("Invoke-FhirRequest strict Patient/pat-0001"), "TlsValidationFailed", "Invoke-FhirRequest");
    }

    [Fact]
    public void Token_endpoint_uses_the_connection_TLS_policy()
    {
        RunWithOk($"New-FhirOAuth -Name o -TokenUrl $tokenUrl -ClientId {ClientId} -ClientSecret $clientSecret; New-FhirConnection -Name c -BaseUri $oauthBase -OAuth o");

        PsResult result = RunWith("Invoke-FhirRequest c Patient/pat-0001");

        Assert.Contains("token endpoint", AssertError(result, "TlsValidationFailed", "Invoke-FhirRequest").Exception.Message);
        Assert.Equal(0, Server.Counters.TokenRequests);
    }
}
