using System.Management.Automation;
using System.Security.Cryptography.X509Certificates;
using FhirSecurity.Tests.Harness;
using FhirSecurity.TestServer;
using Xunit;

namespace FhirSecurity.Tests.Requests;

/// <summary>
/// A server behind nginx with <c>ssl_verify_client on</c>: the handshake asks for a client certificate and finishes
/// without one, and the request then gets nginx's "400 No required SSL certificate was sent" page. Without a
/// certificate that is TlsClientCertificateRequired with nginx's words, for FHIR requests, the token endpoint and
/// Test-FhirConnection; with one, everything works.
/// </summary>
public sealed class NginxClientCertificateTests : ServerTest
{
    private const string NginxTitle = "\"400 No required SSL certificate was sent\"";
    private readonly string _dir = Directory.CreateTempSubdirectory("fhirsec-nginx-").FullName;

    public NginxClientCertificateTests()
        : base(requireClientCertificate: false, nginxClientCertificateCheck: true)
    {
    }

    private string Pfx(string subject)
    {
        using X509Certificate2 certificate = Server.Pki.IssueClientCertificate(subject);
        string path = Path.Combine(_dir, subject[3..] + ".pfx");
        File.WriteAllBytes(path, TestPki.ExportPfx(certificate));
        return path;
    }

    private static void AssertNamesTheMissingCertificate(string message)
    {
        Assert.Contains("asked for a TLS client certificate during the handshake and this connection has none", message, StringComparison.Ordinal);
        Assert.Contains("Set-FhirConnection -ClientCertificatePath", message, StringComparison.Ordinal);
        Assert.Contains(NginxTitle, message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_fhir_request_without_a_certificate_says_it_is_missing_and_quotes_nginx()
    {
        NewBasicConnection("n");

        ErrorRecord error = AssertError(RunWith("Invoke-FhirRequest n Patient/pat-0005"), "TlsClientCertificateRequired", "Invoke-FhirRequest");

        Assert.Equal(ErrorCategory.SecurityError, error.CategoryInfo.Category);
        Assert.Contains("Patient/pat-0005 was refused with HTTP 400", error.Exception.Message, StringComparison.Ordinal);
        AssertNamesTheMissingCertificate(error.Exception.Message);

        RunWithOk($"Set-FhirConnection -Name n -ClientCertificatePath '{Pfx("CN=nginx-runbook")}'");
        Assert.Single(RunWithOk("Invoke-FhirRequest n Patient/pat-0005").Output);
        Assert.Equal("CN=nginx-runbook", Server.LastClientCertificateSubject);
    }

    [Fact]
    public void A_token_request_without_a_certificate_says_it_is_missing()
    {
        NewOAuthConnection("t");

        ErrorRecord error = AssertError(RunWith("Invoke-FhirRequest t Patient/pat-0001"), "TlsClientCertificateRequired", "Invoke-FhirRequest");

        Assert.Contains("The token endpoint asked for a TLS client certificate", error.Exception.Message, StringComparison.Ordinal);
        AssertNamesTheMissingCertificate(error.Exception.Message);
        Assert.Null(Server.LastTokenRequest);

        RunWithOk($"Set-FhirConnection -Name t -ClientCertificatePath '{Pfx("CN=nginx-token")}'");
        Assert.Single(RunWithOk("Invoke-FhirRequest t Patient/pat-0001").Output);
        Assert.NotNull(Server.LastTokenRequest);
    }

    [Fact]
    public void Test_FhirConnection_names_the_missing_certificate_in_the_step_that_got_the_page()
    {
        NewOAuthConnection("o");
        // The CA bundle is there already.
        RunWithOk("New-FhirBasicAuth -Name b-basic -Credential $basicCredential; New-FhirConnection -Name b -BaseUri $basicBase -BasicAuth b-basic -CaBundle testca");

        PsResult basic = RunWith("Test-FhirConnection b");

        dynamic report = Single(basic, "FhirConnectionTestResult");
        Assert.False((bool)report.Passed);
        Assert.Equal("Passed", report.Step("Tls").Status.ToString());
        Assert.Contains("the server asked for a client certificate and the connection has none", (string)report.Step("Tls").Detail, StringComparison.Ordinal);
        Assert.Equal("Failed", report.Step("Metadata").Status.ToString());
        ErrorRecord metadata = AssertError(basic, "ConnectionTestMetadataFailed", "Test-FhirConnection");
        AssertNamesTheMissingCertificate(metadata.Exception.Message);
        AssertNamesTheMissingCertificate((string)report.Step("Metadata").Detail);

        PsResult oauth = RunWith("Test-FhirConnection o");

        Assert.Equal(
            ["ConnectionTestTokenFailed", "ConnectionTestMetadataFailed"],
            oauth.Errors.Select(e => e.FullyQualifiedErrorId.Split(',')[0]));
        Assert.Contains("The token endpoint asked for a TLS client certificate", oauth.Errors[0].Exception.Message, StringComparison.Ordinal);
        Assert.All(oauth.Errors, e => AssertNamesTheMissingCertificate(e.Exception.Message));

        PsResult with = RunWithOk($"Set-FhirConnection -Name o -ClientCertificatePath '{Pfx("CN=nginx-probe")}'; Test-FhirConnection o");
        Assert.True((bool)Single(with, "FhirConnectionTestResult").Passed);
    }

    /// <inheritdoc />
    protected override void Cleanup()
    {
        base.Cleanup();
        Directory.Delete(_dir, recursive: true);
    }
}
