using System.Management.Automation;
using System.Management.Automation.Runspaces;
using BenchmarkDotNet.Attributes;
using FhirSecurity.TestServer;

namespace FhirSecurity.Benchmarks;

/// <summary>
/// What one GET Patient/pat-0001 costs, against the loopback HTTPS test server (private CA, OAuth on), each row
/// against the floor measured in the same run (the Ratio column):
/// (1) the floor, one pooled HttpClient with a fixed bearer token; (2) the module: the engine alone, the engine with
/// Firely parsing, and Invoke-FhirRequest in a hosted runspace with a warm token cache, beside a trivial hosted
/// pipeline that shows the PowerShell share; (3) what scripts do today: a new handler (so a new TLS handshake) and a
/// token request per call.
/// </summary>
[MemoryDiagnoser]
public class CallCostBenchmarks
{
    private FhirTestServer _server = null!;
    /// <summary>Calls per pipeline in the loop rows.</summary>
    public const int LoopCalls = 100;

    private Uri _patient = null!;
    private HttpClient _floor = null!;
    private string _fixedToken = null!;
    private Runspace _runspace = null!;
    private EngineProbe _engine = null!;

    /// <summary>Starts the server, warms every path once (so the token cache is warm), and checks each answers.</summary>
    [GlobalSetup]
    public void Setup()
    {
        _server = FhirTestServer.StartAsync(new FhirTestServerOptions { TokenLifetime = TimeSpan.FromHours(1) }).GetAwaiter().GetResult();
        _patient = new Uri(_server.OAuthBase, "Patient/pat-0001");

        _floor = new HttpClient(BenchEnvironment.NewTrustingHandler(_server.Pki.BundlePem));
        _fixedToken = _server.IssueAccessToken(lifetime: TimeSpan.FromHours(1));

        BenchEnvironment.UseTestVault();
        _runspace = BenchEnvironment.OpenModuleRunspace();
        BenchEnvironment.CreateDefinitions(_runspace, _server.OAuthBase, _server.TokenEndpoint, _server.Pki.BundlePem);

        _engine = new EngineProbe(_server.OAuthBase, _server.TokenEndpoint, _server.Pki.BundlePem, _patient);

        Check(Floor().GetAwaiter().GetResult().Contains("pat-0001", StringComparison.Ordinal), "floor");
        Check(EngineSend().GetAwaiter().GetResult() == 200, "engine");
        Check(EngineSendAndParse().GetAwaiter().GetResult() == "Patient", "engine + Firely");
        Check(InvokeFhirRequest() == 1, "Invoke-FhirRequest");
        Check(HostedTrivialPipeline() == 1, "trivial pipeline");
        Check(InvokeFhirRequestLoop() == 1 && TrivialCmdletLoop() == 1, "script loops");
        Check(NewHandlerAndTokenPerCall().GetAwaiter().GetResult().Contains("pat-0001", StringComparison.Ordinal), "new handler + token per call");

        // The server shares this process: run every path a few hundred times first, so tiered JIT has promoted the
        // server's code too before the first (baseline) row is measured, not only while the later rows run.
        for (int i = 0; i < 300; i++)
        {
            Floor().GetAwaiter().GetResult();
            EngineSendAndParse().GetAwaiter().GetResult();
            InvokeFhirRequest();
            HostedTrivialPipeline();
            if (i % 30 == 0)
            {
                InvokeFhirRequestLoop();
                TrivialCmdletLoop();
            }

            if (i % 3 == 0)
            {
                NewHandlerAndTokenPerCall().GetAwaiter().GetResult();
            }
        }
    }

    /// <summary>Stops the server and closes the runspace.</summary>
    [GlobalCleanup]
    public void Cleanup()
    {
        _runspace.Dispose();
        _floor.Dispose();
        _server.DisposeAsync().AsTask().GetAwaiter().GetResult();
    }

    /// <summary>(1) One pooled HttpClient, fixed bearer token, body read as text.</summary>
    [Benchmark(Baseline = true, Description = "(1) floor: pooled HttpClient, fixed token")]
    public Task<string> Floor() => BenchEnvironment.GetAsync(_floor, _patient, _fixedToken);

    /// <summary>(2) The engine's request path alone: pooled handler, token from the cache, retry and redirect policy.</summary>
    [Benchmark(Description = "(2e) engine: FhirClient.SendAsync")]
    public Task<int> EngineSend() => _engine.SendAsync();

    /// <summary>(2) The engine plus the Firely parse Invoke-FhirRequest does on every answer.</summary>
    [Benchmark(Description = "(2f) engine + Firely parse")]
    public Task<string?> EngineSendAndParse() => _engine.SendAndReadAsync();

    /// <summary>(2) What a user runs: Invoke-FhirRequest in a hosted runspace, warm session and token caches.</summary>
    [Benchmark(Description = "(2) Invoke-FhirRequest -Connection c -Path Patient/pat-0001")]
    public int InvokeFhirRequest() => RunHosted("Invoke-FhirRequest -Connection c -Path Patient/pat-0001");

    /// <summary>(2p) The hosted pipeline with no HTTP at all: what any one-line command costs in that runspace.</summary>
    [Benchmark(Description = "(2p) hosted pipeline only: [pscustomobject]@{...}")]
    public int HostedTrivialPipeline() => RunHosted("[pscustomobject]@{ resourceType = 'Patient'; id = 'pat-0001' }");

    /// <summary>
    /// (2L) Invoke-FhirRequest as a runbook calls it: 100 calls in one script loop, so one pipeline (one parse, one
    /// pipeline thread) serves them all. The harness divides by <see cref="LoopCalls"/>.
    /// </summary>
    [Benchmark(Description = "(2L) Invoke-FhirRequest x100 in one script loop", OperationsPerInvoke = LoopCalls)]
    public int InvokeFhirRequestLoop() => RunHosted($"foreach ($i in 1..{LoopCalls}) {{ $null = Invoke-FhirRequest -Connection c -Path Patient/pat-0001 }}; 1");

    /// <summary>(2pL) The same loop calling a trivial compiled cmdlet: what invoking any cmdlet costs inside a script.</summary>
    [Benchmark(Description = "(2pL) Out-Null x100 in one script loop", OperationsPerInvoke = LoopCalls)]
    public int TrivialCmdletLoop() => RunHosted($"foreach ($i in 1..{LoopCalls}) {{ Out-Null -InputObject $i }}; 1");

    /// <summary>(3) A new handler per call (a new TLS handshake) and a token request per call, as an Invoke-RestMethod loop does.</summary>
    [Benchmark(Description = "(3) new handler + token POST per call")]
    public async Task<string> NewHandlerAndTokenPerCall()
    {
        using var http = new HttpClient(BenchEnvironment.NewTrustingHandler(_server.Pki.BundlePem));
        string token = await BenchEnvironment.FetchTokenAsync(http, _server.TokenEndpoint).ConfigureAwait(false);
        return await BenchEnvironment.GetAsync(http, _patient, token).ConfigureAwait(false);
    }

    private int RunHosted(string script)
    {
        using PowerShell ps = PowerShell.Create();
        ps.Runspace = _runspace;
        ps.AddScript(script);
        int count = ps.Invoke().Count;
        if (ps.HadErrors)
        {
            throw new InvalidOperationException($"'{script}' failed: {ps.Streams.Error[0]}");
        }

        return count;
    }

    private static void Check(bool ok, string what)
    {
        if (!ok)
        {
            throw new InvalidOperationException($"Benchmark '{what}' did not get the expected answer during setup.");
        }
    }
}
