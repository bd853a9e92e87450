using System.Security.Authentication;
using System.Security.Cryptography.X509Certificates;
using FhirSecurity.Core.Auth;
using FhirSecurity.Core.Definitions;
using FhirSecurity.Core.Errors;
using FhirSecurity.Core.Fhir;
using FhirSecurity.Core.Http;
using FhirSecurity.Core.Secrets;
using FhirSecurity.Core.Tests.Fakes;
using FhirSecurity.Core.Tls;
using FhirSecurity.TestServer;
using Microsoft.AspNetCore.Server.Kestrel.Https;
using Xunit;

namespace FhirSecurity.Core.Tests.Http;

/// <summary>Client certificates and proxies on the request path: what the handler presents and where it connects.</summary>
public sealed class TransportTests : IClassFixture<SharedPki>, IDisposable
{
    private readonly TestPki _pki;
    private readonly TestPki _other;
    private readonly string _dir = Directory.CreateTempSubdirectory("fhirsec-transport-").FullName;

    public TransportTests(SharedPki shared) => (_pki, _other) = (shared.Pki, shared.Other);

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private ClientCertificate Import(TestPki pki, string subject = "CN=runbook")
    {
        using X509Certificate2 issued = pki.IssueClientCertificate(subject);
        string path = Path.Combine(_dir, Guid.NewGuid() + ".pfx");
        File.WriteAllBytes(path, TestPki.ExportPfx(issued));
        return ClientCertificateReader.Read(path, null, null, DateTimeOffset.UtcNow).Certificate;
    }

    private TransportPolicy Policy(ClientCertificate? certificate = null, ProxySettings? proxy = null)
        => new(TlsValidationMode.CustomBundle, CaBundle.Parse(_pki.BundlePem, DateTimeOffset.UtcNow, "test"), clientCertificate: certificate, proxy: proxy);

    private static Task<FhirResponse> GetAsync(Uri baseUri, TransportPolicy tls, HandlerPool? pool = null, OAuthDefinition? oauth = null)
    {
        var client = new FhirClient(ServerConnections.Resolved(baseUri, tls, oauth: oauth), pool ?? new HandlerPool(), new TokenCache(TimeProvider.System), TimeProvider.System);
        return client.SendAsync(ServerConnections.Get(new Uri(baseUri, "Patient/pat-0001")), CancellationToken.None);
    }

    private Task<FhirTestServer> RequiringCertificateAsync()
        => FhirTestServer.StartAsync(new FhirTestServerOptions { Pki = _pki, ClientCertificateMode = ClientCertificateMode.RequireCertificate });

    [Fact]
    public async Task ServerRequiringACertificateRefusesAConnectionWithoutOne()
    {
        await using FhirTestServer server = await RequiringCertificateAsync();
        TransportPolicy tls = Policy();
        var ex = await Assert.ThrowsAsync<FhirSecurityException>(() => GetAsync(server.OpenBase, tls));
        Assert.Equal(ErrorIds.TlsClientCertificateRequired, ex.ErrorId);
        Assert.True(tls.ClientCertificateRequested("127.0.0.1"));
        Assert.Contains("client certificate", ex.Message, StringComparison.Ordinal);
    }

    private Task<FhirTestServer> NginxAsync(SslProtocols? protocols = null)
        => FhirTestServer.StartAsync(new FhirTestServerOptions { Pki = _pki, NginxClientCertificateCheck = true, ServerSslProtocols = protocols });

    [Theory]
    [InlineData(null)]
    [InlineData(SslProtocols.Tls12)]
    public async Task ANginxRefusalAfterAHandshakeThatAskedForACertificateIsTlsClientCertificateRequired(SslProtocols? protocols)
    {
        await using FhirTestServer server = await NginxAsync(protocols);
        FhirResponse response = await GetAsync(server.OpenBase, Policy());
        Assert.Equal(400, response.StatusCode);
        Assert.True(response.ClientCertificateMissing);

        FhirSecurityException error = FhirPayload.Failure(response, "GET");
        Assert.Equal(ErrorIds.TlsClientCertificateRequired, error.ErrorId);
        Assert.Contains("\"400 No required SSL certificate was sent\"", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ANginxFrontLetsTheImportedCertificateThrough()
    {
        await using FhirTestServer server = await NginxAsync();
        FhirResponse response = await GetAsync(server.OAuthBase, Policy(Import(_pki)), oauth: ServerConnections.OAuth(server));
        Assert.Equal(200, response.StatusCode);
        Assert.False(response.ClientCertificateMissing);
        Assert.Equal("CN=runbook", server.LastClientCertificateSubject);
    }

    [Fact]
    public async Task ATokenEndpointBehindNginxWithoutTheCertificateSaysSoAtOnce()
    {
        await using FhirTestServer server = await NginxAsync();
        TransportPolicy tls = Policy();
        PooledClient client = new HandlerPool().GetClient(tls);
        var retries = new List<string>();

        var ex = await Assert.ThrowsAsync<FhirSecurityException>(() => TokenClient.RequestAsync(
            ServerConnections.OAuth(server), client.Http, tls, TimeProvider.System, TimeSpan.FromSeconds(30), CancellationToken.None, RetryPolicy.Default, retries.Add));

        Assert.Equal(ErrorIds.TlsClientCertificateRequired, ex.ErrorId);
        Assert.Equal(400, ex.StatusCode);
        Assert.Contains("The token endpoint asked for a TLS client certificate", ex.Message, StringComparison.Ordinal);
        Assert.Contains("\"400 No required SSL certificate was sent\"", ex.Message, StringComparison.Ordinal);
        Assert.Empty(retries);
        Assert.Null(server.LastTokenRequest);
    }

    [Fact]
    public async Task SmartDiscoveryBehindNginxWithoutTheCertificateSaysSo()
    {
        await using FhirTestServer server = await NginxAsync();
        TransportPolicy tls = Policy();
        PooledClient client = new HandlerPool().GetClient(tls);

        var ex = await Assert.ThrowsAsync<FhirSecurityException>(() => SmartDiscovery.DiscoverAsync(
            server.OAuthBase, client.Http, tls, TimeSpan.FromSeconds(30), CancellationToken.None));

        Assert.Equal(ErrorIds.TlsClientCertificateRequired, ex.ErrorId);
        Assert.Contains("\"400 No required SSL certificate was sent\"", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ServerRequiringACertificateAcceptsTheImportedOne()
    {
        await using FhirTestServer server = await RequiringCertificateAsync();
        FhirResponse response = await GetAsync(server.OpenBase, Policy(Import(_pki)));
        Assert.Equal(200, response.StatusCode);
        Assert.Equal("CN=runbook", server.LastClientCertificateSubject);
    }

    [Fact]
    public async Task TokenEndpointGetsTheClientCertificateToo()
    {
        await using FhirTestServer server = await RequiringCertificateAsync();
        FhirResponse response = await GetAsync(server.OAuthBase, Policy(Import(_pki, "CN=token-client")), oauth: ServerConnections.OAuth(server));
        Assert.Equal(200, response.StatusCode);
        Assert.NotNull(server.LastTokenRequest);
        Assert.Equal("CN=token-client", server.LastClientCertificateSubject);
    }

    [Fact]
    public async Task TokenEndpointWithoutTheCertificateFailsAtOnceInsteadOfRetrying()
    {
        await using FhirTestServer server = await RequiringCertificateAsync();
        TransportPolicy tls = Policy();
        PooledClient client = new HandlerPool().GetClient(tls);
        var retries = new List<string>();

        var ex = await Assert.ThrowsAsync<FhirSecurityException>(() => TokenClient.RequestAsync(
            ServerConnections.OAuth(server), client.Http, tls, TimeProvider.System, TimeSpan.FromSeconds(30), CancellationToken.None, RetryPolicy.Default, retries.Add));

        Assert.Equal(ErrorIds.TlsClientCertificateRequired, ex.ErrorId);
        Assert.Contains("token endpoint", ex.Message, StringComparison.Ordinal);
        Assert.Empty(retries);
    }

    [Fact]
    public async Task CertificateFromAnotherCaIsReportedAsRefused()
    {
        await using FhirTestServer server = await RequiringCertificateAsync();
        var ex = await Assert.ThrowsAsync<FhirSecurityException>(() => GetAsync(server.OpenBase, Policy(Import(_other, "CN=stranger"))));
        Assert.Equal(ErrorIds.TlsClientCertificateRefused, ex.ErrorId);
        Assert.Contains("CN=stranger", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ExplicitProxyCarriesTheRequestThroughATunnel()
    {
        await using FhirTestServer server = await FhirTestServer.StartAsync(new FhirTestServerOptions { Pki = _pki });
        await using var proxy = new ConnectProxy();
        FhirResponse response = await GetAsync(server.OpenBase, Policy(proxy: ProxySettings.Explicit(proxy.Uri)));
        Assert.Equal(200, response.StatusCode);
        Assert.Equal(1, proxy.TunnelsTo($"127.0.0.1:{server.Port}"));
        Assert.False(proxy.CredentialsSeen);
    }

    [Fact]
    public async Task ProxyThatWantsCredentialsIsNamedInTheError()
    {
        await using FhirTestServer server = await FhirTestServer.StartAsync(new FhirTestServerOptions { Pki = _pki });
        await using var proxy = new ConnectProxy("proxy-user", "proxy-pass");
        var ex = await Assert.ThrowsAsync<FhirSecurityException>(() => GetAsync(server.OpenBase, Policy(proxy: ProxySettings.Explicit(proxy.Uri))));
        Assert.Equal(ErrorIds.ProxyAuthenticationRequired, ex.ErrorId);
        Assert.Equal(0, proxy.TotalTunnels);

        var wrong = await Assert.ThrowsAsync<FhirSecurityException>(() => GetAsync(server.OpenBase, Policy(proxy: ProxySettings.Explicit(proxy.Uri, "proxy-user", new SecretValue("wrong-pass")))));
        Assert.Equal(ErrorIds.ProxyAuthenticationRequired, wrong.ErrorId);
        Assert.DoesNotContain("wrong-pass", wrong.ToString(), StringComparison.Ordinal);

        FhirResponse response = await GetAsync(server.OpenBase, Policy(proxy: ProxySettings.Explicit(proxy.Uri, "proxy-user", new SecretValue("proxy-pass"))));
        Assert.Equal(200, response.StatusCode);
        Assert.Equal(1, proxy.TunnelsTo($"127.0.0.1:{server.Port}"));
        Assert.True(proxy.CredentialsSeen);
    }

    [Fact]
    public async Task UnreachableProxyIsNamedInTheError()
    {
        await using FhirTestServer server = await FhirTestServer.StartAsync(new FhirTestServerOptions { Pki = _pki });
        Uri closed;
        await using (var gone = new ConnectProxy())
        {
            closed = gone.Uri;
        }

        var ex = await Assert.ThrowsAsync<FhirSecurityException>(() => GetAsync(server.OpenBase, Policy(proxy: ProxySettings.Explicit(closed))));
        Assert.Equal(ErrorIds.ProxyUnreachable, ex.ErrorId);
        Assert.Contains(closed.Authority, ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void HandlersDifferByClientCertificateAndProxy()
    {
        ClientCertificate one = Import(_pki, "CN=one");
        ClientCertificate two = Import(_pki, "CN=two");
        var proxy = new Uri("http://127.0.0.1:3128/");
        string[] fingerprints =
        [
            Policy().Fingerprint,
            Policy(one).Fingerprint,
            Policy(two).Fingerprint,
            Policy(proxy: ProxySettings.None).Fingerprint,
            Policy(proxy: ProxySettings.Explicit(proxy)).Fingerprint,
            Policy(proxy: ProxySettings.Explicit(new Uri("http://127.0.0.1:3129/"))).Fingerprint,
            Policy(proxy: ProxySettings.Explicit(proxy, "u", new SecretValue("p1"))).Fingerprint,
            Policy(proxy: ProxySettings.Explicit(proxy, "u", new SecretValue("p2"))).Fingerprint,
        ];
        Assert.Equal(fingerprints.Length, fingerprints.Distinct().Count());
        Assert.Equal(Policy(one, ProxySettings.Explicit(proxy, "u", new SecretValue("p1"))).Fingerprint, Policy(one, ProxySettings.Explicit(proxy, "u", new SecretValue("p1"))).Fingerprint);
        Assert.Equal(Policy().Fingerprint, Policy(proxy: ProxySettings.System).Fingerprint);
        Assert.All(fingerprints, f => Assert.DoesNotContain("p1", f.Split(':').Last(), StringComparison.Ordinal));

        var pool = new HandlerPool();
        foreach (TransportPolicy policy in new[] { Policy(), Policy(one), Policy(one), Policy(two), Policy(proxy: ProxySettings.None) })
        {
            pool.GetClient(policy);
        }

        Assert.Equal(4, pool.Count);
    }

    [Fact]
    public void TokenKeyChangesWithClientCertificateAndProxyCredentials()
    {
        OAuthDefinition oauth = new() { Name = "o", TokenUrl = new Uri("https://auth.example.org/token"), ClientId = "c", ClientSecret = new SecretValue("s"), Scopes = [] };
        var proxy = new Uri("http://127.0.0.1:3128/");
        string?[] keys =
        [
            ServerConnections.Resolved(new Uri("https://fhir.example.org/"), Policy(), oauth: oauth).TokenKey,
            ServerConnections.Resolved(new Uri("https://fhir.example.org/"), Policy(Import(_pki)), oauth: oauth).TokenKey,
            ServerConnections.Resolved(new Uri("https://fhir.example.org/"), Policy(proxy: ProxySettings.Explicit(proxy, "u", new SecretValue("a"))), oauth: oauth).TokenKey,
            ServerConnections.Resolved(new Uri("https://fhir.example.org/"), Policy(proxy: ProxySettings.Explicit(proxy, "u", new SecretValue("b"))), oauth: oauth).TokenKey,
        ];
        Assert.Equal(keys.Length, keys.Distinct().Count());
    }

    [Fact]
    public async Task NoProxyConnectsDirectlyWhateverTheDefaultProxySays()
    {
        // The None handler must not consult HttpClient.DefaultProxy at all: checked by pointing the explicit
        // proxy elsewhere would prove nothing, so the request goes to a server while a proxy that counts stands by.
        await using FhirTestServer server = await FhirTestServer.StartAsync(new FhirTestServerOptions { Pki = _pki });
        await using var proxy = new ConnectProxy();
        TransportPolicy policy = Policy(proxy: ProxySettings.None);
        FhirResponse direct = await GetAsync(server.OpenBase, policy);
        Assert.Equal(200, direct.StatusCode);
        Assert.Equal(0, proxy.Requests);

        // A server that does not ask for a client certificate is not recorded as asking (no false "required").
        Assert.False(policy.ClientCertificateRequested("127.0.0.1"));
    }
}
