using System.Diagnostics;

namespace FhirSecurity.Benchmarks.Whole;

/// <summary>
/// Scenarios 1 to 3 again, interleaved: rounds that run every row a few times in turn (the starting row rotating), so
/// load from other processes on a shared machine hits every row alike, and each row's ratio to the floor is taken
/// within the same round. BenchmarkDotNet measures rows one after another, which a busy machine skews.
/// </summary>
internal static class InterleavedCalls
{
    private const int Rounds = 20;

    public static async Task RunAsync()
    {
        var bench = new CallCostBenchmarks();
        bench.Setup();
        try
        {
            (string Name, int Ops, Func<Task> Call)[] rows =
            [
                ("(1) floor: pooled HttpClient, fixed token", 100, () => bench.Floor()),
                ("(2e) engine: FhirClient.SendAsync", 100, () => bench.EngineSend()),
                ("(2f) engine + Firely parse", 100, () => bench.EngineSendAndParse()),
                ("(2) Invoke-FhirRequest c Patient/pat-0001 (hosted, warm)", 100, () => Task.FromResult(bench.InvokeFhirRequest())),
                ("(2p) hosted pipeline only", 100, () => Task.FromResult(bench.HostedTrivialPipeline())),
                ("(3) new handler + token POST per call", 20, () => bench.NewHandlerAndTokenPerCall()),
                ("(2L) Invoke-FhirRequest in a script loop (per call)", 1, () => Task.FromResult(bench.InvokeFhirRequestLoop())),
                ("(2pL) Out-Null in a script loop (per call)", 1, () => Task.FromResult(bench.TrivialCmdletLoop())),
            ];
            // The loop rows make CallCostBenchmarks.LoopCalls calls per operation.
            double[] callsPerOp = [1, 1, 1, 1, 1, 1, CallCostBenchmarks.LoopCalls, CallCostBenchmarks.LoopCalls];
            var perOp = rows.Select(_ => new double[Rounds]).ToArray();
            for (int round = 0; round < Rounds; round++)
            {
                for (int k = 0; k < rows.Length; k++)
                {
                    int r = (round + k) % rows.Length;
                    var watch = Stopwatch.StartNew();
                    for (int i = 0; i < rows[r].Ops; i++)
                    {
                        await rows[r].Call();
                    }

                    perOp[r][round] = watch.Elapsed.TotalMicroseconds / rows[r].Ops / callsPerOp[r];
                }
            }

            double[] Ratio(int row, int baseline) => [.. Enumerable.Range(0, Rounds).Select(i => perOp[row][i] / perOp[baseline][i])];
            double[] http = [.. Enumerable.Range(0, Rounds).Select(i => perOp[3][i] - perOp[4][i])];
            Console.WriteLine();
            Console.WriteLine($"## Call cost, interleaved: {Rounds} rounds, each row's ratio to the floor taken within its round (median, and the middle half of rounds)");
            Console.WriteLine("| row | median per call | ratio to (1) | middle half of ratios |");
            Console.WriteLine("|---|---|---|---|");
            for (int r = 0; r < rows.Length; r++)
            {
                double[] ratio = Ratio(r, 0);
                Console.WriteLine($"| {rows[r].Name} | {Median(perOp[r]):0} us | {Median(ratio):0.00}x | {Quantile(ratio, 0.25):0.00} - {Quantile(ratio, 0.75):0.00} |");
            }

            double[] httpRatio = [.. Enumerable.Range(0, Rounds).Select(i => http[i] / perOp[0][i])];
            double[] shareOfPipeline = [.. Enumerable.Range(0, Rounds).Select(i => perOp[4][i] / perOp[3][i])];
            double[] speedup = Ratio(5, 3);
            Console.WriteLine($"| (2) - (2p): Invoke-FhirRequest without the pipeline | {Median(http):0} us | {Median(httpRatio):0.00}x | {Quantile(httpRatio, 0.25):0.00} - {Quantile(httpRatio, 0.75):0.00} |");
            Console.WriteLine();
            Console.WriteLine($"- PowerShell pipeline share of (2): {Median(shareOfPipeline) * 100:0} % (middle half {Quantile(shareOfPipeline, 0.25) * 100:0} - {Quantile(shareOfPipeline, 0.75) * 100:0} %).");
            Console.WriteLine($"- (3) / (2): {Median(speedup):0.0}x (middle half {Quantile(speedup, 0.25):0.0} - {Quantile(speedup, 0.75):0.0}); target at least 5x: {(Median(speedup) >= 5 ? "MET" : "MISSED")}.");
            double[] loopHttp = [.. Enumerable.Range(0, Rounds).Select(i => (perOp[6][i] - perOp[7][i]) / perOp[0][i])];
            double[] loopSpeedup = Ratio(5, 6);
            Console.WriteLine($"- In a script loop (how runbooks call it): (3) / (2L) {Median(loopSpeedup):0.0}x (middle half {Quantile(loopSpeedup, 0.25):0.0} - {Quantile(loopSpeedup, 0.75):0.0}), target at least 5x: {(Median(loopSpeedup) >= 5 ? "MET" : "MISSED")}; (2L) - (2pL) {Median(loopHttp):0.00}x the floor.");
            Console.WriteLine($"- HTTP path within 1.5x of (1): engine {Median(Ratio(1, 0)):0.00}x {(Median(Ratio(1, 0)) <= 1.5 ? "MET" : "MISSED")}; engine + Firely {Median(Ratio(2, 0)):0.00}x {(Median(Ratio(2, 0)) <= 1.5 ? "MET" : "MISSED")}; (2) - (2p) {Median(httpRatio):0.00}x {(Median(httpRatio) <= 1.5 ? "MET" : "MISSED")}.");
        }
        finally
        {
            bench.Cleanup();
        }
    }

    private static double Median(double[] values) => Quantile(values, 0.5);

    private static double Quantile(double[] values, double q)
    {
        double[] sorted = [.. values.Order()];
        double position = q * (sorted.Length - 1);
        int low = (int)Math.Floor(position);
        int high = Math.Min(low + 1, sorted.Length - 1);
        return sorted[low] + ((sorted[high] - sorted[low]) * (position - low));
    }
}
