using System.Diagnostics;
using System.Reflection;
using System.Text;
using System.Text.Json;
using FhirSecurity.Tests.Harness;
using FhirSecurity.TestServer;
using Xunit;

namespace FhirSecurity.Tests.Isolation;

/// <summary>
/// The module's load-context promise, proven in a process of its own: tests/FhirSecurity.IsolationHost loads
/// Newtonsoft.Json 13.0.1 and Firely 5.12.1 stand-ins into the default context first, then imports the built module
/// and reads and searches over OAuth and a custom CA. A child process, because this test process already has the
/// module's own versions loaded, and a load context, once it has an assembly, cannot be made to forget it.
/// </summary>
public sealed class IsolationTests : IAsyncLifetime
{
    private const string ModuleContext = "FhirSecurity";
    private static readonly TimeSpan s_timeout = TimeSpan.FromMinutes(2);

    private FhirTestServer? _server;
    private DirectoryInfo? _temp;

    private FhirTestServer Server => _server ?? throw new InvalidOperationException("Not started.");

    [Fact]
    public async Task The_module_uses_its_own_dependencies_next_to_other_versions_of_them()
    {
        (int exitCode, JsonElement summary, string stderr) = await RunHostAsync();

        Assert.True(exitCode == 0, $"The host failed (exit code {exitCode}).\nstdout: {summary}\nstderr: {stderr}");
        Assert.True(summary.GetProperty("success").GetBoolean());
        Assert.Empty(summary.GetProperty("errors").EnumerateArray());

        // Each watched name is loaded exactly twice: the host's conflicting copy in the default context, the
        // module's own from its Dependencies folder in the module's context.
        List<Loaded> assemblies = Loaded.From(summary);
        string dependencies = Path.Combine(RepoPaths.Root, "out", "FhirSecurity", "Dependencies");
        foreach ((string name, string conflicting, string shipped) in Expected)
        {
            Loaded inDefault = Assert.Single(assemblies, a => a.Name == name && a.Context == "Default");
            Loaded inModule = Assert.Single(assemblies, a => a.Name == name && a.Context == ModuleContext);
            Assert.StartsWith(conflicting, inDefault.InformationalVersion);
            Assert.StartsWith(shipped, inModule.InformationalVersion);
            Assert.Equal(Path.Combine(dependencies, name + ".dll"), inModule.Location);
            Assert.NotEqual(Path.GetDirectoryName(inModule.Location), Path.GetDirectoryName(inDefault.Location));
            Assert.Equal(2, assemblies.Count(a => a.Name == name));
        }

        // Nothing but the shared framework crossed from the default context into the module's.
        Assert.Empty(summary.GetProperty("sharedFromDefault").EnumerateArray());

        JsonElement patient = summary.GetProperty("patient");
        Assert.Equal("Patient", patient.GetProperty("resourceType").GetString());
        Assert.Equal("pat-0001", patient.GetProperty("id").GetString());
        Assert.Equal("Smith", patient.GetProperty("family").GetString());
        Assert.Equal("1950-01-15", patient.GetProperty("birthDate").GetString());

        // The same Patient over the managed identity, its token from the module's own Azure.Core and MSAL.
        Assert.Equal("pat-0001", summary.GetProperty("identityPatient").GetProperty("id").GetString());
        Assert.Single(Server.ManagedIdentityRequests);

        // Ten of the 25 seeded patients are called Alice; at 5 a page, -All had to follow a next link.
        JsonElement search = summary.GetProperty("search");
        Assert.Equal(10, search.GetProperty("count").GetInt32());
        Assert.Equal(
            Enumerable.Range(1, 10).Select(i => $"pat-{i:D4}"),
            search.GetProperty("patients").EnumerateArray().Select(p => p.GetProperty("id").GetString()));
        Assert.True(Server.Counters.RequestCount("GET", "/oauth/fhir/Patient") >= 2, "The search should have fetched two pages.");

        // One token for the read and every page of the search.
        Assert.Equal(1, Server.Counters.TokenRequests);
        Assert.DoesNotContain(OAuthClientRegistration.Demo.ClientSecret, summary.ToString() + stderr);
        Assert.DoesNotContain(Server.IdentityHeader, summary.ToString() + stderr);
    }

    [Fact]
    public void The_conflicting_versions_really_differ_from_the_ones_the_module_ships()
    {
        // Negative control: were the host's versions the module's own, the test above would prove nothing.
        string dependencies = Path.Combine(RepoPaths.Root, "out", "FhirSecurity", "Dependencies");
        string hostDirectory = Path.GetDirectoryName(HostPath)!;
        foreach ((string name, string conflicting, string shipped) in Expected)
        {
            FileVersionInfo host = FileVersionInfo.GetVersionInfo(Path.Combine(hostDirectory, name + ".dll"));
            FileVersionInfo module = FileVersionInfo.GetVersionInfo(Path.Combine(dependencies, name + ".dll"));
            Assert.StartsWith(conflicting, host.ProductVersion);
            Assert.StartsWith(shipped, module.ProductVersion);
            Assert.NotEqual(host.ProductVersion, module.ProductVersion);
        }
    }

    /// <inheritdoc />
    public async Task InitializeAsync()
    {
        _server = await FhirTestServer.StartAsync(new FhirTestServerOptions { OAuthClients = [OAuthClientRegistration.Demo] });
        _temp = Directory.CreateTempSubdirectory("FhirSecurity.IsolationTests-");
    }

    /// <inheritdoc />
    public async Task DisposeAsync()
    {
        if (_server is not null)
        {
            await _server.DisposeAsync();
        }

        _temp?.Delete(recursive: true);
    }

    /// <summary>Name, the version the host loads into the default context, the version the module ships.</summary>
    private static readonly (string Name, string Conflicting, string Shipped)[] Expected =
    [
        ("Newtonsoft.Json", "13.0.1+", "13.0.4+"),
        ("Hl7.Fhir.Base", "5.12.1", "6.8.0+"),
        ("Hl7.Fhir.R4", "5.12.1", "6.8.0+"),
        // Azure.Identity 1.21.0's managed identity types live in Azure.Core 1.53.0 (Azure.Identity forwards them), so
        // the module's managed identity request loads its own Azure.Core and MSAL, and no Azure.Identity at all: the
        // host's 1.17.2 stays the default context's only one (sharedFromDefault below proves none crossed).
        ("Azure.Core", "1.50.0+", "1.53.0+"),
    ];

    /// <summary>tests/FhirSecurity.IsolationHost's build output, in the configuration this test assembly was built in.</summary>
    private static string HostPath
    {
        get
        {
            string configuration = typeof(IsolationTests).Assembly.GetCustomAttribute<AssemblyConfigurationAttribute>()?.Configuration ?? "Debug";
            string path = Path.Combine(
                RepoPaths.Root, "tests", "FhirSecurity.IsolationHost", "bin", configuration, "net10.0", "FhirSecurity.IsolationHost.dll");
            return File.Exists(path) ? path : throw new FileNotFoundException("The isolation host is not built: dotnet build FhirSecurity.sln", path);
        }
    }

    private async Task<(int ExitCode, JsonElement Summary, string Stderr)> RunHostAsync()
    {
        // The secret goes in a file, not on the command line, where other users of the machine could read it.
        string config = Path.Combine(_temp!.FullName, "host.json");
        string caFile = Path.Combine(_temp.FullName, "ca.pem");
        await File.WriteAllTextAsync(caFile, Server.Pki.BundlePem);
        await File.WriteAllTextAsync(config, JsonSerializer.Serialize(new
        {
            baseUrl = Server.OAuthBase.AbsoluteUri,
            tokenUrl = Server.TokenEndpoint.AbsoluteUri,
            caFile,
            clientId = OAuthClientRegistration.Demo.ClientId,
            clientSecret = OAuthClientRegistration.Demo.ClientSecret,
            identityEndpoint = Server.ManagedIdentityEndpoint.AbsoluteUri,
            identityHeader = Server.IdentityHeader,
        }));

        var start = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            StandardOutputEncoding = Encoding.UTF8,
            UseShellExecute = false,
        };
        start.ArgumentList.Add(HostPath);
        start.ArgumentList.Add("--config");
        start.ArgumentList.Add(config);
        start.ArgumentList.Add("--module");
        start.ArgumentList.Add(RepoPaths.ModuleManifest);

        using Process process = Process.Start(start) ?? throw new InvalidOperationException("dotnet did not start.");
        Task<string> stdout = process.StandardOutput.ReadToEndAsync();
        Task<string> stderr = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(s_timeout);
        try
        {
            await process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            Assert.Fail($"The isolation host did not finish within {s_timeout}. stderr: {await stderr}");
        }

        string output = await stdout;
        JsonElement summary;
        try
        {
            summary = JsonDocument.Parse(output).RootElement.Clone();
        }
        catch (JsonException ex)
        {
            throw new InvalidOperationException($"The host printed no JSON summary (exit code {process.ExitCode}): {output}\nstderr: {await stderr}", ex);
        }

        return (process.ExitCode, summary, await stderr);
    }

    private sealed record Loaded(string Name, string Context, string InformationalVersion, string Location)
    {
        public static List<Loaded> From(JsonElement summary) =>
        [
            .. summary.GetProperty("assemblies").EnumerateArray().Select(a => new Loaded(
                a.GetProperty("Name").GetString()!,
                a.GetProperty("Context").GetString()!,
                a.GetProperty("InformationalVersion").GetString()!,
                a.GetProperty("Location").GetString()!)),
        ];
    }
}
