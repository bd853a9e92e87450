// Starts a test server for the demo and manual runs: writes an info file (URLs, CA bundle path, demo credentials)
// and runs until stdin closes or Ctrl-C. --latency-ms N delays every FHIR request by N ms (benchmarks);
// --bulk-files N, --bulk-lines N, --bulk-line-bytes N make every $export N Patient files of that many lines of
// that size, and --bulk-bytes-per-second N sends each file at that rate (Bulk Data benchmarks).
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

long? Whole(string name, long maximum)
{
    if (Argument(name) is not { } text)
    {
        return null;
    }

    if (!long.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var value) || value < 1 || value > maximum)
    {
        throw new ArgumentException($"{name} takes a whole number from 1 to {maximum}, not '{text}'.");
    }

    return value;
}

long? bulkFiles, bulkLines, bulkLineBytes, bulkRate;
try
{
    bulkFiles = Whole("--bulk-files", 64);
    bulkLines = Whole("--bulk-lines", 10_000_000);
    bulkLineBytes = Whole("--bulk-line-bytes", 1_000_000);
    bulkRate = Whole("--bulk-bytes-per-second", 10_000_000_000);
}
catch (ArgumentException ex)
{
    Console.Error.WriteLine(ex.Message);
    return 2;
}

await using var server = await FhirTestServer.StartAsync();
server.FhirLatency = TimeSpan.FromMilliseconds(latencyMs);
if (bulkFiles is not null || bulkLines is not null || bulkLineBytes is not null)
{
    server.Bulk.Files = [.. Enumerable.Range(0, (int)(bulkFiles ?? 1))
        .Select(_ => new BulkFileSpec("Patient", (int)(bulkLines ?? 1000), (int)(bulkLineBytes ?? 0)))];
}

server.Bulk.BytesPerSecond = bulkRate;
var bundleFile = Path.Combine(Path.GetDirectoryName(infoFile)!, Path.GetFileNameWithoutExtension(infoFile) + "-ca.pem");
await File.WriteAllTextAsync(bundleFile, server.Pki.BundlePem);
var client = OAuthClientRegistration.Demo;
var info = new JsonObject
{
    ["openBase"] = server.OpenBase.ToString(),
    ["basicBase"] = server.BasicBase.ToString(),
    ["oauthBase"] = server.OAuthBase.ToString(),
    ["floorBase"] = server.FloorBase.ToString(),
    ["tokenEndpoint"] = server.TokenEndpoint.ToString(),
    ["smartConfiguration"] = server.SmartConfigurationUri.ToString(),
    ["caBundleFile"] = bundleFile,
    ["countersUrl"] = server.CountersUri.ToString(),
    ["secondOrigin"] = server.SecondOrigin.ToString(),
    ["bulkControlUrl"] = server.BulkControlUri.ToString(),
    ["fhirLatencyMs"] = latencyMs,
    ["federatedAssertionUrl"] = server.FederatedAssertionUri.ToString(),
    ["federatedClientId"] = OAuthClientRegistration.Workload.ClientId,
    ["managedIdentityEndpoint"] = server.ManagedIdentityEndpoint.ToString(),
    ["identityHeader"] = server.IdentityHeader,
    ["managedIdentityClientId"] = FhirTestServerOptions.UserAssignedClientId,
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
