using System.Security.Cryptography.X509Certificates;
using FhirSecurity.Tests.Harness;
using FhirSecurity.TestServer;
using Xunit;

namespace FhirSecurity.Tests.Requests;

/// <summary>
/// A server (FHIR and token endpoint on one listener) that requires a TLS client certificate from its own CA:
/// without one the request fails with an error that says so, with one it works, and a certificate changed with
/// Set-FhirConnection is used on the next call.
/// </summary>
public sealed class ClientCertificateRequestTests : ServerTest
{
    private readonly string _dir = Directory.CreateTempSubdirectory("fhirsec-mtls-").FullName;

    public ClientCertificateRequestTests()
        : base(requireClientCertificate: true)
    {
    }

    private string Pfx(string subject, TestPki? pki = null)
    {
        using X509Certificate2 certificate = (pki ?? Server.Pki).IssueClientCertificate(subject);
        string path = Path.Combine(_dir, subject[3..] + ".pfx");
        File.WriteAllBytes(path, TestPki.ExportPfx(certificate));
        return path;
    }

    [Fact]
    public void Fhir_request_needs_the_certificate_and_uses_a_rotated_one_on_the_next_call()
    {
        NewBasicConnection("m");
        AssertError(RunWith("Invoke-FhirRequest m Patient/pat-0001"), "TlsClientCertificateRequired", "Invoke-FhirRequest");

        RunWithOk($"Set-FhirConnection -Name m -ClientCertificatePath '{Pfx("CN=runbook-a")}'");
        Assert.Single(RunWithOk("Invoke-FhirRequest m Patient/pat-0001").Output);
        Assert.Equal("CN=runbook-a", Server.LastClientCertificateSubject);

        RunWithOk($"Set-FhirConnection -Name m -ClientCertificatePath '{Pfx("CN=runbook-b")}'");
        Assert.Single(RunWithOk("Invoke-FhirRequest m Patient/pat-0001").Output);
        Assert.Equal("CN=runbook-b", Server.LastClientCertificateSubject);

        using TestPki stranger = TestPki.Create(name: "Stranger");
        RunWithOk($"Set-FhirConnection -Name m -ClientCertificatePath '{Pfx("CN=stranger", stranger)}'");
        var refused = AssertError(RunWith("Invoke-FhirRequest m Patient/pat-0001"), "TlsClientCertificateRefused", "Invoke-FhirRequest");
        Assert.Contains("CN=stranger", refused.Exception.Message, StringComparison.Ordinal);

        RunWithOk("Set-FhirConnection -Name m -NoClientCertificate");
        AssertError(RunWith("Invoke-FhirRequest m Patient/pat-0001"), "TlsClientCertificateRequired", "Invoke-FhirRequest");
    }

    [Fact]
    public void Token_endpoint_gets_the_client_certificate_too()
    {
        NewOAuthConnection("t");
        var error = AssertError(RunWith("Invoke-FhirRequest t Patient/pat-0001"), "TlsClientCertificateRequired", "Invoke-FhirRequest");
        Assert.Contains("token endpoint", error.Exception.Message, StringComparison.Ordinal);
        Assert.Null(Server.LastTokenRequest);

        RunWithOk($"Set-FhirConnection -Name t -ClientCertificatePath '{Pfx("CN=token-runbook")}'");
        Assert.Single(RunWithOk("Invoke-FhirRequest t Patient/pat-0001").Output);
        Assert.NotNull(Server.LastTokenRequest);
        Assert.Equal("CN=token-runbook", Server.LastClientCertificateSubject);
    }

    /// <inheritdoc />
    protected override void Cleanup()
    {
        base.Cleanup();
        Directory.Delete(_dir, recursive: true);
    }
}
