// FhirSecurity benchmarks (docs/performance.md).
//   dotnet run -c Release --project bench/FhirSecurity.Benchmarks -- micro   BenchmarkDotNet: per-call cost, scenarios 1-3
//   dotnet run -c Release --project bench/FhirSecurity.Benchmarks -- whole   whole-process runner: scenarios 4-6
// Other arguments are the child modes the whole-process runner starts itself with.
using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Jobs;
using BenchmarkDotNet.Running;
using BenchmarkDotNet.Toolchains.InProcess.Emit;
using FhirSecurity.Benchmarks;
using FhirSecurity.Benchmarks.Whole;

string mode = args.Length > 0 ? args[0] : "micro";
switch (mode)
{
    case "micro":
        // In process (no generated project to build: nothing beyond NuGet is reachable here), and short: 2 cores
        // share the client and the server, so a few iterations of many invocations each already settle.
        IConfig config = DefaultConfig.Instance
            .AddJob(Job.ShortRun.WithToolchain(InProcessEmitToolchain.Instance).WithWarmupCount(5).WithIterationCount(12).WithId("ShortInProc"))
            .WithOptions(ConfigOptions.DisableLogFile);
        BenchmarkSwitcher.FromTypes([typeof(CallCostBenchmarks)]).Run(args.Length > 1 ? args[1..] : ["--filter", "*"], config);
        return 0;
    case "whole":
        return await WholeProcessRunner.RunAsync(args[1..]);
    default:
        return await ChildModes.RunAsync(mode, args[1..]);
}
