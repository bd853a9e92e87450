using System.Collections;
using System.Diagnostics;
using System.Management.Automation;
using System.Management.Automation.Runspaces;
using System.Net;
using System.Text.Json;
using Microsoft.PowerShell.SecretManagement;

namespace FhirSecurity.Benchmarks.Whole;

/// <summary>
/// What the whole-process runner starts in fresh processes: figures that a warm process would hide (import time,
/// the first call) or blur (peak memory).
/// </summary>
internal static class ChildModes
{
    public const string Paging = "child-paging";
    public const string ColdModule = "child-cold-module";
    public const string ColdRaw = "child-cold-raw";
    public const string ProfileCalls = "profile-calls";

    public static async Task<int> RunAsync(string mode, string[] args)
    {
        switch (mode)
        {
            case Paging:
                ChildProcess.Report(RunPaging(new Uri(args[0]), new Uri(args[1]), File.ReadAllText(args[2]), collect: args[3] == "collected", int.Parse(args[4], System.Globalization.CultureInfo.InvariantCulture)));
                return 0;
            case ColdModule:
                ChildProcess.Report(RunColdModule(args[0]));
                return 0;
            case ColdRaw:
                ChildProcess.Report(await RunColdRawAsync(new Uri(args[0]), new Uri(args[1]), File.ReadAllText(args[2])));
                return 0;
            case ProfileCalls:
                return ProfileWarmCalls(int.Parse(args.Length > 0 ? args[0] : "20", System.Globalization.CultureInfo.InvariantCulture), loop: args.Length > 1 && args[1] == "loop");
            default:
                Console.Error.WriteLine($"Unknown mode '{mode}'. Use: micro [BenchmarkDotNet options] | whole");
                return 2;
        }
    }

    /// <summary>
    /// Not a benchmark: scenario 2 (warm Invoke-FhirRequest) in a loop for <paramref name="seconds"/>, to be traced
    /// (docs/performance.md: <c>dotnet-trace collect --profile cpu-sampling -- ... profile-calls 30</c>). Setup warms
    /// every path first, so the trace's later part is the steady state. With <paramref name="loop"/>, the calls run
    /// as a runbook makes them (row 2L: many calls in one script pipeline), so the trace shows the cmdlet, not the host.
    /// </summary>
    private static int ProfileWarmCalls(int seconds, bool loop)
    {
        var bench = new CallCostBenchmarks();
        bench.Setup();
        try
        {
            Console.WriteLine($"profile-calls: warm; looping Invoke-FhirRequest for {seconds} s");
            var watch = Stopwatch.StartNew();
            int calls = 0;
            while (watch.Elapsed.TotalSeconds < seconds)
            {
                calls += loop ? bench.InvokeFhirRequestLoop() * CallCostBenchmarks.LoopCalls : bench.InvokeFhirRequest();
            }

            Console.WriteLine($"profile-calls: {calls} calls, {watch.Elapsed.TotalMicroseconds / calls:0} us per call");
            return 0;
        }
        finally
        {
            bench.Cleanup();
        }
    }

    /// <summary>
    /// Scenario 5: Invoke-FhirRequest -All over every patient of the server in pages of 100, piped to a counter (or,
    /// as a control that shows the measurement sees growth, collected into a variable). Samples managed heap and
    /// working set every 2 ms while it runs.
    /// </summary>
    private static Dictionary<string, double> RunPaging(Uri oauthBase, Uri tokenUrl, string pem, bool collect, int expected)
    {
        BenchEnvironment.UseTestVault();
        using Runspace runspace = BenchEnvironment.OpenModuleRunspace();
        BenchEnvironment.CreateDefinitions(runspace, oauthBase, tokenUrl, pem);
        // Warm: JIT, connection resolved, TLS connection and token in place; then one small -All, so the measured run
        // compares paging and nothing else.
        BenchEnvironment.Invoke(runspace, "$null = Invoke-FhirRequest c Patient -Query @{ _count = 100; name = 'zz-none' } -All; $null = Invoke-FhirRequest c Patient/pat-0001");

        GC.Collect();
        GC.WaitForPendingFinalizers();
        GC.Collect();
        long managedBefore = GC.GetTotalMemory(forceFullCollection: true);
        long workingSetBefore = Environment.WorkingSet;
        long allocatedBefore = GC.GetTotalAllocatedBytes(precise: true);
        int gen2Before = GC.CollectionCount(2);

        long peakManaged = managedBefore;
        long peakWorkingSet = workingSetBefore;
        using var stop = new CancellationTokenSource();
        var sampler = new Thread(() =>
        {
            while (!stop.IsCancellationRequested)
            {
                peakManaged = Math.Max(peakManaged, GC.GetTotalMemory(forceFullCollection: false));
                peakWorkingSet = Math.Max(peakWorkingSet, Environment.WorkingSet);
                Thread.Sleep(2);
            }
        }) { IsBackground = true, Priority = ThreadPriority.AboveNormal };
        sampler.Start();

        string script = collect
            ? "$all = Invoke-FhirRequest c Patient -Query @{ _count = 100 } -All; $all.Count"
            : "$n = 0; Invoke-FhirRequest c Patient -Query @{ _count = 100 } -All | ForEach-Object { $n++ }; $n";
        var watch = Stopwatch.StartNew();
        var output = BenchEnvironment.Invoke(runspace, script);
        int count = output.Count == 1 && output[0].BaseObject is int n ? n : -1;
        watch.Stop();
        stop.Cancel();
        sampler.Join();
        if (count != expected)
        {
            throw new InvalidOperationException($"-All returned {count} resources, expected {expected}: {string.Join(", ", output)}.");
        }

        const double MiB = 1024 * 1024;
        return new Dictionary<string, double>
        {
            ["count"] = count,
            ["seconds"] = watch.Elapsed.TotalSeconds,
            ["resourcesPerSecond"] = count / watch.Elapsed.TotalSeconds,
            ["managedBeforeMiB"] = managedBefore / MiB,
            ["peakManagedMiB"] = peakManaged / MiB,
            ["peakManagedGrowthMiB"] = (peakManaged - managedBefore) / MiB,
            ["workingSetBeforeMiB"] = workingSetBefore / MiB,
            ["peakWorkingSetMiB"] = peakWorkingSet / MiB,
            ["peakWorkingSetGrowthMiB"] = (peakWorkingSet - workingSetBefore) / MiB,
            ["allocatedPerResourceKiB"] = (GC.GetTotalAllocatedBytes(precise: true) - allocatedBefore) / 1024.0 / count,
            ["gen2Collections"] = GC.CollectionCount(2) - gen2Before,
        };
    }

    /// <summary>
    /// Scenario 6: a fresh process whose vault already holds the definitions (written as another process left them):
    /// open a runspace, Import-Module, the first Invoke-FhirRequest (vault read, JIT, TLS handshake, token request),
    /// and the second (everything warm).
    /// </summary>
    private static Dictionary<string, double> RunColdModule(string vaultFile)
    {
        double sinceProcessStart = (DateTime.Now - Process.GetCurrentProcess().StartTime).TotalMilliseconds;
        BenchEnvironment.UseTestVault();
        foreach (VaultSecret secret in JsonSerializer.Deserialize<List<VaultSecret>>(File.ReadAllText(vaultFile))!)
        {
            object value = secret.Type == nameof(SecretType.SecureString) ? new NetworkCredential(string.Empty, secret.Value).SecurePassword : secret.Value;
            TestVaults.WriteRaw(BenchEnvironment.Vault, secret.Name, value, new Hashtable(secret.Metadata));
        }

        var watch = Stopwatch.StartNew();
        Runspace runspace = RunspaceFactory.CreateRunspace(InitialSessionState.CreateDefault2());
        runspace.Open();
        double open = Lap(watch);
        BenchEnvironment.Invoke(runspace, "Import-Module -Name $manifest -ErrorAction Stop", new() { ["manifest"] = BenchEnvironment.ModuleManifest });
        double import = Lap(watch);
        BenchEnvironment.Invoke(runspace, "$null = Invoke-FhirRequest c Patient/pat-0001");
        double first = Lap(watch);
        BenchEnvironment.Invoke(runspace, "$null = Invoke-FhirRequest c Patient/pat-0001");
        double second = Lap(watch);
        runspace.Dispose();
        return new Dictionary<string, double>
        {
            ["processStartToMainMs"] = sinceProcessStart,
            ["runspaceOpenMs"] = open,
            ["importModuleMs"] = import,
            ["firstCallMs"] = first,
            ["secondCallMs"] = second,
        };
    }

    /// <summary>Scenario 6's baseline: a fresh process's first raw call (new handler, TLS handshake, token POST, GET, all JIT-cold), then a second.</summary>
    private static async Task<Dictionary<string, double>> RunColdRawAsync(Uri oauthBase, Uri tokenUrl, string pem)
    {
        var patient = new Uri(oauthBase, "Patient/pat-0001");
        var watch = Stopwatch.StartNew();
        using var http = new HttpClient(BenchEnvironment.NewTrustingHandler(pem));
        string token = await BenchEnvironment.FetchTokenAsync(http, tokenUrl);
        _ = await BenchEnvironment.GetAsync(http, patient, token);
        double first = Lap(watch);
        _ = await BenchEnvironment.GetAsync(http, patient, token);
        double second = Lap(watch);
        return new Dictionary<string, double> { ["firstCallMs"] = first, ["secondCallMs"] = second };
    }

    private static double Lap(Stopwatch watch)
    {
        double ms = watch.Elapsed.TotalMilliseconds;
        watch.Restart();
        return ms;
    }
}

/// <summary>One secret as the parent's vault holds it, for a child to find in its own vault.</summary>
internal sealed record VaultSecret(string Name, string Type, string Value, Dictionary<string, string> Metadata);
