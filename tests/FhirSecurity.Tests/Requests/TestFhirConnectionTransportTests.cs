using System.Security.Cryptography.X509Certificates;
using FhirSecurity.Tests.Harness;
using FhirSecurity.TestServer;
using Xunit;

namespace FhirSecurity.Tests.Requests;

/// <summary>
/// Test-FhirConnection takes the path a request takes: through the connection's proxy (DNS and TCP are then about the
/// proxy, and the TLS handshake runs inside its CONNECT tunnel), and with the connection's client certificate.
/// </summary>
public sealed class TestFhirConnectionProxyTests : ServerTest
{
    private const string ProxyPassword = "CanaryProbeProxyPw-5c1e";

    [Fact]
    public async Task Every_step_goes_through_the_connections_proxy()
    {
        await using var proxy = new ConnectProxy();
        NewOAuthConnection("p");
        RunWithOk($"Set-FhirConnection -Name p -Proxy {proxy.Uri}");

        PsResult result = RunWithOk("Test-FhirConnection p -Verbose");

        dynamic report = Single(result, "FhirConnectionTestResult");
        Assert.True((bool)report.Passed);
        Assert.Equal($"127.0.0.1:{proxy.Uri.Port}", (string)report.RemoteEndPoint);
        Assert.Contains($"tunnel to 127.0.0.1:{Server.Port}", (string)report.Step("Tcp").Detail);
        Assert.Equal("CN=localhost", (string)((IEnumerable<dynamic>)report.ServerCertificates).First().Subject);
        // The test's own tunnel for the TLS step, then the handler's for the token and metadata requests.
        Assert.True(proxy.TunnelsTo($"127.0.0.1:{Server.Port}") >= 2);
        Assert.Equal(proxy.TotalTunnels, proxy.TunnelsTo($"127.0.0.1:{Server.Port}"));
        Assert.Contains(result.Verbose, v => v.Message.Contains("(the proxy), then CONNECT", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_proxy_that_refuses_fails_the_tcp_step_and_says_why()
    {
        await using var proxy = new ConnectProxy("probe-user", ProxyPassword);
        NewOAuthConnection("a");
        RunWithOk($"Set-FhirConnection -Name a -Proxy {proxy.Uri}");

        PsResult refused = RunWith("Test-FhirConnection a");

        dynamic report = Single(refused, "FhirConnectionTestResult");
        Assert.False((bool)report.Passed);
        Assert.Equal("Failed", report.Step("Tcp").Status.ToString());
        Assert.Equal("Skipped", report.Step("Tls").Status.ToString());
        var error = AssertError(refused, "ConnectionTestTcpFailed", "Test-FhirConnection");
        Assert.Contains("407", error.Exception.Message, StringComparison.Ordinal);
        Assert.Contains("-ProxyCredential", error.Exception.Message, StringComparison.Ordinal);

        PsResult passed = RunWithOk($"Set-FhirConnection -Name a -ProxyCredential {Credential("probe-user", ProxyPassword)}; Test-FhirConnection a -Verbose -Debug");

        Assert.True((bool)Single(passed, "FhirConnectionTestResult").Passed);
        Assert.True(proxy.CredentialsSeen);
        string formatted = Session.RunFormatted("Test-FhirConnection a", Vars);
        foreach (PsResult run in new[] { refused, passed })
        {
            Assert.DoesNotContain(ProxyPassword, run.AllText());
        }

        Assert.DoesNotContain(ProxyPassword, formatted);
    }
}

/// <summary>Test-FhirConnection against a server that requires a TLS client certificate from its own CA.</summary>
public sealed class TestFhirConnectionClientCertificateTests : ServerTest
{
    private readonly string _dir = Directory.CreateTempSubdirectory("fhirsec-probe-mtls-").FullName;

    public TestFhirConnectionClientCertificateTests()
        : base(requireClientCertificate: true)
    {
    }

    [Fact]
    public void Without_a_certificate_it_fails_and_with_one_every_step_passes()
    {
        NewOAuthConnection("m");

        PsResult without = RunWith("Test-FhirConnection m");

        dynamic failed = Single(without, "FhirConnectionTestResult");
        Assert.False((bool)failed.Passed);
        Assert.Contains("asked for a client certificate and the connection has none", (string)failed.Step("Tls").Detail + (string)failed.Step("Tls").ErrorId + string.Join(" ", without.Errors.Select(e => e.Exception.Message)), StringComparison.Ordinal);
        Assert.NotEmpty(without.Errors);

        using X509Certificate2 certificate = Server.Pki.IssueClientCertificate("CN=probe-runbook");
        string pfx = Path.Combine(_dir, "probe.pfx");
        File.WriteAllBytes(pfx, TestPki.ExportPfx(certificate));
        PsResult with = RunWithOk($"Set-FhirConnection -Name m -ClientCertificatePath '{pfx}'; Test-FhirConnection m");

        dynamic report = Single(with, "FhirConnectionTestResult");
        Assert.True((bool)report.Passed);
        Assert.Contains("the client certificate 'CN=probe-runbook' was sent", (string)report.Step("Tls").Detail, StringComparison.Ordinal);
        Assert.Equal("CN=probe-runbook", Server.LastClientCertificateSubject);
    }

    /// <inheritdoc />
    protected override void Cleanup()
    {
        base.Cleanup();
        Directory.Delete(_dir, recursive: true);
    }
}
