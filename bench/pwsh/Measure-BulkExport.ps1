#Requires -Version 7.4
<#
.SYNOPSIS
    Export-FhirBulkData in real pwsh against the loopback test server: throughput against a raw HttpClient export,
    parallel against serial downloads of throttled files, and peak managed memory for a small and a large export.
    Prints markdown tables.
.DESCRIPTION
    Starts the test environment of the Pester suites (tests/Pester/TestEnvironment.ps1), an OAuth connection 'bulk'
    that trusts the test CA, and sets the server's export through its /_test/bulk control (no Retry-After wait).
      1. Throughput: 8 Patient files of -LargeMB / 8 each. Rows, alternated over -Rounds rounds:
         (a) Export-FhirBulkData -Connection bulk -Destination <new folder>   (-ThrottleLimit 4, the default)
         (b) a raw export in C#: one pooled HttpClient trusting the test CA, a bearer token fetched once, the same
             kick-off, polling and DELETE, and the 8 files 4 at a time, each response CopyToAsync to a FileStream.
         Both include kick-off, polls, downloads and DELETE; each writes into a new folder, removed after.
         Ratio: median (b) time / median (a) time, i.e. (a)'s throughput as a share of (b)'s.
      2. Parallel: 8 files of 5 MB, each response sent at 5 MB/s: -ThrottleLimit 1 against -ThrottleLimit 4.
      3. Memory: in a fresh child pwsh each, an export of 8 files totalling 40 MB and one of -LargeMB, with a timer
         sampling [GC]::GetTotalMemory($false) every 10 ms; reports the peak above the level before the export.
    Nothing here runs in the test suite; tests only check that this script parses.
.EXAMPLE
    dotnet tool run pwsh -NoProfile -File bench/pwsh/Measure-BulkExport.ps1
#>
[CmdletBinding()]
param(
    [ValidateRange(1, 20)]
    [int] $Rounds = 3,

    [ValidateRange(8, 4000)]
    [int] $LargeMB = 400
)

$ErrorActionPreference = 'Stop'
. (Join-Path $PSScriptRoot 'BenchCommon.ps1')

# The raw export and the heap sampler, in C#: they run on thread-pool threads, where a script block has no runspace.
$bulkBenchSource = Join-Path $PSScriptRoot 'BulkBench.cs'
Add-Type -Path $bulkBenchSource

function Set-BulkFile([int] $Files, [long] $Bytes, [long] $BytesPerSecond = 0) {
    # Lines of 1000 bytes (newline included) make files of exactly $Bytes.
    $lines = [int]($Bytes / 1000)
    $set = @{ retryAfterSeconds = 0; files = @(1..$Files | ForEach-Object { @{ type = 'Patient'; lines = $lines; lineBytes = 1000 } }) }
    $set.bytesPerSecond = if ($BytesPerSecond -gt 0) { $BytesPerSecond } else { $null }
    Invoke-FhirTestBulkControl -Info $info -Reset -Set $set
}

function Measure-Module([int] $ThrottleLimit = 4) {
    $folder = Join-Path $work ([guid]::NewGuid().ToString('n'))
    $watch = [Diagnostics.Stopwatch]::StartNew()
    $null = Export-FhirBulkData -Connection bulk -Destination $folder -ThrottleLimit $ThrottleLimit
    $seconds = $watch.Elapsed.TotalSeconds
    Remove-Item -Recurse -Force $folder
    $seconds
}

function Measure-Raw {
    $folder = Join-Path $work ([guid]::NewGuid().ToString('n'))
    $seconds = [FhirSecurityBench.RawBulkExport]::Run($client, $kickoffUrl, $folder, 4)
    Remove-Item -Recurse -Force $folder
    $seconds
}

function Get-Median([double[]] $Values) { Get-BenchQuantile -Values $Values -Q 0.5 }

$testEnv = Start-FhirTestEnvironment
$work = Join-Path $testEnv.Folder 'bench'
$null = New-Item -ItemType Directory -Path $work
try {
    $info = $testEnv.Info
    $null = Import-FhirCaBundle -Name test-ca -Path $info.caBundleFile -InformationAction Ignore
    New-FhirOAuth -Name bench-oauth -TokenUrl $info.tokenEndpoint -ClientId $info.oauthClientId `
        -ClientSecret (New-FhirTestSecureString $info.oauthClientSecret) -Scope system/*.read
    New-FhirConnection -Name bulk -BaseUri $info.oauthBase -OAuth bench-oauth -CaBundle test-ca

    $client = New-BenchHttpClient -CaBundleFile $info.caBundleFile
    $client.Timeout = [TimeSpan]::FromMinutes(10)
    $fields = [System.Collections.Generic.Dictionary[string, string]]::new()
    $fields['grant_type'] = 'client_credentials'
    $fields['client_id'] = $info.oauthClientId
    $fields['client_secret'] = $info.oauthClientSecret
    $fields['scope'] = 'system/*.read'
    $tokenResponse = $client.PostAsync($info.tokenEndpoint, [System.Net.Http.FormUrlEncodedContent]::new($fields)).GetAwaiter().GetResult()
    $null = $tokenResponse.EnsureSuccessStatusCode()
    $token = ($tokenResponse.Content.ReadAsStringAsync().GetAwaiter().GetResult() | ConvertFrom-Json).access_token
    $client.DefaultRequestHeaders.Authorization = [System.Net.Http.Headers.AuthenticationHeaderValue]::new('Bearer', $token)
    $kickoffUrl = [Uri]::new([Uri]$info.oauthBase, 'Patient/$export').AbsoluteUri

    Write-Output '# Bulk Data export (issue 13)'
    Write-Output ''
    Write-BenchMachine
    Write-Output ''

    # 1. Throughput.
    $largeBytes = [long]$LargeMB * 1MB / 8
    Set-BulkFile -Files 8 -Bytes $largeBytes
    $null = Measure-Module; $null = Measure-Raw          # warm: JIT, connections, token
    $module = [Collections.Generic.List[double]]::new()
    $raw = [Collections.Generic.List[double]]::new()
    foreach ($round in 1..$Rounds) {
        if ($round % 2) { $module.Add((Measure-Module)); $raw.Add((Measure-Raw)) }
        else { $raw.Add((Measure-Raw)); $module.Add((Measure-Module)) }
    }
    $megabytes = 8 * $largeBytes / 1MB
    $moduleMedian = Get-Median $module
    $rawMedian = Get-Median $raw
    Write-Output "## 1. Throughput: $megabytes MB in 8 files, 4 at a time, median of $Rounds rounds"
    Write-Output ''
    Write-Output '| row | median | MB/s | every round (s) |'
    Write-Output '|---|---:|---:|---|'
    Write-Output ('| (a) Export-FhirBulkData | {0:0.00} s | {1:0} | {2} |' -f $moduleMedian, ($megabytes / $moduleMedian), (($module | ForEach-Object { '{0:0.00}' -f $_ }) -join ', '))
    Write-Output ('| (b) raw HttpClient, CopyToAsync | {0:0.00} s | {1:0} | {2} |' -f $rawMedian, ($megabytes / $rawMedian), (($raw | ForEach-Object { '{0:0.00}' -f $_ }) -join ', '))
    Write-Output ''
    Write-Output ('(a) throughput / (b) throughput: **{0:0.00}x** (target at least 0.8x)' -f ($rawMedian / $moduleMedian))
    Write-Output ''

    # 2. Parallel against serial, every response at 5 MB/s.
    Set-BulkFile -Files 8 -Bytes 5MB -BytesPerSecond 5MB
    $serial = Measure-Module -ThrottleLimit 1
    $parallel = Measure-Module -ThrottleLimit 4
    Write-Output '## 2. Parallel downloads: 8 files of 5 MB, each response sent at 5 MB/s'
    Write-Output ''
    Write-Output '| -ThrottleLimit | time |'
    Write-Output '|---:|---:|'
    Write-Output ('| 1 | {0:0.00} s |' -f $serial)
    Write-Output ('| 4 | {0:0.00} s |' -f $parallel)
    Write-Output ''
    Write-Output ('4 parallel / 1 at a time: **{0:0.00}x** faster (target at least 3x)' -f ($serial / $parallel))
    Write-Output ''

    # 3. Peak managed memory, each size in a fresh pwsh.
    $child = Join-Path $work 'memory.ps1'
    Write-FhirTestChildScript -Path $child -Connection mem -Body @'
Add-Type -Path $Rest[1]
[GC]::Collect(); [GC]::WaitForPendingFinalizers(); [GC]::Collect()
$before = [GC]::GetTotalMemory($true)
$sampler = [FhirSecurityBench.HeapSampler]::new()
$null = Export-FhirBulkData -Connection mem -Destination $Rest[0]
"peak=$($sampler.Peak - $before)"
$sampler.Dispose()
'@
    $peaks = [ordered]@{}
    foreach ($total in 40, $LargeMB) {
        Set-BulkFile -Files 8 -Bytes ([long]$total * 1MB / 8)
        $folder = Join-Path $work "memory-$total"
        $lines = Invoke-FhirTestChildPwsh -File $child -ArgumentList ((Get-FhirTestChildArgument $testEnv) + $folder + $bulkBenchSource)
        $peaks["$total"] = [long](($lines | Where-Object { $_ -like 'peak=*' }) -replace 'peak=', '')
        Remove-Item -Recurse -Force $folder
    }
    Write-Output '## 3. Peak managed memory above the level before the export (fresh pwsh each)'
    Write-Output ''
    Write-Output '| export | peak managed memory |'
    Write-Output '|---:|---:|'
    foreach ($total in $peaks.Keys) { Write-Output ('| {0} MB in 8 files | {1:0.0} MB |' -f $total, ($peaks[$total] / 1MB)) }
    Write-Output ''
    $difference = ($peaks["$LargeMB"] - $peaks['40']) / 1MB
    Write-Output ('{0} MB against 40 MB: **{1:+0.0;-0.0} MB** (target: within 32 MB)' -f $LargeMB, $difference)
    Write-Output ''
    Write-Output "Load average at the end: $(Get-BenchLoad)"
}
finally {
    Stop-FhirTestEnvironment $testEnv
}
