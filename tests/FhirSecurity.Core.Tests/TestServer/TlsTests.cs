using System.Net;
using System.Security.Authentication;
using System.Security.Cryptography.X509Certificates;
using FhirSecurity.TestServer;
using Xunit;
using Microsoft.AspNetCore.Server.Kestrel.Https;

namespace FhirSecurity.Core.Tests.TestServer;

public sealed class TlsTests
{
    private static async Task AssertTlsFailsAsync(HttpClient client, Uri uri)
    {
        var error = await Assert.ThrowsAsync<HttpRequestException>(() => client.GetAsync(uri));
        Assert.IsType<AuthenticationException>(error.InnerException);
    }

    [Fact]
    public async Task ChainValidatesToTheCustomRootOnly()
    {
        await using var server = await FhirTestServer.StartAsync();
        using var trusting = TestHttp.TrustingOnly(server.Pki);
        using var system = TestHttp.DefaultTrust();

        using var response = await trusting.GetAsync(new Uri(server.OpenBase, "metadata"));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        await AssertTlsFailsAsync(system, new Uri(server.OpenBase, "metadata"));
    }

    [Fact]
    public async Task LocalhostNameMatchesToo()
    {
        await using var server = await FhirTestServer.StartAsync();
        using var client = TestHttp.TrustingOnly(server.Pki);

        using var response = await client.GetAsync($"https://localhost:{server.Port}/open/fhir/Patient/pat-0001");
        var patient = await TestHttp.ReadJsonAsync(response);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal($"https://localhost:{server.Port}/open/fhir/Patient?_count=10", (await TestHttp.ReadJsonAsync(await client.GetAsync($"https://localhost:{server.Port}/open/fhir/Patient")))["link"]![0]!["url"]!.GetValue<string>());
        Assert.Equal("pat-0001", patient["id"]!.GetValue<string>());
    }

    [Fact]
    public async Task LeafOnlyNeedsTheIntermediateFromTheClient()
    {
        using var pki = TestPki.Create();
        await using var server = await FhirTestServer.StartAsync(new FhirTestServerOptions { Pki = pki, SendCertificateChain = false });
        using var rootOnly = TestHttp.TrustingOnly(pki);
        using var withIntermediate = TestHttp.TrustingOnly(pki, [pki.Intermediate]);

        await AssertTlsFailsAsync(rootOnly, new Uri(server.OpenBase, "metadata"));
        using var response = await withIntermediate.GetAsync(new Uri(server.OpenBase, "metadata"));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    [Theory]
    [InlineData(nameof(CertificateOptions.Expired))]
    [InlineData(nameof(CertificateOptions.NotYetValid))]
    [InlineData(nameof(CertificateOptions.WrongHost))]
    [InlineData(nameof(CertificateOptions.SelfSigned))]
    [InlineData(nameof(CertificateOptions.UnrelatedCa))]
    public async Task BrokenServerCertificatesAreRejected(string variant)
    {
        using var pki = TestPki.Create();
        var options = (CertificateOptions)typeof(CertificateOptions).GetProperty(variant)!.GetValue(null)!;
        using var certificate = pki.IssueServerCertificate(options);
        await using var server = await FhirTestServer.StartAsync(new FhirTestServerOptions { Pki = pki, ServerCertificate = certificate });
        using var client = TestHttp.TrustingOnly(pki);

        await AssertTlsFailsAsync(client, new Uri(server.OpenBase, "metadata"));
        Assert.Equal(1, server.Counters.ConnectionsAccepted);
        Assert.Equal(0, server.Counters.TotalRequests);
    }

    [Fact]
    public async Task CertificateCanBeSwappedWhileRunning()
    {
        await using var server = await FhirTestServer.StartAsync();
        using var expired = server.Pki.IssueServerCertificate(CertificateOptions.Expired);

        server.SetServerCertificate(expired);
        using (var client = TestHttp.TrustingOnly(server.Pki))
        {
            await AssertTlsFailsAsync(client, new Uri(server.OpenBase, "metadata"));
        }

        server.SetServerCertificate(server.Pki.ServerCertificate);
        using (var client = TestHttp.TrustingOnly(server.Pki))
        {
            using var response = await client.GetAsync(new Uri(server.OpenBase, "metadata"));
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        }
    }

    [Fact]
    public async Task RequiredClientCertificateMustChainToThePki()
    {
        using var pki = TestPki.Create();
        await using var server = await FhirTestServer.StartAsync(new FhirTestServerOptions { Pki = pki, ClientCertificateMode = ClientCertificateMode.RequireCertificate });
        using var clientCertificate = pki.IssueClientCertificate("CN=runbook");
        using var withCertificate = TestHttp.TrustingOnly(pki, clientCertificate: clientCertificate);
        using var without = TestHttp.TrustingOnly(pki);

        using var response = await withCertificate.GetAsync(new Uri(server.OpenBase, "metadata"));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("CN=runbook", server.LastClientCertificateSubject);
        // TLS 1.3 reports a refused client certificate after the handshake, so accept either failure shape.
        await Assert.ThrowsAnyAsync<Exception>(async () => (await without.GetAsync(new Uri(server.OpenBase, "metadata"))).EnsureSuccessStatusCode());
    }

    [Fact]
    public async Task NginxModeFinishesTheHandshakeWithoutACertificateAndAnswersItsOwn400Page()
    {
        using var pki = TestPki.Create();
        await using var server = await FhirTestServer.StartAsync(new FhirTestServerOptions { Pki = pki, NginxClientCertificateCheck = true });
        using var clientCertificate = pki.IssueClientCertificate("CN=runbook");
        using var withCertificate = TestHttp.TrustingOnly(pki, clientCertificate: clientCertificate);
        using var without = TestHttp.TrustingOnly(pki);

        foreach (Uri uri in new[] { new Uri(server.OpenBase, "metadata"), server.TokenEndpoint })
        {
            using var refused = await without.PostAsync(uri, new StringContent(string.Empty));
            Assert.Equal(HttpStatusCode.BadRequest, refused.StatusCode);
            Assert.Equal("text/html", refused.Content.Headers.ContentType?.MediaType);
            Assert.Contains("<title>400 No required SSL certificate was sent</title>", await refused.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        }

        Assert.Null(server.LastTokenRequest);
        using var response = await withCertificate.GetAsync(new Uri(server.OpenBase, "metadata"));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("CN=runbook", server.LastClientCertificateSubject);
    }

    [Fact]
    public async Task OneConnectionServesManyRequestsAndEachClientHandshakesOnce()
    {
        await using var server = await FhirTestServer.StartAsync();
        using (var client = TestHttp.TrustingOnly(server.Pki))
        {
            for (var i = 0; i < 3; i++)
            {
                using var response = await client.GetAsync(new Uri(server.OpenBase, "Patient/pat-0001"));
                response.EnsureSuccessStatusCode();
            }
        }

        Assert.Equal(1, server.Counters.ConnectionsAccepted);
        Assert.Equal(1, server.Counters.TlsHandshakes);
        Assert.Equal(3, server.Counters.RequestCount("GET", "/open/fhir/Patient/pat-0001"));

        using (var second = TestHttp.TrustingOnly(server.Pki))
        {
            using var response = await second.GetAsync(new Uri(server.OpenBase, "metadata"));
        }

        Assert.Equal(2, server.Counters.TlsHandshakes);
        server.Counters.Reset();
        Assert.Equal(0, server.Counters.TlsHandshakes);
        Assert.Equal(0, server.Counters.TotalRequests);
        Assert.Empty(server.Counters.RequestsByRoute);
    }
}
