#Requires -Version 7.4
<#
.SYNOPSIS
    The per-call cost of Invoke-FhirRequest in a script loop in real pwsh, against a pooled HttpClient doing the same
    GET, in one warm process. Prints markdown tables.
.DESCRIPTION
    Starts the test environment of the Pester suites (tests/Pester/TestEnvironment.ps1; no added server latency) and
    defines an OAuth connection 'c' that trusts the test CA bundle, on -Base: Floor (default), the server's
    /floor/fhir/ base that answers a fixed Patient with no work of its own (no Firely, store, auth check or logging),
    or OAuth, the OAuth base (token checked, the Patient read from the store and written by the server's JSON code).
    Rows, each a foreach loop of -Calls calls:
      (a) $null = Invoke-FhirRequest -Connection c -Path Patient/pat-0001
      (b) $null = $client.GetStringAsync($url).GetAwaiter().GetResult()
          $client: one pooled HttpClient (SocketsHttpHandler) that trusts the test CA through a validation callback
          building the chain against the bundle, with a bearer token this script got from the token endpoint once
          (client credentials, the demo client); $url: the same OAuth-base URL as (a).
      (c) (b) | ConvertFrom-Json
      (d) $null = Get-Variable -Name i -ValueOnly: a compiled cmdlet that does next to nothing, PowerShell's own
          cost of a cmdlet call in a loop (the part of (a) no module can remove)
    Every row runs -Calls times untimed first; then -Rounds rounds, every row once per round, the starting row rotated
    from round to round, so load from other processes falls on all rows alike. Reports medians over the rounds and
    the ratios (a)/(b) and (a)/(c) taken within each round, and the bytes allocated per call in this process (all
    threads: [GC]::GetTotalAllocatedBytes over the row's loop).
    Nothing here runs in the test suite; tests only check that this script parses.
.EXAMPLE
    dotnet tool run pwsh -NoProfile -File bench/pwsh/Measure-ScriptLoop.ps1
#>
[CmdletBinding()]
param(
    [ValidateRange(1, 100)]
    [int] $Rounds = 10,

    [ValidateRange(10, 100000)]
    [int] $Calls = 300,

    [ValidateSet('Floor', 'OAuth')]
    [string] $Base = 'Floor'
)

$ErrorActionPreference = 'Stop'
. (Join-Path $PSScriptRoot 'BenchCommon.ps1')

$testEnv = Start-FhirTestEnvironment
try {
    $info = $testEnv.Info
    $null = Import-FhirCaBundle -Name test-ca -Path $info.caBundleFile -InformationAction Ignore
    New-FhirOAuth -Name bench-oauth -TokenUrl $info.tokenEndpoint -ClientId $info.oauthClientId `
        -ClientSecret (New-FhirTestSecureString $info.oauthClientSecret) -Scope ($info.oauthScopes -split ' ')
    $baseUri = if ($Base -eq 'Floor') { $info.floorBase } else { $info.oauthBase }
    New-FhirConnection -Name c -BaseUri $baseUri -OAuth bench-oauth -CaBundle test-ca

    $url = [Uri]::new([Uri]$baseUri, 'Patient/pat-0001').AbsoluteUri
    $client = New-BenchHttpClient -CaBundleFile $info.caBundleFile
    $fields = [System.Collections.Generic.Dictionary[string, string]]::new()
    $fields['grant_type'] = 'client_credentials'
    $fields['client_id'] = $info.oauthClientId
    $fields['client_secret'] = $info.oauthClientSecret
    $fields['scope'] = $info.oauthScopes
    $form = [System.Net.Http.FormUrlEncodedContent]::new($fields)
    $tokenResponse = $client.PostAsync($info.tokenEndpoint, $form).GetAwaiter().GetResult()
    $null = $tokenResponse.EnsureSuccessStatusCode()
    $token = ($tokenResponse.Content.ReadAsStringAsync().GetAwaiter().GetResult() | ConvertFrom-Json).access_token
    $client.DefaultRequestHeaders.Authorization = [System.Net.Http.Headers.AuthenticationHeaderValue]::new('Bearer', $token)

    # The loops are script blocks so each row is one foreach statement, as in a runbook; the call count is a variable
    # of this scope that they read.
    $rows = @(
        [pscustomobject]@{ Id = 'a'; Name = '(a) `Invoke-FhirRequest -Connection c -Path Patient/pat-0001`'
            Loop = { foreach ($i in 1..$Calls) { $null = Invoke-FhirRequest -Connection c -Path Patient/pat-0001 } } }
        [pscustomobject]@{ Id = 'b'; Name = '(b) pooled HttpClient `GetStringAsync(url).GetAwaiter().GetResult()`, bearer token'
            Loop = { foreach ($i in 1..$Calls) { $null = $client.GetStringAsync($url).GetAwaiter().GetResult() } } }
        [pscustomobject]@{ Id = 'c'; Name = '(c) (b) piped to `ConvertFrom-Json`'
            Loop = { foreach ($i in 1..$Calls) { $null = $client.GetStringAsync($url).GetAwaiter().GetResult() | ConvertFrom-Json } } }
        [pscustomobject]@{ Id = 'd'; Name = '(d) `Get-Variable -Name i -ValueOnly`: a cmdlet call that does nothing'
            Loop = { foreach ($i in 1..$Calls) { $null = Get-Variable -Name i -ValueOnly } } }
    )

    Write-Output "# Script loop: $Calls calls per row and round, $Rounds rounds, $Base base, no server latency"
    Write-Output ''
    Write-BenchMachine
    Write-Output ''

    # Untimed warm-up: JIT, the pooled connections, the token cache, the resolved connection.
    foreach ($row in $rows) { & $row.Loop }
    $check = Invoke-FhirRequest -Connection c -Path Patient/pat-0001
    if ($check.id -ne 'pat-0001') { throw "Invoke-FhirRequest returned $($check.id), not pat-0001." }
    if (($client.GetStringAsync($url).GetAwaiter().GetResult() | ConvertFrom-Json).id -ne 'pat-0001') { throw 'The raw GET did not return pat-0001.' }

    $loadBefore = Get-BenchLoad
    $perCall = @{}
    $clientCpu = @{}
    $serverCpu = @{}
    $allocated = @{}
    foreach ($row in $rows) {
        $allocated[$row.Id] = [System.Collections.Generic.List[double]]::new()
        $perCall[$row.Id] = [System.Collections.Generic.List[double]]::new()
        $clientCpu[$row.Id] = [System.Collections.Generic.List[double]]::new()
        $serverCpu[$row.Id] = [System.Collections.Generic.List[double]]::new()
    }
    $self = [System.Diagnostics.Process]::GetCurrentProcess()
    $server = $testEnv.Server
    $ratioB = [System.Collections.Generic.List[double]]::new()
    $ratioC = [System.Collections.Generic.List[double]]::new()
    $ratioBD = [System.Collections.Generic.List[double]]::new()
    $watch = [System.Diagnostics.Stopwatch]::new()
    for ($round = 0; $round -lt $Rounds; $round++) {
        $thisRound = @{}
        for ($k = 0; $k -lt $rows.Count; $k++) {
            $row = $rows[($round + $k) % $rows.Count]
            $self.Refresh()
            $server.Refresh()
            $clientBefore = $self.TotalProcessorTime
            $serverBefore = $server.TotalProcessorTime
            $bytesBefore = [GC]::GetTotalAllocatedBytes($false)
            $watch.Restart()
            & $row.Loop
            $watch.Stop()
            $allocated[$row.Id].Add(([GC]::GetTotalAllocatedBytes($false) - $bytesBefore) / $Calls)
            $self.Refresh()
            $server.Refresh()
            $thisRound[$row.Id] = $watch.Elapsed.TotalMilliseconds * 1000 / $Calls
            $perCall[$row.Id].Add($thisRound[$row.Id])
            $clientCpu[$row.Id].Add(($self.TotalProcessorTime - $clientBefore).TotalMilliseconds * 1000 / $Calls)
            $serverCpu[$row.Id].Add(($server.TotalProcessorTime - $serverBefore).TotalMilliseconds * 1000 / $Calls)
        }
        $ratioB.Add($thisRound.a / $thisRound.b)
        $ratioC.Add($thisRound.a / $thisRound.c)
        $ratioBD.Add($thisRound.a / ($thisRound.b + $thisRound.d))
    }
    $loadAfter = Get-BenchLoad

    Write-Output "## Per call, median of $Rounds rounds (CPU: process CPU time over the row's loop, all threads)"
    Write-Output ''
    Write-Output '| row | median per call | middle half | best round | client CPU per call | server CPU per call | allocated per call |'
    Write-Output '|---|---:|---:|---:|---:|---:|---:|'
    foreach ($row in $rows) {
        $values = $perCall[$row.Id]
        Write-Output ("| {0} | {1} us | {2} - {3} us | {4} us | {5} us | {6} us | {7} KB |" -f $row.Name, (Format-BenchNumber (Get-BenchMedian $values)),
            (Format-BenchNumber (Get-BenchQuantile $values 0.25)), (Format-BenchNumber (Get-BenchQuantile $values 0.75)),
            (Format-BenchNumber (Get-BenchQuantile $values 0)),
            (Format-BenchNumber (Get-BenchMedian $clientCpu[$row.Id])), (Format-BenchNumber (Get-BenchMedian $serverCpu[$row.Id])),
            (Format-BenchNumber ((Get-BenchMedian $allocated[$row.Id]) / 1024) 'N1'))
    }
    Write-Output ''
    Write-Output '| ratio, within each round | median | middle half |'
    Write-Output '|---|---:|---:|'
    Write-Output ("| (a) / (b) | **{0}x** | {1} - {2} |" -f (Format-BenchNumber (Get-BenchMedian $ratioB) 'N2'),
        (Format-BenchNumber (Get-BenchQuantile $ratioB 0.25) 'N2'), (Format-BenchNumber (Get-BenchQuantile $ratioB 0.75) 'N2'))
    Write-Output ("| (a) / (c) | **{0}x** | {1} - {2} |" -f (Format-BenchNumber (Get-BenchMedian $ratioC) 'N2'),
        (Format-BenchNumber (Get-BenchQuantile $ratioC 0.25) 'N2'), (Format-BenchNumber (Get-BenchQuantile $ratioC 0.75) 'N2'))
    Write-Output ("| (a) / ((b) + (d)): against a raw GET plus any cmdlet call | {0}x | {1} - {2} |" -f
        (Format-BenchNumber (Get-BenchMedian $ratioBD) 'N2'), (Format-BenchNumber (Get-BenchQuantile $ratioBD 0.25) 'N2'),
        (Format-BenchNumber (Get-BenchQuantile $ratioBD 0.75) 'N2'))
    # The best round of each row is the one other processes disturbed least; on a shared machine its ratio is
    # the steadier figure when the middle halves are wide.
    $best = @{}
    foreach ($row in $rows) { $best[$row.Id] = Get-BenchQuantile $perCall[$row.Id] 0 }
    Write-Output ("| (a) / (b), best rounds | {0}x | |" -f (Format-BenchNumber ($best.a / $best.b) 'N2'))
    Write-Output ("| (a) / (c), best rounds | {0}x | |" -f (Format-BenchNumber ($best.a / $best.c) 'N2'))
    Write-Output ''
    Write-Output "load average before / after the timed rounds: $loadBefore / $loadAfter"
}
finally {
    if ($client) { $client.Dispose() }
    Get-FhirConnection -ErrorAction SilentlyContinue | Remove-FhirConnection -Confirm:$false -ErrorAction SilentlyContinue
    Stop-FhirTestEnvironment $testEnv
}
