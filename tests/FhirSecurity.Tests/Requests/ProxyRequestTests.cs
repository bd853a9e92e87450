using System.Net;
using FhirSecurity.Tests.Harness;
using FhirSecurity.TestServer;
using Xunit;

namespace FhirSecurity.Tests.Requests;

/// <summary>
/// Requests through the test CONNECT proxy: FHIR server and token endpoint both tunnel through the connection's
/// proxy, a proxy that wants credentials gets them from the vault, and -NoProxy goes direct even when the
/// process's default proxy points elsewhere.
/// </summary>
public sealed class ProxyRequestTests : ServerTest
{
    private const string ProxyPassword = "CanaryProxyPw-41d9";

    private string ServerAuthority => $"127.0.0.1:{Server.Port}";

    [Fact]
    public async Task Fhir_server_and_token_endpoint_go_through_the_connections_proxy()
    {
        await using var proxy = new ConnectProxy();
        NewOAuthConnection("p");
        RunWithOk($"Set-FhirConnection -Name p -Proxy {proxy.Uri}");
        Assert.Single(RunWithOk("Invoke-FhirRequest p Patient/pat-0001").Output);
        Assert.NotNull(Server.LastTokenRequest);
        Assert.True(proxy.TunnelsTo(ServerAuthority) >= 1);
        Assert.Equal(proxy.TotalTunnels, proxy.TunnelsTo(ServerAuthority));

        // Back to the default: no more tunnels.
        int tunnels = proxy.TotalTunnels;
        RunWithOk("Set-FhirConnection -Name p -SystemProxy; Clear-FhirTokenCache");
        Assert.Single(RunWithOk("Invoke-FhirRequest p Patient/pat-0001").Output);
        Assert.Equal(tunnels, proxy.TotalTunnels);
    }

    [Fact]
    public async Task Proxy_that_wants_credentials_refuses_without_them_and_works_with_them()
    {
        await using var proxy = new ConnectProxy("proxy-user", ProxyPassword);
        NewOAuthConnection("a");
        RunWithOk($"Set-FhirConnection -Name a -Proxy {proxy.Uri}");
        PsResult refused = RunWith("Invoke-FhirRequest a Patient/pat-0001 -Verbose -Debug");
        var error = AssertError(refused, "ProxyAuthenticationRequired", "Invoke-FhirRequest");
        // The token is fetched first, so the refusal is the token endpoint's tunnel: that one goes through the proxy too.
        Assert.Contains("token endpoint", error.Exception.Message, StringComparison.Ordinal);
        Assert.Contains(proxy.Uri.Authority, error.Exception.Message, StringComparison.Ordinal);
        Assert.Equal(0, proxy.TotalTunnels);
        Assert.Null(Server.LastTokenRequest);

        var runs = new List<PsResult> { refused };
        runs.Add(RunWithOk($"Set-FhirConnection -Name a -ProxyCredential {Credential("proxy-user", ProxyPassword)} -PassThru -Verbose"));
        runs.Add(RunWithOk("Invoke-FhirRequest a Patient/pat-0001 -Verbose -Debug"));
        Assert.Single(runs[^1].Output);
        Assert.True(proxy.CredentialsSeen);
        Assert.True(proxy.TunnelsTo(ServerAuthority) >= 1);

        runs.Add(RunWith($"Set-FhirConnection -Name a -ProxyCredential {Credential("proxy-user", "CanaryWrongPw-77")}; Invoke-FhirRequest a Patient/pat-0001 -Verbose"));
        Assert.Contains(runs[^1].ErrorIds, id => id.StartsWith("ProxyAuthenticationRequired,", StringComparison.Ordinal));
        runs.Add(RunWith("Get-FhirConnection a -Verbose -Debug"));
        dynamic view = Single(runs[^1], "FhirConnectionInfo");
        Assert.Equal("proxy-user", (string)view.ProxyUserName);
        Assert.Equal("Explicit", (string)view.ProxyMode);
        Assert.Equal(proxy.Uri, (Uri)view.Proxy);
        string formatted = Session.RunFormatted("Get-FhirConnection a; Get-FhirConnection a | ForEach-Object { $_.PSObject.Properties | ForEach-Object { \"$($_.Name)=$($_.Value)\" } }", Vars);
        Assert.Contains("ProxyUserName=proxy-user", formatted, StringComparison.Ordinal);
        foreach (string canary in new[] { ProxyPassword, "CanaryWrongPw-77" })
        {
            Assert.All(runs, r => Assert.DoesNotContain(canary, r.AllText()));
            Assert.DoesNotContain(canary, formatted);
        }
    }

    [Fact]
    public async Task NoProxy_goes_direct_while_the_default_proxy_points_at_a_proxy()
    {
        // HttpClient.DefaultProxy is what HTTPS_PROXY/HTTP_PROXY/NO_PROXY (or the Windows settings) become, read
        // once per process; tests in this assembly run one at a time, so it can be swapped here and put back.
        await using var proxy = new ConnectProxy();
        IWebProxy saved = HttpClient.DefaultProxy;
        HttpClient.DefaultProxy = new WebProxy(proxy.Uri) { BypassProxyOnLocal = false };
        try
        {
            ImportCa();
            RunWithOk("New-FhirConnection -Name sys -BaseUri $openBase -CaBundle testca; New-FhirConnection -Name direct -BaseUri $openBase -CaBundle testca -NoProxy");
            Assert.Single(RunWithOk("Invoke-FhirRequest sys Patient/pat-0001").Output);
            Assert.Equal(1, proxy.TunnelsTo(ServerAuthority));

            Assert.Single(RunWithOk("Invoke-FhirRequest direct Patient/pat-0001").Output);
            Assert.Equal(1, proxy.TotalTunnels);
            dynamic view = Single(RunWithOk("Get-FhirConnection direct"), "FhirConnectionInfo");
            Assert.Equal("None", (string)view.ProxyMode);
        }
        finally
        {
            HttpClient.DefaultProxy = saved;
        }
    }
}
