# Shared by the pwsh benchmarks in this folder (dot-sourced). Nothing here measures anything by itself.
#
# The test environment (SecretManagement double, module import, test server as a child process) comes from
# tests/Pester/TestEnvironment.ps1, dot-sourced here so there is one copy of it.

. (Join-Path $PSScriptRoot '../../tests/Pester/TestEnvironment.ps1')

function Get-BenchRepoRoot { (Resolve-Path (Join-Path $PSScriptRoot '../..')).Path }

function Get-BenchLoad {
    # The 1, 5 and 15 minute load averages, as /proc/loadavg gives them ('n/a' where there is no /proc).
    if (Test-Path /proc/loadavg) { ((Get-Content -Raw /proc/loadavg) -split ' ')[0..2] -join ' ' } else { 'n/a' }
}

function Get-BenchBuildConfiguration {
    # Which build out/FhirSecurity was laid out from: the configuration whose FhirSecurity.dll it holds.
    $root = Get-BenchRepoRoot
    $laidOut = Join-Path $root 'out/FhirSecurity/FhirSecurity.dll'
    if (-not (Test-Path $laidOut)) { return 'not built' }
    $hash = (Get-FileHash $laidOut).Hash
    foreach ($configuration in 'Release', 'Debug') {
        $built = Get-ChildItem -Path (Join-Path $root "src/FhirSecurity/bin/$configuration") -Recurse -Filter FhirSecurity.dll -File -ErrorAction SilentlyContinue |
            Select-Object -First 1
        if ($built -and (Get-FileHash $built.FullName).Hash -eq $hash) { return $configuration }
    }
    'unknown'
}

function Write-BenchMachine {
    # The machine table of docs/performance.md, read from this machine.
    $cpu = if (Test-Path /proc/cpuinfo) {
        (Select-String -Path /proc/cpuinfo -Pattern '^model name\s*:\s*(.*)$' | Select-Object -First 1).Matches[0].Groups[1].Value
    }
    $memory = if (Get-Command free -ErrorAction SilentlyContinue) {
        ((free -h | Select-String '^Mem:').Line -split '\s+')[1]
    }
    $os = if (Test-Path /etc/os-release) {
        (Select-String -Path /etc/os-release -Pattern '^PRETTY_NAME="?([^"]*)"?$').Matches[0].Groups[1].Value
    }
    $testServer = Find-FhirTestBuild -Project 'FhirSecurity.TestServer'
    Write-Output '| machine | |'
    Write-Output '|---|---|'
    Write-Output "| CPU | $cpu, $([Environment]::ProcessorCount) cores (nproc: $(nproc 2>$null)) |"
    Write-Output "| memory | $memory (free -h) |"
    Write-Output "| OS | $os, kernel $([Environment]::OSVersion.Version) |"
    Write-Output "| .NET runtime | $([System.Runtime.InteropServices.RuntimeInformation]::FrameworkDescription); server GC $([System.Runtime.GCSettings]::IsServerGC) |"
    Write-Output "| PowerShell | pwsh $($PSVersionTable.PSVersion) ($PSHOME) |"
    Write-Output "| module build | $(Get-BenchBuildConfiguration) (out/FhirSecurity); test server $testServer |"
    Write-Output "| load average at start | $(Get-BenchLoad) |"
}

function Initialize-BenchTrust {
    # A pooled HttpClient that trusts the test CA the way the module does: a validation callback that builds the
    # server's chain against the bundle's roots only (serverAuth EKU, name checked). C#, because the callback runs on
    # a thread-pool thread during the handshake, where a script block has no runspace to run in.
    if ('FhirSecurityBench.BundleTrust' -as [type]) { return }
    Add-Type -TypeDefinition @'
using System;
using System.Net.Http;
using System.Net.Security;
using System.Security.Cryptography.X509Certificates;

namespace FhirSecurityBench
{
    public static class BundleTrust
    {
        public static HttpClient CreateClient(string bundlePemFile)
        {
            var bundle = new X509Certificate2Collection();
            bundle.ImportFromPemFile(bundlePemFile);
            var roots = new X509Certificate2Collection();
            var intermediates = new X509Certificate2Collection();
            foreach (var certificate in bundle)
            {
                (certificate.SubjectName.RawData.AsSpan().SequenceEqual(certificate.IssuerName.RawData) ? roots : intermediates).Add(certificate);
            }

            var handler = new SocketsHttpHandler { PooledConnectionLifetime = TimeSpan.FromMinutes(10) };
            handler.SslOptions.RemoteCertificateValidationCallback = (sender, presented, platformChain, errors) =>
            {
                if (presented is null || errors.HasFlag(SslPolicyErrors.RemoteCertificateNameMismatch))
                {
                    return false;
                }

                using var chain = new X509Chain();
                chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
                chain.ChainPolicy.CustomTrustStore.AddRange(roots);
                chain.ChainPolicy.ExtraStore.AddRange(intermediates);
                if (platformChain is not null)
                {
                    chain.ChainPolicy.ExtraStore.AddRange(platformChain.ChainPolicy.ExtraStore);
                }

                chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
                chain.ChainPolicy.ApplicationPolicy.Add(new System.Security.Cryptography.Oid("1.3.6.1.5.5.7.3.1"));
                using var leaf = new X509Certificate2(presented);
                return chain.Build(leaf);
            };
            return new HttpClient(handler) { Timeout = TimeSpan.FromSeconds(60) };
        }
    }
}
'@
}

function New-BenchHttpClient {
    param([Parameter(Mandatory)] [string] $CaBundleFile)
    Initialize-BenchTrust
    [FhirSecurityBench.BundleTrust]::CreateClient($CaBundleFile)
}

function Import-BenchEmptyCmdlet {
    # Invoke-BenchEmptyCmdlet: a compiled cmdlet with Invoke-FhirRequest's parameters (same names, sets, positions,
    # pipeline and validation attributes; strings where the module has its own types) and an empty ProcessRecord.
    # A script loop of it is what PowerShell itself costs per cmdlet call: binding, pipeline, command processor.
    if (-not ('FhirSecurityBench.EmptyCmdlet' -as [type])) {
        Add-Type -TypeDefinition @'
using System.Collections;
using System.Management.Automation;

namespace FhirSecurityBench
{
    public enum EmptyMethod { GET, POST, PUT, PATCH, DELETE }

    [Cmdlet(VerbsLifecycle.Invoke, "BenchEmptyCmdlet", DefaultParameterSetName = "Path")]
    public sealed class EmptyCmdlet : PSCmdlet
    {
        [Parameter(Mandatory = true, Position = 0, ValueFromPipelineByPropertyName = true)]
        public string Connection { get; set; }
        [Parameter] public EmptyMethod Method { get; set; }
        [Parameter(Position = 1, ParameterSetName = "Path")] public string Path { get; set; }
        [Parameter(Mandatory = true, ParameterSetName = "Resource")]
        [ValidatePattern("^[A-Z][A-Za-z]+$")]
        public string ResourceType { get; set; }
        [Parameter(ParameterSetName = "Resource")] public string Id { get; set; }
        [Parameter] public Hashtable Query { get; set; }
        [Parameter(ValueFromPipeline = true)] public object Body { get; set; }
        [Parameter] public IDictionary Headers { get; set; }
        [Parameter] [ValidateRange(1, 3600)] public int? TimeoutSec { get; set; }
        [Parameter] [ValidateRange(0, 10)] public int MaximumRetryCount { get; set; }
        [Parameter] [ValidateRange(1, 60)] public int RetryIntervalSec { get; set; }
        [Parameter] public SwitchParameter RetryNonIdempotent { get; set; }
        [Parameter] public SwitchParameter All { get; set; }
        [Parameter] public SwitchParameter Raw { get; set; }
        [Parameter(ValueFromPipelineByPropertyName = true)] [ValidateNotNullOrEmpty] public string Vault { get; set; }

        protected override void ProcessRecord()
        {
        }
    }
}
'@
    }
    Import-Module -Assembly ([FhirSecurityBench.EmptyCmdlet].Assembly) -Global
}

function Get-BenchServerCounters {
    # The test server's counters (GET /_test/counters): tokenRequests, fhirRequests, totalRequests, ...
    param([Parameter(Mandatory)] [System.Net.Http.HttpClient] $Client, [Parameter(Mandatory)] [string] $Url)
    $Client.GetStringAsync($Url).GetAwaiter().GetResult() | ConvertFrom-Json
}

function Get-BenchQuantile {
    # Linear interpolation between closest ranks (q = 0.5 is the median).
    param([Parameter(Mandatory)] [double[]] $Values, [Parameter(Mandatory)] [double] $Q)
    $sorted = [double[]]($Values | Sort-Object)
    $position = $Q * ($sorted.Count - 1)
    $low = [math]::Floor($position)
    $high = [math]::Ceiling($position)
    $sorted[$low] + ($sorted[$high] - $sorted[$low]) * ($position - $low)
}

function Get-BenchMedian {
    param([Parameter(Mandatory)] [double[]] $Values)
    Get-BenchQuantile -Values $Values -Q 0.5
}

function Format-BenchNumber {
    param([double] $Value, [string] $Format = 'N0')
    $Value.ToString($Format, [Globalization.CultureInfo]::InvariantCulture)
}
