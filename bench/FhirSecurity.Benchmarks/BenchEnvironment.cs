using System.Collections.ObjectModel;
using System.Management.Automation;
using System.Management.Automation.Runspaces;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Security;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using System.Text.Json;
using FhirSecurity.TestServer;
using Microsoft.PowerShell.SecretManagement;

namespace FhirSecurity.Benchmarks;

/// <summary>What every benchmark shares: where the built module is, the in-memory vault, hosted runspaces, and raw clients.</summary>
internal static class BenchEnvironment
{
    /// <summary>The vault the benchmarks keep their definitions in (the SecretManagement double, in memory).</summary>
    public const string Vault = "BenchVault";

    /// <summary>The scope every benchmark asks for.</summary>
    public const string Scope = "system/Patient.read";

    /// <summary>The client the test server knows by default.</summary>
    public static OAuthClientRegistration Client => OAuthClientRegistration.Demo;

    /// <summary>out/FhirSecurity/FhirSecurity.psd1 of this clone.</summary>
    public static string ModuleManifest { get; } = FindManifest();

    /// <summary>
    /// Registers the in-memory vault as the default one and puts the SecretManagement double on PSModulePath, so
    /// runspaces opened afterwards find it. The user's own vaults are never loaded.
    /// </summary>
    public static void UseTestVault()
    {
        if (TestVaults.DefaultVault != Vault)
        {
            TestVaults.Register(Vault, isDefault: true, supportsMetadata: true);
        }

        // In front of the engine's default module folders, where a real SecretManagement may be installed.
        SecretManagementModule.PutFirstOnModulePath();
        Environment.SetEnvironmentVariable("FHIRSECURITY_VAULT", null);
    }

    /// <summary>Opens a runspace with the core cmdlets and the built module imported.</summary>
    public static Runspace OpenModuleRunspace()
    {
        Runspace runspace = RunspaceFactory.CreateRunspace(InitialSessionState.CreateDefault2());
        runspace.Open();
        Invoke(runspace, "Import-Module -Name $manifest -ErrorAction Stop", new() { ["manifest"] = ModuleManifest });
        return runspace;
    }

    /// <summary>
    /// Creates CA bundle 'ca', OAuth client 'c-oauth' and connection 'c' (CustomBundle TLS, client_secret_basic) for
    /// <paramref name="server"/>, as a user would with the cmdlets.
    /// </summary>
    public static void CreateDefinitions(Runspace runspace, Uri oauthBase, Uri tokenUrl, string pem)
        => Invoke(runspace, """
            Import-FhirCaBundle -Name ca -Pem $pem -Force
            New-FhirOAuth -Name c-oauth -TokenUrl $tokenUrl -ClientId $clientId -ClientSecret $secret -Scope $scope -Force
            New-FhirConnection -Name c -BaseUri $base -OAuth c-oauth -CaBundle ca -Force
            """,
            new()
            {
                ["pem"] = pem,
                ["tokenUrl"] = tokenUrl.AbsoluteUri,
                ["clientId"] = Client.ClientId,
                ["secret"] = new NetworkCredential(string.Empty, Client.ClientSecret).SecurePassword,
                ["scope"] = Scope,
                ["base"] = oauthBase.AbsoluteUri,
            });

    /// <summary>Runs a script; any error (terminating or not) throws, so a benchmark never times a failure.</summary>
    public static Collection<PSObject> Invoke(Runspace runspace, string script, Dictionary<string, object>? variables = null)
    {
        foreach ((string name, object value) in variables ?? [])
        {
            runspace.SessionStateProxy.SetVariable(name, value);
        }

        using PowerShell ps = PowerShell.Create();
        ps.Runspace = runspace;
        ps.AddScript(script);
        Collection<PSObject> output = ps.Invoke();
        if (ps.HadErrors)
        {
            throw new InvalidOperationException("Script failed: " + string.Join(" | ", ps.Streams.Error.Select(e => $"{e.FullyQualifiedErrorId}: {e}")));
        }

        return output;
    }

    /// <summary>
    /// A new handler that trusts only the roots of <paramref name="bundlePem"/> (its intermediates help build the
    /// chain) and checks the host name, TLS 1.2/1.3: what a careful script passes to Invoke-RestMethod, and what
    /// the floor client does once.
    /// </summary>
    public static SocketsHttpHandler NewTrustingHandler(string bundlePem)
    {
        var bundle = new X509Certificate2Collection();
        bundle.ImportFromPem(bundlePem);
        var handler = new SocketsHttpHandler { AllowAutoRedirect = false, UseCookies = false };
        handler.SslOptions.EnabledSslProtocols = System.Security.Authentication.SslProtocols.Tls12 | System.Security.Authentication.SslProtocols.Tls13;
        handler.SslOptions.RemoteCertificateValidationCallback = (_, certificate, _, errors) =>
        {
            if (certificate is null || (errors & SslPolicyErrors.RemoteCertificateNameMismatch) != 0)
            {
                return false;
            }

            using var chain = new X509Chain();
            chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
            foreach (X509Certificate2 ca in bundle)
            {
                _ = ca.SubjectName.RawData.AsSpan().SequenceEqual(ca.IssuerName.RawData) ? chain.ChainPolicy.CustomTrustStore.Add(ca) : chain.ChainPolicy.ExtraStore.Add(ca);
            }

            chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
            using var leaf = new X509Certificate2(certificate);
            return chain.Build(leaf);
        };
        return handler;
    }

    /// <summary>A client-credentials token request (client_secret_basic), as a script's Invoke-RestMethod -Method Post does.</summary>
    public static async Task<string> FetchTokenAsync(HttpClient http, Uri tokenUrl)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, tokenUrl)
        {
            Content = new FormUrlEncodedContent([new("grant_type", "client_credentials"), new("scope", Scope)]),
        };
        string pair = Uri.EscapeDataString(Client.ClientId) + ":" + Uri.EscapeDataString(Client.ClientSecret);
        request.Headers.Authorization = new AuthenticationHeaderValue("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes(pair)));
        using HttpResponseMessage response = await http.SendAsync(request).ConfigureAwait(false);
        response.EnsureSuccessStatusCode();
        using JsonDocument json = JsonDocument.Parse(await response.Content.ReadAsStringAsync().ConfigureAwait(false));
        return json.RootElement.GetProperty("access_token").GetString()!;
    }

    /// <summary>GET <paramref name="uri"/> with a bearer token; returns the body.</summary>
    public static async Task<string> GetAsync(HttpClient http, Uri uri, string token)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, uri);
        request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("application/fhir+json"));
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        using HttpResponseMessage response = await http.SendAsync(request).ConfigureAwait(false);
        string body = await response.Content.ReadAsStringAsync().ConfigureAwait(false);
        response.EnsureSuccessStatusCode();
        return body;
    }

    private static string FindManifest()
    {
        for (DirectoryInfo? dir = new(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "FhirSecurity.sln")))
            {
                string manifest = Path.Combine(dir.FullName, "out", "FhirSecurity", "FhirSecurity.psd1");
                return File.Exists(manifest)
                    ? manifest
                    : throw new InvalidOperationException($"The module is not built ({manifest} is missing). Run: dotnet build -c Release FhirSecurity.sln");
            }
        }

        throw new InvalidOperationException($"No FhirSecurity.sln above {AppContext.BaseDirectory}: run the benchmarks from a clone of the repository.");
    }
}
