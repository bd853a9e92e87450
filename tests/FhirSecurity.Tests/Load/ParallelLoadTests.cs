using System.Diagnostics;
using System.Management.Automation;
using System.Management.Automation.Runspaces;
using FhirSecurity.Tests.Harness;
using FhirSecurity.Tests.Requests;
using Microsoft.PowerShell.SecretManagement;
using Xunit;

namespace FhirSecurity.Tests.Load;

/// <summary>
/// 8 runspaces of one RunspacePool (what ForEach-Object -Parallel uses) x 250 requests against the OAuth base,
/// cold token cache, a 3 s token lifetime, and 429/503 answers injected while it runs. Correctness under load, not
/// speed: nothing fails, nothing is created twice, and tokens are fetched once per refresh, not once per runspace.
/// </summary>
public sealed class ParallelLoadTests : ServerTest
{
    private const int Runspaces = 8;
    private const int RequestsPerRunspace = 250;

    [Fact]
    public async Task Eight_runspaces_share_tokens_survive_faults_and_create_nothing_twice()
    {
        Server.TokenLifetime = TimeSpan.FromSeconds(3);
        NewOAuthConnection(scope: "system/Patient.write");
        RunOk("Clear-FhirTokenCache");
        long createsBefore = Server.Counters.Creates;

        InitialSessionState state = TestModulePath.SessionStateWithDouble();
        state.ImportPSModule([RepoPaths.ModuleManifest]);
        using RunspacePool pool = RunspaceFactory.CreateRunspacePool(Runspaces, Runspaces, state, new CapturingHost());
        pool.Open();
        TestVaults.ResetCalls();

        // Every 10th request is a POST (never retried, never faulted here); the rest are GETs and PUTs, which the
        // module retries through the injected faults (up to 10 times: a busy pool can send one request into
        // several faults in a row, and this test is about no request failing, not about the default count).
        const string Work = """
            param($worker, $count)
            $failed = 0
            foreach ($i in 1..$count) {
                try {
                    if ($i % 10 -eq 0) {
                        $null = Invoke-FhirRequest c -Method POST -Body @{ resourceType = 'Patient'; name = @(@{ family = "w$worker-$i" }) } -ErrorAction Stop
                    } elseif ($i % 10 -eq 5) {
                        $null = Invoke-FhirRequest c -Method PUT -Path "Patient/load-$worker-$i" -Body @{ resourceType = 'Patient'; id = "load-$worker-$i" } -MaximumRetryCount 10 -ErrorAction Stop
                    } else {
                        $null = Invoke-FhirRequest c -Path Patient/pat-0001 -MaximumRetryCount 10 -ErrorAction Stop
                    }
                } catch { $failed++; "FAILED $($_.FullyQualifiedErrorId): $($_.Exception.Message)" }
            }
            "done $failed"
            """;

        using var stopFaults = new CancellationTokenSource();
        Task<int> faults = Task.Run(async () =>
        {
            // Spread the faults out, so no single request meets more of them than its retries allow.
            // 40 faults, one waiting at a time, so they spread over the run instead of piling up on the requests
            // that are already waiting to retry; each costs its request a wait of about a second.
            int n = 0;
            while (n < 40 && !stopFaults.IsCancellationRequested)
            {
                if (Server.Faults.Pending == 0)
                {
                    Server.Faults.Enqueue("/oauth/fhir/Patient/", n % 2 == 0 ? TestServer.Fault.Status(503) : TestServer.Fault.Status(429, retryAfter: TimeSpan.FromSeconds(1)));
                    n++;
                }

                await Task.Delay(50, CancellationToken.None);
            }

            return n;
        });

        var watch = Stopwatch.StartNew();
        var running = Enumerable.Range(1, Runspaces).Select(worker =>
        {
            PowerShell ps = PowerShell.Create();
            ps.RunspacePool = pool;
            ps.AddScript(Work).AddArgument(worker).AddArgument(RequestsPerRunspace);
            return (ps, ps.BeginInvoke());
        }).ToArray();
        string[] output = running.SelectMany(r => r.ps.EndInvoke(r.Item2).Select(o => o.ToString())).ToArray();
        watch.Stop();
        stopFaults.Cancel();
        int injected = await faults;
        foreach ((PowerShell ps, _) in running)
        {
            ps.Dispose();
        }

        string[] failures = output.Where(o => o.StartsWith("FAILED", StringComparison.Ordinal)).ToArray();
        Assert.True(failures.Length == 0, string.Join("\n", failures.Take(10)));

        // The eight runspaces resolved the connection at once; the double fails overlapping vault calls as the
        // real SecretManagement does, so none overlapped: the module's vault gate serialised them.
        Assert.True(TestVaults.Calls(DefaultVault).Total >= Runspaces, "every runspace read the vault");
        Assert.Equal(0, TestVaults.Collisions);
        Assert.Equal(Enumerable.Repeat("done 0", Runspaces), output.Where(o => o.StartsWith("done", StringComparison.Ordinal)));
        Assert.True(injected - Server.Faults.Pending >= 30, $"requests met the faults ({injected} injected, {Server.Faults.Pending} left)");

        // POSTs are never retried, so each created exactly once; PUT-creates are idempotent by id.
        long posts = Runspaces * (RequestsPerRunspace / 10);
        long puts = Runspaces * (RequestsPerRunspace / 10);
        Assert.Equal(posts + puts, Server.Counters.Creates - createsBefore);

        // One token per refresh (at 80 % of 3 s) however many runspaces ask: single flight across the pool.
        double refreshes = watch.Elapsed.TotalSeconds / (0.8 * Server.TokenLifetime.TotalSeconds);
        Assert.InRange(Server.Counters.TokenRequests, 1, (long)Math.Ceiling(refreshes) + 1);
    }
}
