#Requires -Version 7.4
<#
.SYNOPSIS
    Issue 11: 1,000 GETs through ForEach-Object -Parallel in real pwsh, ThrottleLimit 1 vs 8, against the test server
    with added latency on every FHIR request. Prints markdown tables.
.DESCRIPTION
    Starts the test environment of the Pester suites (tests/Pester/TestEnvironment.ps1: the SecretManagement double,
    the module from out/FhirSecurity, the test server as a child process, here with --latency-ms), defines an OAuth
    connection 'c' that trusts the test CA bundle, and runs Invoke-FhirRequest -Connection c -Path Patient/pat-0001.

    Shapes (see docs/performance.md):
      Share    1..N | ForEach-Object -ThrottleLimit N -Parallel { Import-Module; foreach ($i in 1..(1000/N)) { ... } }
               Each of the N runspaces imports the module once and makes its share of the requests in a loop. The
               first request of every runspace (its connection resolve: the cold vault reads) is kept apart from the
               rest by two barriers, so cold and warm vault calls, tokens and throughput are measured separately.
      PerItem  1..1000 | ForEach-Object -ThrottleLimit N -Parallel { Import-Module; Invoke-FhirRequest ... }
               What a first try usually looks like: one script block per request, on runspaces that ForEach-Object
               reuses, so Import-Module runs per item (and finds the module loaded after the first) and every item
               pays ForEach-Object's per-item hand-off.
      Sleep    1..1000 | ForEach-Object -ThrottleLimit N -Parallel { Start-Sleep -Milliseconds <latency> }
               A control without the module or the server: what ForEach-Object -Parallel's per-item hand-off alone
               allows when every item waits as long as the server's added latency.
    The token cache is cleared before every row, so each row starts cold and needs exactly one token.
    Nothing here runs in the test suite; tests only check that this script parses.
.EXAMPLE
    dotnet tool run pwsh -NoProfile -File bench/pwsh/Measure-Parallel.ps1
.EXAMPLE
    dotnet tool run pwsh -NoProfile -File bench/pwsh/Measure-Parallel.ps1 -Shape Share -Repeat 3
#>
[CmdletBinding()]
param(
    [ValidateRange(8, 100000)]
    [int] $Requests = 1000,

    [ValidateRange(1, 64)]
    [int[]] $ThrottleLimit = @(1, 8),

    [ValidateRange(0, 60000)]
    [int] $LatencyMs = 20,

    [ValidateSet('Share', 'PerItem', 'Sleep')]
    [string[]] $Shape = @('Share', 'PerItem', 'Sleep'),

    # Rows run this many times each, alternated (every row once, then every row again).
    [ValidateRange(1, 20)]
    [int] $Repeat = 1
)

$ErrorActionPreference = 'Stop'
. (Join-Path $PSScriptRoot 'BenchCommon.ps1')

function Get-BenchCpu {
    # CPU time used so far by this pwsh process and by the test server process.
    param([System.Diagnostics.Process] $Server)
    $Server.Refresh()
    [pscustomobject]@{
        Client = [System.Diagnostics.Process]::GetCurrentProcess().TotalProcessorTime
        Server = $Server.TotalProcessorTime
        At     = [System.Diagnostics.Stopwatch]::GetTimestamp()
    }
}

function Measure-ShareRow {
    # N runspaces, each importing the module once and making its share of the requests in a loop.
    param([int] $N)
    $perRunspace = [math]::Floor($Requests / $N)
    $total = $perRunspace * $N
    $barrier = [System.Threading.Barrier]::new($N)
    $mark = [System.Collections.Concurrent.ConcurrentDictionary[string, object]]::new()
    $manifest = Get-FhirTestModuleManifest
    $vault = Get-FhirTestVaultName
    $server = $testEnv.Server

    Clear-FhirTokenCache -Confirm:$false
    $countersBefore = Get-BenchServerCounters -Client $http -Url $countersUrl
    [Microsoft.PowerShell.SecretManagement.TestVaults]::ResetCalls()
    $loadBefore = Get-BenchLoad
    $wall = [System.Diagnostics.Stopwatch]::StartNew()
    $perRunspaceResults = 1..$N | ForEach-Object -ThrottleLimit $N -Parallel {
        $barrier = $using:barrier
        $mark = $using:mark
        try {
            $started = [System.Diagnostics.Stopwatch]::GetTimestamp()
            Import-Module -Name $using:manifest -ErrorAction Stop
            $imported = [System.Diagnostics.Stopwatch]::GetTimestamp()
            # Cold: this runspace's first resolve reads the vault; the first runspace to ask also gets the token.
            $null = Invoke-FhirRequest -Connection c -Path Patient/pat-0001 -ErrorAction Stop
            $cold = [System.Diagnostics.Stopwatch]::GetTimestamp()
        }
        catch {
            $barrier.RemoveParticipant()
            throw
        }
        if (-not $barrier.SignalAndWait(300000)) { throw 'Timed out waiting for the other runspaces to finish their first request.' }
        if ($_ -eq 1) {
            # Everyone has made the cold request and no one has started the warm ones: split the counts here.
            $mark['vault'] = [Microsoft.PowerShell.SecretManagement.TestVaults]::Calls($using:vault)
            $mark['counters'] = ($using:http).GetStringAsync($using:countersUrl).GetAwaiter().GetResult() | ConvertFrom-Json
            $serverProcess = $using:server
            $serverProcess.Refresh()
            $mark['cpu'] = [pscustomobject]@{
                Client = [System.Diagnostics.Process]::GetCurrentProcess().TotalProcessorTime
                Server = $serverProcess.TotalProcessorTime
                At     = [System.Diagnostics.Stopwatch]::GetTimestamp()
            }
        }
        if (-not $barrier.SignalAndWait(300000)) { throw 'Timed out waiting for the split of cold and warm counts.' }
        for ($i = 1; $i -lt $using:perRunspace; $i++) {
            $null = Invoke-FhirRequest -Connection c -Path Patient/pat-0001 -ErrorAction Stop
        }
        [pscustomobject]@{
            Runspace = [runspace]::DefaultRunspace.InstanceId
            Import   = $imported - $started
            Cold     = $cold - $imported
            End      = [System.Diagnostics.Stopwatch]::GetTimestamp()
        }
    }
    $wall.Stop()
    $cpuAfter = Get-BenchCpu -Server $server
    $loadAfter = Get-BenchLoad
    $vaultTotal = [Microsoft.PowerShell.SecretManagement.TestVaults]::Calls($vault)
    $collisions = [Microsoft.PowerShell.SecretManagement.TestVaults]::Collisions
    $countersAfter = Get-BenchServerCounters -Client $http -Url $countersUrl
    $barrier.Dispose()

    $fhir = $countersAfter.fhirRequests - $countersBefore.fhirRequests
    if ($fhir -ne $total) { throw "The server saw $fhir FHIR requests, not $total." }
    $tick = [System.Diagnostics.Stopwatch]::Frequency
    $warmStart = $mark['cpu'].At
    $warmEnd = ($perRunspaceResults.End | Measure-Object -Maximum).Maximum
    $warmSeconds = ($warmEnd - $warmStart) / $tick
    $warmRequests = $total - $N
    $warmClientCpu = ($cpuAfter.Client - $mark['cpu'].Client).TotalMilliseconds
    $warmServerCpu = ($cpuAfter.Server - $mark['cpu'].Server).TotalMilliseconds
    [pscustomobject]@{
        Shape              = 'Share'
        ThrottleLimit      = $N
        Runspaces          = @($perRunspaceResults.Runspace | Select-Object -Unique).Count
        Requests           = $fhir
        WallSeconds        = $wall.Elapsed.TotalSeconds
        EndToEndPerSecond  = $fhir / $wall.Elapsed.TotalSeconds
        WarmRequests       = $warmRequests
        WarmSeconds        = $warmSeconds
        WarmPerSecond      = $warmRequests / $warmSeconds
        ImportMs           = (Get-BenchMedian -Values ($perRunspaceResults | ForEach-Object { $_.Import * 1000 / $tick }))
        ColdMs             = (Get-BenchMedian -Values ($perRunspaceResults | ForEach-Object { $_.Cold * 1000 / $tick }))
        TokenRequests      = $countersAfter.tokenRequests - $countersBefore.tokenRequests
        TokenRequestsWarm  = $countersAfter.tokenRequests - $mark['counters'].tokenRequests
        VaultCold          = $mark['vault'].Total
        VaultWarm          = $vaultTotal.Total - $mark['vault'].Total
        Collisions         = $collisions
        Connections        = $countersAfter.connectionsAccepted - $countersBefore.connectionsAccepted
        ClientCpuPerWarmMs = $warmClientCpu / $warmRequests
        ServerCpuPerWarmMs = $warmServerCpu / $warmRequests
        WarmCpuShare       = ($warmClientCpu + $warmServerCpu) / 1000 / $warmSeconds / [Environment]::ProcessorCount
        Load               = "$loadBefore / $loadAfter"
    }
}

function Measure-PerItemRow {
    # One script block per request: Import-Module and Invoke-FhirRequest in every item.
    param([int] $N)
    $manifest = Get-FhirTestModuleManifest
    $vault = Get-FhirTestVaultName
    $server = $testEnv.Server

    Clear-FhirTokenCache -Confirm:$false
    $countersBefore = Get-BenchServerCounters -Client $http -Url $countersUrl
    [Microsoft.PowerShell.SecretManagement.TestVaults]::ResetCalls()
    $loadBefore = Get-BenchLoad
    $cpuBefore = Get-BenchCpu -Server $server
    $wall = [System.Diagnostics.Stopwatch]::StartNew()
    $runspaces = 1..$Requests | ForEach-Object -ThrottleLimit $N -Parallel {
        Import-Module -Name $using:manifest -ErrorAction Stop
        $null = Invoke-FhirRequest -Connection c -Path Patient/pat-0001 -ErrorAction Stop
        [runspace]::DefaultRunspace.InstanceId
    }
    $wall.Stop()
    $cpuAfter = Get-BenchCpu -Server $server
    $loadAfter = Get-BenchLoad
    $vaultTotal = [Microsoft.PowerShell.SecretManagement.TestVaults]::Calls($vault)
    $collisions = [Microsoft.PowerShell.SecretManagement.TestVaults]::Collisions
    $countersAfter = Get-BenchServerCounters -Client $http -Url $countersUrl

    $fhir = $countersAfter.fhirRequests - $countersBefore.fhirRequests
    if ($fhir -ne $Requests) { throw "The server saw $fhir FHIR requests, not $Requests." }
    $clientCpu = ($cpuAfter.Client - $cpuBefore.Client).TotalMilliseconds
    $serverCpu = ($cpuAfter.Server - $cpuBefore.Server).TotalMilliseconds
    [pscustomobject]@{
        Shape              = 'PerItem'
        ThrottleLimit      = $N
        Runspaces          = @($runspaces | Select-Object -Unique).Count
        Requests           = $fhir
        WallSeconds        = $wall.Elapsed.TotalSeconds
        EndToEndPerSecond  = $fhir / $wall.Elapsed.TotalSeconds
        TokenRequests      = $countersAfter.tokenRequests - $countersBefore.tokenRequests
        VaultTotal         = $vaultTotal.Total
        Collisions         = $collisions
        Connections        = $countersAfter.connectionsAccepted - $countersBefore.connectionsAccepted
        ClientCpuPerMs     = $clientCpu / $fhir
        ServerCpuPerMs     = $serverCpu / $fhir
        CpuShare           = ($clientCpu + $serverCpu) / 1000 / $wall.Elapsed.TotalSeconds / [Environment]::ProcessorCount
        Load               = "$loadBefore / $loadAfter"
    }
}

function Measure-SleepRow {
    # The control: ForEach-Object -Parallel items that only wait, no module, no server.
    param([int] $N)
    $loadBefore = Get-BenchLoad
    $cpuBefore = Get-BenchCpu -Server $testEnv.Server
    $wall = [System.Diagnostics.Stopwatch]::StartNew()
    $runspaces = 1..$Requests | ForEach-Object -ThrottleLimit $N -Parallel {
        Start-Sleep -Milliseconds $using:LatencyMs
        [runspace]::DefaultRunspace.InstanceId
    }
    $wall.Stop()
    $cpuAfter = Get-BenchCpu -Server $testEnv.Server
    $clientCpu = ($cpuAfter.Client - $cpuBefore.Client).TotalMilliseconds
    [pscustomobject]@{
        Shape             = 'Sleep'
        ThrottleLimit     = $N
        Runspaces         = @($runspaces | Select-Object -Unique).Count
        WallSeconds       = $wall.Elapsed.TotalSeconds
        EndToEndPerSecond = $Requests / $wall.Elapsed.TotalSeconds
        ClientCpuPerMs    = $clientCpu / $Requests
        CpuShare          = $clientCpu / 1000 / $wall.Elapsed.TotalSeconds / [Environment]::ProcessorCount
        Load              = "$loadBefore / $(Get-BenchLoad)"
    }
}

$testEnv = Start-FhirTestEnvironment -ServerArgument '--latency-ms', $LatencyMs
try {
    $info = $testEnv.Info
    $countersUrl = $info.countersUrl
    $http = New-BenchHttpClient -CaBundleFile $info.caBundleFile
    $null = Import-FhirCaBundle -Name test-ca -Path $info.caBundleFile -InformationAction Ignore
    New-FhirOAuth -Name bench-oauth -TokenUrl $info.tokenEndpoint -ClientId $info.oauthClientId `
        -ClientSecret (New-FhirTestSecureString $info.oauthClientSecret) -Scope ($info.oauthScopes -split ' ')
    New-FhirConnection -Name c -BaseUri $info.oauthBase -OAuth bench-oauth -CaBundle test-ca

    Write-Output "# ForEach-Object -Parallel: $Requests GETs, $LatencyMs ms server latency per FHIR request"
    Write-Output ''
    Write-BenchMachine
    Write-Output ''

    # Untimed: JIT-warms this process's side of the module and the server's before the first row.
    $null = Invoke-FhirRequest -Connection c -Path Patient/pat-0001

    $rows = foreach ($round in 1..$Repeat) {
        foreach ($kind in $Shape) {
            foreach ($n in $ThrottleLimit) {
                Write-Host "round $round, $kind, ThrottleLimit $n ..."
                switch ($kind) {
                    'Share' { Measure-ShareRow -N $n }
                    'PerItem' { Measure-PerItemRow -N $n }
                    'Sleep' { Measure-SleepRow -N $n }
                }
            }
        }
    }

    $share = @($rows | Where-Object Shape -EQ 'Share')
    if ($share) {
        Write-Output '## Share: N runspaces, each imports once and loops over its share'
        Write-Output ''
        Write-Output '| ThrottleLimit | runspaces | warm requests/s | end-to-end requests/s (import, cold included) | wall | import (median) | first request (median) | token requests (warm part) | vault calls cold / warm | vault collisions | TCP connections | client / server CPU per warm request | CPU busy, warm part | load avg before / after |'
        Write-Output '|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---|'
        foreach ($r in $share) {
            Write-Output ("| {0} | {1} | **{2}** | {3} | {4} s | {5} ms | {6} ms | **{7}** ({8}) | {9} / **{10}** | {11} | {12} | {13} / {14} ms | {15} % | {16} |" -f
                $r.ThrottleLimit, $r.Runspaces, (Format-BenchNumber $r.WarmPerSecond), (Format-BenchNumber $r.EndToEndPerSecond),
                (Format-BenchNumber $r.WallSeconds 'N2'), (Format-BenchNumber $r.ImportMs), (Format-BenchNumber $r.ColdMs),
                $r.TokenRequests, $r.TokenRequestsWarm, $r.VaultCold, $r.VaultWarm, $r.Collisions, $r.Connections,
                (Format-BenchNumber $r.ClientCpuPerWarmMs 'N2'), (Format-BenchNumber $r.ServerCpuPerWarmMs 'N2'),
                (Format-BenchNumber ($r.WarmCpuShare * 100)), $r.Load)
        }
        Write-Output ''
    }

    $perItem = @($rows | Where-Object Shape -EQ 'PerItem')
    if ($perItem) {
        Write-Output '## PerItem: one script block (Import-Module + one request) per item'
        Write-Output ''
        Write-Output '| ThrottleLimit | runspaces used | requests/s | wall | token requests | vault calls (all) | vault collisions | TCP connections | client / server CPU per request | CPU busy | load avg before / after |'
        Write-Output '|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---|'
        foreach ($r in $perItem) {
            Write-Output ("| {0} | {1} | **{2}** | {3} s | **{4}** | {5} | {6} | {7} | {8} / {9} ms | {10} % | {11} |" -f
                $r.ThrottleLimit, $r.Runspaces, (Format-BenchNumber $r.EndToEndPerSecond), (Format-BenchNumber $r.WallSeconds 'N2'),
                $r.TokenRequests, $r.VaultTotal, $r.Collisions, $r.Connections,
                (Format-BenchNumber $r.ClientCpuPerMs 'N2'), (Format-BenchNumber $r.ServerCpuPerMs 'N2'), (Format-BenchNumber ($r.CpuShare * 100)), $r.Load)
        }
        Write-Output ''
    }

    $sleep = @($rows | Where-Object Shape -EQ 'Sleep')
    if ($sleep) {
        Write-Output "## Sleep (control): one script block per item that only waits $LatencyMs ms; no module, no server"
        Write-Output ''
        Write-Output '| ThrottleLimit | runspaces used | items/s | wall | client CPU per item | CPU busy (client) | load avg before / after |'
        Write-Output '|---:|---:|---:|---:|---:|---:|---|'
        foreach ($r in $sleep) {
            Write-Output ("| {0} | {1} | **{2}** | {3} s | {4} ms | {5} % | {6} |" -f
                $r.ThrottleLimit, $r.Runspaces, (Format-BenchNumber $r.EndToEndPerSecond), (Format-BenchNumber $r.WallSeconds 'N2'),
                (Format-BenchNumber $r.ClientCpuPerMs 'N2'), (Format-BenchNumber ($r.CpuShare * 100)), $r.Load)
        }
        Write-Output ''
    }

    # The ratio of the largest ThrottleLimit to the smallest, per shape and round (target: 8 at least 6x 1).
    $low = ($ThrottleLimit | Measure-Object -Minimum).Minimum
    $high = ($ThrottleLimit | Measure-Object -Maximum).Maximum
    if ($low -ne $high) {
        Write-Output "## Ratio: ThrottleLimit $high over $low (target for 8 over 1: at least 6x)"
        Write-Output ''
        Write-Output '| shape | round | figure | ratio |'
        Write-Output '|---|---:|---|---:|'
        $perShape = @($rows | Group-Object Shape | Sort-Object { $Shape.IndexOf($_.Name) })
        foreach ($group in $perShape) {
            $byRound = @($group.Group)
            $count = $byRound.Count / $ThrottleLimit.Count
            for ($i = 0; $i -lt $count; $i++) {
                $slice = $byRound[($i * $ThrottleLimit.Count)..(($i + 1) * $ThrottleLimit.Count - 1)]
                $a = $slice | Where-Object ThrottleLimit -EQ $low
                $b = $slice | Where-Object ThrottleLimit -EQ $high
                if ($group.Name -eq 'Share') {
                    Write-Output "| Share | $($i + 1) | warm requests/s | **$(Format-BenchNumber ($b.WarmPerSecond / $a.WarmPerSecond) 'N2')x** |"
                    Write-Output "| Share | $($i + 1) | end-to-end requests/s | $(Format-BenchNumber ($b.EndToEndPerSecond / $a.EndToEndPerSecond) 'N2')x |"
                }
                else {
                    Write-Output "| $($group.Name) | $($i + 1) | requests/s | $(Format-BenchNumber ($b.EndToEndPerSecond / $a.EndToEndPerSecond) 'N2')x |"
                }
            }
        }
        Write-Output ''
    }
    Write-Output "load average at end: $(Get-BenchLoad)"
}
finally {
    if ($http) { $http.Dispose() }
    Get-FhirConnection -ErrorAction SilentlyContinue | Remove-FhirConnection -Confirm:$false -ErrorAction SilentlyContinue
    Stop-FhirTestEnvironment $testEnv
}
