// Starts a test server for the demo and manual runs: writes an info file (URLs, CA bundle path, demo credentials)
// and runs until stdin closes or Ctrl-C. --latency-ms N delays every FHIR request by N ms (benchmarks).
using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using FhirSecurity.TestServer;

string? Argument(string name) => args.SkipWhile(a => a != name).Skip(1).FirstOrDefault();

var infoFile = Path.GetFullPath(Argument("--info-file") ?? "fhir-test-server.json");
var latencyMs = 0;
if (Argument("--latency-ms") is { } latencyText
    && (!int.TryParse(latencyText, NumberStyles.None, CultureInfo.InvariantCulture, out latencyMs) || latencyMs > 60_000))
{
    Console.Error.WriteLine($"--latency-ms takes whole milliseconds from 0 to 60000, not '{latencyText}'.");
    return 2;
}

await using var server = await FhirTestServer.StartAsync();
server.FhirLatency = TimeSpan.FromMilliseconds(latencyMs);
var bundleFile = Path.Combine(Path.GetDirectoryName(infoFile)!, Path.GetFileNameWithoutExtension(infoFile) + "-ca.pem");
await File.WriteAllTextAsync(bundleFile, server.Pki.BundlePem);
var client = OAuthClientRegistration.Demo;
var info = new JsonObject
{
    ["openBase"] = server.OpenBase.ToString(),
    ["basicBase"] = server.BasicBase.ToString(),
    ["oauthBase"] = server.OAuthBase.ToString(),
    ["tokenEndpoint"] = server.TokenEndpoint.ToString(),
    ["smartConfiguration"] = server.SmartConfigurationUri.ToString(),
    ["caBundleFile"] = bundleFile,
    ["countersUrl"] = server.CountersUri.ToString(),
    ["fhirLatencyMs"] = latencyMs,
    // Demo values only: this server lives on loopback for one run.
    ["oauthClientId"] = client.ClientId,
    ["oauthClientSecret"] = client.ClientSecret,
    ["oauthScopes"] = string.Join(' ', client.AllowedScopes),
    ["basicUser"] = BasicUser.Demo.UserName,
    ["basicPassword"] = BasicUser.Demo.Password,
};
await File.WriteAllTextAsync(infoFile, info.ToJsonString(new JsonSerializerOptions(JsonResponses.WriterOptions) { WriteIndented = true }));
Console.WriteLine($"FHIR test server on {server.Origin}; info in {infoFile}. Close stdin or press Ctrl-C to stop.");

using var stop = new CancellationTokenSource();
Console.CancelKeyPress += (_, e) =>
{
    e.Cancel = true;
    stop.Cancel();
};
// Reading stdin to its end is how a parent process (tests, demo script) stops us without signals.
var stdinClosed = Task.Run(() => Console.In.ReadToEnd());
await Task.WhenAny(stdinClosed, Task.Delay(Timeout.Infinite, stop.Token).ContinueWith(_ => { }, TaskScheduler.Default));
return 0;
