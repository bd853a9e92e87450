using System.Net.Http.Headers;
using System.Net.Security;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using System.Text.Json.Nodes;
using FhirSecurity.TestServer;

namespace FhirSecurity.Core.Tests.TestServer;

/// <summary>Plain HttpClients for talking to the test server, trusting only what a test says.</summary>
internal static class TestHttp
{
    /// <summary>A client that trusts <paramref name="pki"/>'s root and nothing else (not the system store).</summary>
    public static HttpClient TrustingOnly(TestPki pki, X509Certificate2Collection? extraStore = null, X509Certificate2? clientCertificate = null)
    {
        var policy = new X509ChainPolicy
        {
            TrustMode = X509ChainTrustMode.CustomRootTrust,
            RevocationMode = X509RevocationMode.NoCheck,
        };
        policy.CustomTrustStore.Add(pki.Root);
        if (extraStore is not null)
        {
            policy.ExtraStore.AddRange(extraStore);
        }

        var ssl = new SslClientAuthenticationOptions { CertificateChainPolicy = policy };
        if (clientCertificate is not null)
        {
            ssl.ClientCertificates = [clientCertificate];
        }

        return new HttpClient(new SocketsHttpHandler { SslOptions = ssl, PooledConnectionLifetime = TimeSpan.FromMinutes(1) }) { Timeout = TimeSpan.FromSeconds(10) };
    }

    /// <summary>A client with the system's default trust.</summary>
    public static HttpClient DefaultTrust() => new(new SocketsHttpHandler()) { Timeout = TimeSpan.FromSeconds(10) };

    public static AuthenticationHeaderValue Basic(string user, string password) =>
        new("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes($"{user}:{password}")));

    public static StringContent FhirJson(string json) => new(json, Encoding.UTF8, "application/fhir+json");

    public static async Task<JsonObject> ReadJsonAsync(HttpResponseMessage response) =>
        JsonNode.Parse(await response.Content.ReadAsStringAsync())!.AsObject();

    public static async Task<HttpResponseMessage> SendAsync(HttpClient client, HttpMethod method, Uri uri, AuthenticationHeaderValue? authorization = null, HttpContent? content = null)
    {
        using var request = new HttpRequestMessage(method, uri) { Content = content };
        request.Headers.Authorization = authorization;
        return await client.SendAsync(request);
    }

    /// <summary>Gets a token with client_secret_post and returns the parsed response.</summary>
    public static async Task<(HttpResponseMessage Response, JsonObject Body)> RequestTokenAsync(
        HttpClient client, FhirTestServer server, IEnumerable<KeyValuePair<string, string>> form, AuthenticationHeaderValue? authorization = null)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, server.TokenEndpoint) { Content = new FormUrlEncodedContent(form) };
        request.Headers.Authorization = authorization;
        var response = await client.SendAsync(request);
        return (response, await ReadJsonAsync(response));
    }
}
