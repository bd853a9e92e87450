using System.Diagnostics;
using System.Reflection;
using System.Text.Json;

namespace FhirSecurity.Benchmarks.Whole;

/// <summary>Starts this program again in a child mode and reads the one result line it prints.</summary>
internal static class ChildProcess
{
    /// <summary>The prefix of the line a child prints its figures on.</summary>
    public const string ResultPrefix = "RESULT ";

    /// <summary>Runs a child to the end (at most 10 minutes) and returns its figures.</summary>
    public static async Task<Dictionary<string, double>> RunAsync(params string[] arguments)
    {
        var start = new ProcessStartInfo { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        string self = Environment.ProcessPath ?? throw new InvalidOperationException("No process path.");
        start.FileName = self;
        if (Path.GetFileNameWithoutExtension(self).Equals("dotnet", StringComparison.OrdinalIgnoreCase))
        {
            // Started as "dotnet FhirSecurity.Benchmarks.dll": the child needs the assembly too.
            start.ArgumentList.Add(Assembly.GetEntryAssembly()!.Location);
        }

        foreach (string argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        using Process child = Process.Start(start) ?? throw new InvalidOperationException("The child did not start.");
        Task<string> stdout = child.StandardOutput.ReadToEndAsync();
        Task<string> stderr = child.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(10));
        try
        {
            await child.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            child.Kill(entireProcessTree: true);
            throw new TimeoutException($"Child '{string.Join(' ', arguments)}' did not finish within 10 minutes.");
        }

        string output = await stdout;
        string? line = output.Split('\n').Select(l => l.Trim()).LastOrDefault(l => l.StartsWith(ResultPrefix, StringComparison.Ordinal));
        if (child.ExitCode != 0 || line is null)
        {
            throw new InvalidOperationException($"Child '{string.Join(' ', arguments)}' failed ({child.ExitCode}):\n{output}\n{await stderr}");
        }

        return JsonSerializer.Deserialize<Dictionary<string, double>>(line[ResultPrefix.Length..])!;
    }

    /// <summary>Prints a child's figures for its parent.</summary>
    public static void Report(Dictionary<string, double> figures)
        => Console.WriteLine(ResultPrefix + JsonSerializer.Serialize(figures));
}
