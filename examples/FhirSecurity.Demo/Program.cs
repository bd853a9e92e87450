// The FhirSecurity demo: starts the HTTPS test server (its own CA, an OAuth token endpoint, 25 patients), then runs
// examples/quickstart.ps1 (a client secret), examples/smart-backend-services.ps1 (SMART Backend Services: a private
// key, discovery, Test-FhirConnection) and examples/bulk-export.ps1 (a Bulk Data export to files) through the built
// module in a hosted PowerShell engine, exactly as a user would type them, against an in-memory SecretManagement
// vault. Exit code 0 when no script wrote an error.
using System.Management.Automation;
using System.Management.Automation.Runspaces;
using System.Net;
using System.Security.Cryptography;
using FhirSecurity.Demo;
using FhirSecurity.TestServer;
using Microsoft.PowerShell.SecretManagement;

const string DemoVault = "DemoVault";
const string BackendClientId = "demo-backend";
const string BackendKeyId = "demo-backend-key-1";

string root = FindRepoRoot();
string manifest = Path.Combine(root, "out", "FhirSecurity", "FhirSecurity.psd1");
string script = Path.Combine(root, "examples", "quickstart.ps1");
string smartScript = Path.Combine(root, "examples", "smart-backend-services.ps1");
string bulkScript = Path.Combine(root, "examples", "bulk-export.ps1");
if (!File.Exists(manifest))
{
    Console.Error.WriteLine($"The module is not built ({manifest} is missing). Run: dotnet build FhirSecurity.sln");
    return 2;
}

// The SMART client's key pair is made here, as its owner would make it; the server knows only the public half (JWKS).
using RSA backendKey = RSA.Create(3072);
await using FhirTestServer server = await FhirTestServer.StartAsync(new FhirTestServerOptions
{
    OAuthClients =
    [
        OAuthClientRegistration.Demo,
        new OAuthClientRegistration(BackendClientId, "unused: this client has no secret", ClientAuthMethods.PrivateKeyJwt, ["system/Patient.read"])
        {
            Jwks = TestJwks.Of((backendKey, BackendKeyId)),
        },
    ],
});
DirectoryInfo temp = Directory.CreateTempSubdirectory("FhirSecurity.Demo-");
try
{
    string caFile = Path.Combine(temp.FullName, "test-ca.pem");
    await File.WriteAllTextAsync(caFile, server.Pki.BundlePem);

    // The double keeps secrets in this process's memory only; the user's own SecretManagement vaults are never loaded.
    TestVaults.Register(DemoVault, isDefault: true);
    // In front of the engine's default module folders, where a real SecretManagement may be installed.
    SecretManagementModule.PutFirstOnModulePath();
    // A vault named by the user's environment would not exist here; the demo's one vault is the default.
    Environment.SetEnvironmentVariable("FHIRSECURITY_VAULT", null);

    OAuthClientRegistration client = OAuthClientRegistration.Demo;
    Console.WriteLine("FhirSecurity demo");
    Console.WriteLine($"  Test FHIR server  {server.OAuthBase} (HTTPS, certificate from its own test CA: {caFile})");
    Console.WriteLine($"  Vault             '{DemoVault}', an in-memory SecretManagement stand-in registered as the default vault:");
    Console.WriteLine("                    the demo never touches your real vaults.");
    Console.WriteLine();
    Console.WriteLine($"PS> ./examples/quickstart.ps1 -FhirBaseUri {server.OAuthBase} -TokenUrl {server.TokenEndpoint} `");
    Console.WriteLine($"      -CaBundlePath {caFile} -ClientId {client.ClientId} -ClientSecret $secret");
    Console.WriteLine();

    int errors = RunScript(manifest, script, new Dictionary<string, object>
    {
        ["FhirBaseUri"] = server.OAuthBase,
        ["TokenUrl"] = server.TokenEndpoint,
        ["CaBundlePath"] = caFile,
        ["ClientId"] = client.ClientId,
        ["ClientSecret"] = new NetworkCredential(string.Empty, client.ClientSecret).SecurePassword,
    });

    string keyFile = Path.Combine(temp.FullName, "demo-backend.key");
    await File.WriteAllTextAsync(keyFile, backendKey.ExportPkcs8PrivateKeyPem());
    Console.WriteLine();
    Console.WriteLine("SMART Backend Services: the same server, a client that authenticates with a private key (RS384).");
    Console.WriteLine($"PS> ./examples/smart-backend-services.ps1 -FhirBaseUri {server.OAuthBase} -CaBundlePath {caFile} `");
    Console.WriteLine($"      -ClientId {BackendClientId} -PrivateKeyPath {keyFile} -KeyId {BackendKeyId}");
    Console.WriteLine();
    errors += RunScript(manifest, smartScript, new Dictionary<string, object>
    {
        ["FhirBaseUri"] = server.OAuthBase,
        ["CaBundlePath"] = caFile,
        ["ClientId"] = BackendClientId,
        ["PrivateKeyPath"] = keyFile,
        ["KeyId"] = BackendKeyId,
    });

    string extract = Path.Combine(temp.FullName, "extract");
    Console.WriteLine();
    Console.WriteLine("Bulk Data export: the same server exports Patient and Observation NDJSON files to disk.");
    Console.WriteLine($"PS> ./examples/bulk-export.ps1 -FhirBaseUri {server.OAuthBase} -TokenUrl {server.TokenEndpoint} `");
    Console.WriteLine($"      -CaBundlePath {caFile} -ClientId {client.ClientId} -ClientSecret $secret -Destination {extract}");
    Console.WriteLine();
    errors += RunScript(manifest, bulkScript, new Dictionary<string, object>
    {
        ["FhirBaseUri"] = server.OAuthBase,
        ["TokenUrl"] = server.TokenEndpoint,
        ["CaBundlePath"] = caFile,
        ["ClientId"] = client.ClientId,
        ["ClientSecret"] = new NetworkCredential(string.Empty, client.ClientSecret).SecurePassword,
        ["Destination"] = extract,
    });

    Console.WriteLine();
    Console.WriteLine($"The test server answered {server.Counters.TotalRequests} HTTPS requests, {server.Counters.TokenRequests} of them for a token.");
    if (FindOnPath("pwsh") is not null)
    {
        Console.WriteLine("With pwsh 7.4+ and SecretManagement, try it against your own vault and server: pwsh ./examples/quickstart.ps1 -FhirBaseUri <url> -TokenUrl <url> -CaBundlePath <pem> -ClientId <id> -ClientSecret (Read-Host -AsSecureString)");
    }

    Console.WriteLine(errors == 0 ? "Demo finished without errors." : $"Demo failed: {errors} error(s).");
    return errors == 0 ? 0 : 1;
}
finally
{
    temp.Delete(recursive: true);
    SecretManagementModule.DeleteFolder();
}

// Runs the script piped to Out-Default, so format views render as in pwsh; returns how many errors it wrote.
static int RunScript(string manifest, string script, IDictionary<string, object> parameters)
{
    InitialSessionState state = InitialSessionState.CreateDefault2();
    if (OperatingSystem.IsWindows())
    {
        // Windows may refuse the unsigned script under its default policy; this process only runs our own file.
        // (Elsewhere there are no execution policies, and setting one throws.)
        state.ExecutionPolicy = Microsoft.PowerShell.ExecutionPolicy.Bypass;
    }

    using Runspace runspace = RunspaceFactory.CreateRunspace(new ConsoleHost(), state);
    runspace.Open();

    using PowerShell ps = PowerShell.Create();
    ps.Runspace = runspace;
    int errors = 0;
    ps.Streams.Error.DataAdded += (_, e) =>
    {
        errors++;
        WriteError(ps.Streams.Error[e.Index]);
    };

    ps.AddCommand("Import-Module").AddParameter("Name", manifest).AddParameter("ErrorAction", ActionPreference.Stop);
    ps.AddStatement().AddCommand(script).AddParameters(parameters.ToDictionary(p => p.Key, p => p.Value)).AddCommand("Out-Default");
    try
    {
        ps.Invoke();
    }
    catch (RuntimeException ex)
    {
        // The script stops at its first error ($ErrorActionPreference = 'Stop'); that error arrives here.
        errors++;
        WriteError(ex.ErrorRecord);
    }

    return errors;
}

static void WriteError(ErrorRecord error)
{
    string where = error.InvocationInfo?.PositionMessage is { Length: > 0 } position ? Environment.NewLine + position : string.Empty;
    Console.Error.WriteLine($"ERROR: {error} [{error.FullyQualifiedErrorId}]{where}");
}

static string FindRepoRoot()
{
    for (DirectoryInfo? dir = new(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
    {
        if (File.Exists(Path.Combine(dir.FullName, "FhirSecurity.sln")))
        {
            return dir.FullName;
        }
    }

    throw new InvalidOperationException($"No FhirSecurity.sln above {AppContext.BaseDirectory}: run the demo from a clone of the repository.");
}

static string? FindOnPath(string command)
{
    string[] names = OperatingSystem.IsWindows() ? [command + ".exe", command] : [command];
    return (Environment.GetEnvironmentVariable("PATH") ?? string.Empty)
        .Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries)
        .SelectMany(dir => names.Select(name => Path.Combine(dir, name)))
        .FirstOrDefault(File.Exists);
}
