// The isolation host: a process that has OTHER versions of FhirSecurity's dependencies loaded before the module
// arrives (Newtonsoft.Json 13.0.1, stand-ins for Firely 5.12.1), as a pwsh session would after another module
// loaded them, and an older Azure.Identity and Azure.Core, as the Az modules bring. It then hosts PowerShell, imports
// the built module, reads a Patient and searches with -All over OAuth and a custom CA bundle, reads it again over a
// managed identity when the config names an identity endpoint, and prints one JSON summary on stdout: which versions sit in which load context,
// what was read, and the errors. Exit code 0 only when everything worked. See docs/isolation.md.
using System.Collections;
using System.Management.Automation;
using System.Management.Automation.Runspaces;
using System.Net;
using System.Text.Json;
using FhirSecurity.IsolationHost;
using Microsoft.PowerShell.SecretManagement;

const string Vault = "IsolationVault";

HostOptions options;
try
{
    options = HostOptions.Parse(args);
}
catch (Exception ex) when (ex is ArgumentException or IOException or JsonException)
{
    Console.Error.WriteLine(ex.Message);
    Console.Error.WriteLine(HostOptions.Usage);
    return 2;
}

// First the conflicting versions, in the default context, before PowerShell or the module load anything. (Each
// is used, not just named: a const would be copied into this assembly and load nothing.)
var conflicts = new Dictionary<string, string>
{
    ["Newtonsoft.Json"] = Newtonsoft.Json.JsonConvert.SerializeObject(new { loadedBy = "isolation host" }),
    ["Hl7.Fhir.Base"] = Hl7.Fhir.Model.Base.StandIn,
    ["Hl7.Fhir.R4"] = Hl7.Fhir.Model.ModelInfo.StandIn,
    // As the Az modules would have them: an older Azure.Identity and Azure.Core, a credential made (no request sent).
    ["Azure.Identity"] = new Azure.Identity.ManagedIdentityCredential(Azure.Identity.ManagedIdentityId.SystemAssigned).ToString()!,
    ["Azure.Core"] = Azure.Core.AzureLocation.WestEurope.ToString(),
};
foreach (LoadedAssembly loaded in LoadedAssembly.Find(LoadedAssembly.Watched))
{
    Console.Error.WriteLine($"preloaded {loaded.Name} {loaded.Version} (file {loaded.FileVersion}) in '{loaded.Context}' from {loaded.Location}");
}

var errors = new List<string>();
Dictionary<string, object?>? patient = null;
Dictionary<string, object?>? identityPatient = null;
List<Dictionary<string, object?>> found = [];
string manifest = options.Module ?? Path.Combine(FindRepoRoot(), "out", "FhirSecurity", "FhirSecurity.psd1");
try
{
    // The double keeps secrets in this process's memory only; the user's own vaults are never loaded.
    TestVaults.Register(Vault, isDefault: true);
    // In front of the engine's default module folders, where a real SecretManagement may be installed.
    SecretManagementModule.PutFirstOnModulePath();
    Environment.SetEnvironmentVariable("FHIRSECURITY_VAULT", null);

    using Runspace runspace = RunspaceFactory.CreateRunspace(InitialSessionState.CreateDefault2());
    runspace.Open();

    // Each step on its own, so an error says which step failed; the first failing step ends the run.
    _ = Step("import", "param($Manifest) Import-Module -Name $Manifest", new() { ["Manifest"] = manifest })
        && Step("definitions", """
            param($BaseUrl, $TokenUrl, $CaFile, $ClientId, $ClientSecret)
            Import-FhirCaBundle -Name isolation-ca -Path $CaFile | Out-Null
            New-FhirOAuth -Name isolation-oauth -TokenUrl $TokenUrl -ClientId $ClientId -ClientSecret $ClientSecret -Scope system/Patient.read | Out-Null
            New-FhirConnection -Name isolation -BaseUri $BaseUrl -OAuth isolation-oauth -TlsValidation CustomBundle -CaBundle isolation-ca | Out-Null
            """,
            new()
            {
                ["BaseUrl"] = options.BaseUrl,
                ["TokenUrl"] = options.TokenUrl,
                ["CaFile"] = options.CaFile,
                ["ClientId"] = options.ClientId,
                ["ClientSecret"] = new NetworkCredential(string.Empty, options.ClientSecret).SecurePassword,
            })
        && Step("read", """
            param($Id)
            $p = Invoke-FhirRequest -Connection isolation -ResourceType Patient -Id $Id
            [ordered]@{ resourceType = $p.resourceType; id = $p.id; family = @($p.name)[0].family; birthDate = $p.birthDate }
            """,
            new() { ["Id"] = options.PatientId },
            output => patient = output.SingleOrDefault())
        && Step("search", """
            param($Name)
            foreach ($p in Invoke-FhirRequest -Connection isolation -ResourceType Patient -Query @{ name = $Name; _count = 5 } -All) {
                [ordered]@{ resourceType = $p.resourceType; id = $p.id; family = @($p.name)[0].family; birthDate = $p.birthDate }
            }
            """,
            new() { ["Name"] = options.SearchName },
            output => found = output)
        && (options.IdentityEndpoint is null || Step("identity", """
            param($Endpoint, $Header, $BaseUrl, $Id)
            $env:IDENTITY_ENDPOINT = $Endpoint
            $env:IDENTITY_HEADER = $Header
            New-FhirOAuth -Name isolation-mi -ManagedIdentity -Scope https://isolation.fhir.azurehealthcareapis.com/.default | Out-Null
            New-FhirConnection -Name isolation-mi -BaseUri $BaseUrl -OAuth isolation-mi -CaBundle isolation-ca | Out-Null
            $p = Invoke-FhirRequest -Connection isolation-mi -ResourceType Patient -Id $Id
            [ordered]@{ resourceType = $p.resourceType; id = $p.id; family = @($p.name)[0].family; birthDate = $p.birthDate }
            """,
            new()
            {
                ["Endpoint"] = options.IdentityEndpoint,
                ["Header"] = options.IdentityHeader,
                ["BaseUrl"] = options.BaseUrl,
                ["Id"] = options.PatientId,
            },
            output => identityPatient = output.SingleOrDefault()));

    bool Step(string name, string script, Dictionary<string, object?> parameters, Action<List<Dictionary<string, object?>>>? take = null)
    {
        using PowerShell ps = PowerShell.Create();
        ps.Runspace = runspace;
        ps.AddScript(script).AddParameters(parameters);
        // Stop on the first error in the step, as a runbook with $ErrorActionPreference = 'Stop' would.
        runspace.SessionStateProxy.SetVariable("ErrorActionPreference", ActionPreference.Stop);
        ErrorRecord? stopped = null;
        try
        {
            var output = ps.Invoke();
            take?.Invoke([.. output.Select(o => o.BaseObject).OfType<IDictionary>().Select(ToPlain)]);
        }
        catch (RuntimeException ex)
        {
            stopped = ex.ErrorRecord;
        }

        errors.AddRange(ps.Streams.Error.Append(stopped).OfType<ErrorRecord>().Distinct()
            .Select(e => $"{name}: {e.FullyQualifiedErrorId}: {e}"));
        return errors.Count == 0;
    }
}
catch (Exception ex)
{
    // Anything outside PowerShell's own error handling (a load failure, say) is a finding, not a crash.
    errors.Add($"host: {ex.GetType().FullName}: {ex.Message}");
}
finally
{
    SecretManagementModule.DeleteFolder();
}

if (patient?["id"] as string != options.PatientId)
{
    errors.Add($"check: read returned {(patient is null ? "nothing" : $"Patient '{patient["id"]}'")}, expected Patient '{options.PatientId}'.");
}

if (found.Count == 0)
{
    errors.Add($"check: the search for '{options.SearchName}' found nothing.");
}

List<LoadedAssembly> watched = LoadedAssembly.Find(LoadedAssembly.Watched);
foreach (string name in LoadedAssembly.Watched)
{
    if (!watched.Any(a => a.Name == name && a.Context == "Default" && conflicts.ContainsKey(name)))
    {
        errors.Add($"check: {name} is not loaded in the default context; the run proves nothing about it.");
    }
}

var summary = new
{
    success = errors.Count == 0,
    module = manifest,
    assemblies = watched,
    defaultContext = watched.Where(a => a.Context == "Default"),
    moduleContext = watched.Where(a => a.Context == "FhirSecurity"),
    moduleContextAll = LoadedAssembly.InContext("FhirSecurity"),
    sharedFromDefault = LoadedAssembly.SharedFromDefault("FhirSecurity"),
    patient,
    identityPatient,
    search = new { name = options.SearchName, count = found.Count, patients = found },
    errors,
};
Console.WriteLine(JsonSerializer.Serialize(summary, new JsonSerializerOptions { WriteIndented = true }));
return errors.Count == 0 ? 0 : 1;

// The script's hashtables as plain values, for the JSON summary.
static Dictionary<string, object?> ToPlain(IDictionary source)
{
    var plain = new Dictionary<string, object?>(StringComparer.Ordinal);
    foreach (DictionaryEntry entry in source)
    {
        plain[entry.Key.ToString()!] = entry.Value is PSObject ps ? ps.BaseObject?.ToString() : entry.Value?.ToString();
    }

    return plain;
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

    throw new InvalidOperationException($"No FhirSecurity.sln above {AppContext.BaseDirectory}: pass --module <path to FhirSecurity.psd1>.");
}
