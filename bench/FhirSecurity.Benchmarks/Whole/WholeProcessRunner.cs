using System.Diagnostics;
using System.Globalization;
using System.Management.Automation;
using System.Management.Automation.Runspaces;
using System.Text.Json;
using FhirSecurity.TestServer;
using Microsoft.PowerShell.SecretManagement;

namespace FhirSecurity.Benchmarks.Whole;

/// <summary>
/// Scenarios 1 to 3 interleaved (see <see cref="InterleavedCalls"/>), and 4 to 6, which a per-call benchmark cannot show: tokens and vault reads over 1,000 requests from 8
/// runspaces, memory while paging 1,000 vs 10,000 resources (each in a fresh child process), and Import-Module and
/// first-call latency in fresh processes. Prints markdown tables.
/// </summary>
internal static class WholeProcessRunner
{
    private const int Runspaces = 8;
    private const int Requests = 1000;
    private const int ColdRuns = 5;
    private static readonly CultureInfo s_inv = CultureInfo.InvariantCulture;

    public static async Task<int> RunAsync(string[] args)
    {
        Console.WriteLine($"# FhirSecurity whole-process benchmarks ({DateTime.UtcNow:yyyy-MM-dd HH:mm} UTC, {Environment.ProcessorCount} cores, .NET {Environment.Version})");
        DirectoryInfo temp = Directory.CreateTempSubdirectory("FhirSecurity.Bench-");
        try
        {
            BenchEnvironment.UseTestVault();
            await using FhirTestServer server = await FhirTestServer.StartAsync(new FhirTestServerOptions { TokenLifetime = TimeSpan.FromSeconds(60) });
            using Runspace setup = BenchEnvironment.OpenModuleRunspace();
            BenchEnvironment.CreateDefinitions(setup, server.OAuthBase, server.TokenEndpoint, server.Pki.BundlePem);

            // "whole calls|tokens|cold|paging" runs those parts; "whole" all four.
            bool All(string part) => args.Length == 0 || args.Contains(part, StringComparer.OrdinalIgnoreCase);
            if (All("tokens"))
            {
                TokenEconomy(server, setup, TimeSpan.FromSeconds(60));
                TokenEconomy(server, setup, TimeSpan.FromSeconds(2));
            }

            if (All("cold"))
            {
                await ColdStartAsync(server, temp);
            }

            if (All("paging"))
            {
                await PagingAsync(temp);
            }

            // Last: it starts its own server and points connection 'c' of the shared vault at it.
            if (All("calls"))
            {
                await InterleavedCalls.RunAsync();
            }
            return 0;
        }
        finally
        {
            temp.Delete(recursive: true);
            SecretManagementModule.DeleteFolder();
        }
    }

    /// <summary>
    /// Scenario 4: 1,000 GETs from 8 runspaces of one RunspacePool (what ForEach-Object -Parallel uses), cold token
    /// cache. First one request per runspace (each resolves its connection: the cold vault reads), then the other 992
    /// (the warm path, where the vault must not be read at all).
    /// </summary>
    private static void TokenEconomy(FhirTestServer server, Runspace setup, TimeSpan lifetime)
    {
        server.TokenLifetime = lifetime;
        BenchEnvironment.Invoke(setup, "Clear-FhirTokenCache");
        InitialSessionState state = InitialSessionState.CreateDefault2();
        state.ImportPSModule([BenchEnvironment.ModuleManifest]);
        using RunspacePool pool = RunspaceFactory.CreateRunspacePool(state);
        pool.SetMaxRunspaces(Runspaces);
        pool.SetMinRunspaces(Runspaces);
        pool.Open();
        server.Counters.Reset();
        TestVaults.ResetCalls();

        var watch = Stopwatch.StartNew();
        // The 8 scripts wait for each other before they end, so they run on 8 different runspaces: each runspace's
        // first request (and so its connection resolve) is in this phase.
        using var together = new Barrier(Runspaces);
        string[] cold = RunOnPool(pool, "param($count, $together) $null = Invoke-FhirRequest c Patient/pat-0001 -ErrorAction Stop; $null = $together.SignalAndWait(60000); [runspace]::DefaultRunspace.InstanceId.ToString()", 1, together);
        TimeSpan coldElapsed = watch.Elapsed;
        int coldVaultCalls = TestVaults.Calls(BenchEnvironment.Vault).Total;
        TestVaults.ResetCalls();
        var warmWatch = Stopwatch.StartNew();
        const int PerRunspace = (Requests - Runspaces) / Runspaces;
        string[] warm = RunOnPool(pool, "param($count) foreach ($i in 1..$count) { $null = Invoke-FhirRequest c Patient/pat-0001 -ErrorAction Stop }; [runspace]::DefaultRunspace.InstanceId.ToString()", PerRunspace);
        warmWatch.Stop();
        watch.Stop();
        VaultCallCounts warmVault = TestVaults.Calls(BenchEnvironment.Vault);

        long fhirRequests = server.Counters.RequestCount("GET", "/oauth/fhir/Patient/pat-0001");
        long tokens = server.Counters.TokenRequests;
        double lifetimes = watch.Elapsed / lifetime;
        long allowed = Math.Max(1, (long)Math.Ceiling(watch.Elapsed / (0.8 * lifetime)));
        Console.WriteLine();
        Console.WriteLine($"## Token economy: {Requests} requests, {Runspaces} runspaces, {lifetime.TotalSeconds:0} s token");
        Console.WriteLine("| figure | value |");
        Console.WriteLine("|---|---|");
        Console.WriteLine($"| distinct runspaces (cold / warm phase) | {cold.Distinct().Count()} / {warm.Distinct().Count()} |");
        Console.WriteLine($"| FHIR requests the server saw | {fhirRequests} |");
        Console.WriteLine($"| elapsed | {watch.Elapsed.TotalSeconds:0.00} s ({lifetimes:0.00} token lifetimes; cold phase {coldElapsed.TotalSeconds:0.00} s) |");
        Console.WriteLine($"| warm throughput | {Requests - Runspaces} requests in {warmWatch.Elapsed.TotalSeconds:0.00} s = {(Requests - Runspaces) / warmWatch.Elapsed.TotalSeconds:0} requests/s |");
        Console.WriteLine($"| token requests the server saw | **{tokens}** (target: 1 per lifetime elapsed; refresh at 80 % allows {allowed}; a token per call would be {fhirRequests}) |");
        Console.WriteLine($"| vault calls, cold phase ({Runspaces} first requests) | {coldVaultCalls} |");
        Console.WriteLine($"| vault calls, warm phase ({Requests - Runspaces} requests) | **{warmVault.Total}** (Get-Secret {warmVault.GetSecret}, Get-SecretInfo {warmVault.GetSecretInfo}; target 0) |");
        Console.WriteLine($"| verdict | tokens {(tokens <= allowed && tokens >= 1 ? "MET" : "MISSED")}, vault {(warmVault.Total == 0 ? "MET" : "MISSED")} |");
    }

    private static string[] RunOnPool(RunspacePool pool, string script, int count, object? extra = null)
    {
        var running = Enumerable.Range(0, Runspaces).Select(_ =>
        {
            PowerShell ps = PowerShell.Create();
            ps.RunspacePool = pool;
            ps.AddScript(script).AddArgument(count).AddArgument(extra);
            return (ps, handle: ps.BeginInvoke());
        }).ToArray();
        var ids = new List<string>();
        foreach ((PowerShell ps, IAsyncResult handle) in running)
        {
            ids.AddRange(ps.EndInvoke(handle).Select(o => o.ToString()));
            if (ps.HadErrors)
            {
                throw new InvalidOperationException("A runspace failed: " + ps.Streams.Error[0]);
            }

            ps.Dispose();
        }

        return [.. ids];
    }

    /// <summary>Scenario 6: Import-Module and the first call in fresh processes, against a raw HttpClient's first call.</summary>
    private static async Task ColdStartAsync(FhirTestServer server, DirectoryInfo temp)
    {
        string vaultFile = Path.Combine(temp.FullName, "vault.json");
        List<VaultSecret> secrets = TestVaults.Snapshot(BenchEnvironment.Vault)
            .Select(p => new VaultSecret(p.Key, p.Value.Type.ToString(), p.Value.Value, p.Value.Metadata.ToDictionary(m => m.Key, m => Convert.ToString(m.Value, s_inv) ?? string.Empty)))
            .ToList();
        await File.WriteAllTextAsync(vaultFile, JsonSerializer.Serialize(secrets));
        string pemFile = Path.Combine(temp.FullName, "ca.pem");
        await File.WriteAllTextAsync(pemFile, server.Pki.BundlePem);

        var module = new List<Dictionary<string, double>>();
        var raw = new List<Dictionary<string, double>>();
        for (int i = 0; i < ColdRuns; i++)
        {
            raw.Add(await ChildProcess.RunAsync(ChildModes.ColdRaw, server.OAuthBase.AbsoluteUri, server.TokenEndpoint.AbsoluteUri, pemFile));
            module.Add(await ChildProcess.RunAsync(ChildModes.ColdModule, vaultFile));
        }

        double rawFirst = Median(raw, "firstCallMs");
        Console.WriteLine();
        Console.WriteLine($"## Cold start: fresh process, median of {ColdRuns} (min - max)");
        Console.WriteLine("| step | module | raw HttpClient (baseline) | ratio |");
        Console.WriteLine("|---|---|---|---|");
        Console.WriteLine($"| process start to Main | {Cell(module, "processStartToMainMs")} | | |");
        Console.WriteLine($"| open runspace (CreateDefault2) | {Cell(module, "runspaceOpenMs")} | | |");
        Console.WriteLine($"| Import-Module FhirSecurity | {Cell(module, "importModuleMs")} | | |");
        Console.WriteLine($"| first call (vault read, JIT, TLS handshake, token POST, GET) | {Cell(module, "firstCallMs")} | {Cell(raw, "firstCallMs")} | {Median(module, "firstCallMs") / rawFirst:0.0}x |");
        Console.WriteLine($"| second call (warm) | {Cell(module, "secondCallMs")} | {Cell(raw, "secondCallMs")} | {Median(module, "secondCallMs") / Median(raw, "secondCallMs"):0.0}x |");
    }

    /// <summary>Scenario 5: -All over 1,000 and 10,000 patients in pages of 100, each run in a fresh child process.</summary>
    private static async Task PagingAsync(DirectoryInfo temp)
    {
        Console.WriteLine();
        Console.WriteLine("## Paging: Invoke-FhirRequest c Patient -Query @{ _count = 100 } -All, fresh process per row");
        Console.WriteLine("| resources | consumed as | resources/s | peak managed heap growth | peak working set growth | peak working set | allocated per resource | gen2 GCs |");
        Console.WriteLine("|---|---|---|---|---|---|---|---|");
        var growth = new Dictionary<(int, string), double>();
        foreach (int count in new[] { 1000, 10000 })
        {
            await using FhirTestServer server = await FhirTestServer.StartAsync(new FhirTestServerOptions { SeedPatientCount = count, MaxPageSize = 100, TokenLifetime = TimeSpan.FromMinutes(30) });
            string pemFile = Path.Combine(temp.FullName, $"ca-{count}.pem");
            await File.WriteAllTextAsync(pemFile, server.Pki.BundlePem);
            foreach (string how in new[] { "streamed", "collected" })
            {
                Dictionary<string, double> r = await ChildProcess.RunAsync(ChildModes.Paging, server.OAuthBase.AbsoluteUri, server.TokenEndpoint.AbsoluteUri, pemFile, how, count.ToString(s_inv));
                growth[(count, how)] = r["peakManagedGrowthMiB"];
                string consumed = how == "streamed" ? "`-All \\| ForEach-Object { $n++ }`" : "`$all = ... -All` (control)";
                Console.WriteLine($"| {count:N0} | {consumed} | {r["resourcesPerSecond"]:N0} | {r["peakManagedGrowthMiB"]:0.0} MiB | {r["peakWorkingSetGrowthMiB"]:0.0} MiB | {r["peakWorkingSetMiB"]:0} MiB | {r["allocatedPerResourceKiB"]:0.0} KiB | {r["gen2Collections"]:0} |");
            }
        }

        double ratio = growth[(10000, "streamed")] / growth[(1000, "streamed")];
        double control = growth[(10000, "collected")] / growth[(1000, "collected")];
        Console.WriteLine();
        Console.WriteLine($"Peak managed growth 10,000 vs 1,000: streamed {ratio:0.00}x (target: flat), collected {control:0.00}x (the control: a collected result grows with the count).");
    }

    private static double Median(List<Dictionary<string, double>> runs, string key)
    {
        double[] values = [.. runs.Select(r => r[key]).Order()];
        return values.Length % 2 == 1 ? values[values.Length / 2] : (values[(values.Length / 2) - 1] + values[values.Length / 2]) / 2;
    }

    private static string Cell(List<Dictionary<string, double>> runs, string key)
        => string.Create(s_inv, $"{Median(runs, key):0} ms ({runs.Min(r => r[key]):0} - {runs.Max(r => r[key]):0})");
}
