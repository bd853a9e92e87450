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
      (r) the same with -Raw: the answer as text, no object built
      (b) $null = $client.GetStringAsync($url).GetAwaiter().GetResult()
          $client: one pooled HttpClient (SocketsHttpHandler) that trusts the test CA through a validation callback
          building the chain against the bundle, with a bearer token this script got from the token endpoint once
          (client credentials, the demo client); $url: the same URL as (a).
      (c) (b) | ConvertFrom-Json
      (d) $null = Invoke-BenchEmptyCmdlet -Connection c -Path Patient/pat-0001: a compiled cmdlet (Add-Type) with
          Invoke-FhirRequest's parameters and an empty ProcessRecord, PowerShell's own cost of a cmdlet call in a
          loop (the part of (a) no module can remove)
      (e) (b), then (d), in each pass: a raw GET with any cmdlet call around it, the floor under (r)
    Every row runs 3 x -Calls times untimed first (JIT tiering and the thread pool settle); then -Rounds rounds, every
    row once per round, the starting row rotated from round to round, so load from other processes falls on all rows
    alike. Reports medians over the rounds and the ratios taken within each round, and the bytes allocated per call
    in this process (all threads: [GC]::GetTotalAllocatedBytes($true) over the row's loop).
    Nothing here runs in the test suite; tests only check that this script parses.
.EXAMPLE
    dotnet tool run pwsh -NoProfile -File bench/pwsh/Measure-ScriptLoop.ps1
#>
[CmdletBinding()]
param(
    [ValidateRange(1, 100)]
    [int] $Rounds = 10,

    [ValidateRange(10, 100000)]
    [int] $Calls = 1000,

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
    Import-BenchEmptyCmdlet
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
        [pscustomobject]@{ Id = 'r'; Name = '(r) (a) with `-Raw`'
            Loop = { foreach ($i in 1..$Calls) { $null = Invoke-FhirRequest -Connection c -Path Patient/pat-0001 -Raw } } }
        [pscustomobject]@{ Id = 'b'; Name = '(b) pooled HttpClient `GetStringAsync(url).GetAwaiter().GetResult()`, bearer token'
            Loop = { foreach ($i in 1..$Calls) { $null = $client.GetStringAsync($url).GetAwaiter().GetResult() } } }
        [pscustomobject]@{ Id = 'c'; Name = '(c) (b) piped to `ConvertFrom-Json`'
            Loop = { foreach ($i in 1..$Calls) { $null = $client.GetStringAsync($url).GetAwaiter().GetResult() | ConvertFrom-Json } } }
        [pscustomobject]@{ Id = 'd'; Name = '(d) `Invoke-BenchEmptyCmdlet -Connection c -Path Patient/pat-0001`: a cmdlet that does nothing'
            Loop = { foreach ($i in 1..$Calls) { $null = Invoke-BenchEmptyCmdlet -Connection c -Path Patient/pat-0001 } } }
        [pscustomobject]@{ Id = 'e'; Name = '(e) (b), then (d), in each pass'
            Loop = { foreach ($i in 1..$Calls) {
                    $null = $client.GetStringAsync($url).GetAwaiter().GetResult()
                    $null = Invoke-BenchEmptyCmdlet -Connection c -Path Patient/pat-0001 } } }
    )

    Write-Output "# Script loop: $Calls calls per row and round, $Rounds rounds, $Base base, no server latency"
    Write-Output ''
    Write-BenchMachine
    Write-Output ''

    # Untimed warm-up: JIT and its tiering, the thread pool, the pooled connections, the token cache, the resolved
    # connection. One pass per row leaves the first rounds slower than the rest; three are enough here.
    foreach ($pass in 1..3) { foreach ($row in $rows) { & $row.Loop } }
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
    # Each ratio: numerator row, denominator row, what it says.
    $ratioRows = @(
        @('a', 'b', 'ours against a raw GET'), @('a', 'c', 'ours against a raw GET piped to ConvertFrom-Json'),
        @('r', 'b', '-Raw against a raw GET'), @('r', 'e', '-Raw against a raw GET with any cmdlet call around it'),
        @('a', 'e', 'ours against a raw GET with any cmdlet call around it'))
    $ratios = @{}
    foreach ($ratio in $ratioRows) { $ratios[$ratio[0] + $ratio[1]] = [System.Collections.Generic.List[double]]::new() }
    $watch = [System.Diagnostics.Stopwatch]::new()
    for ($round = 0; $round -lt $Rounds; $round++) {
        $thisRound = @{}
        for ($k = 0; $k -lt $rows.Count; $k++) {
            $row = $rows[($round + $k) % $rows.Count]
            $self.Refresh()
            $server.Refresh()
            $clientBefore = $self.TotalProcessorTime
            $serverBefore = $server.TotalProcessorTime
            $bytesBefore = [GC]::GetTotalAllocatedBytes($true)
            $watch.Restart()
            & $row.Loop
            $watch.Stop()
            $allocated[$row.Id].Add(([GC]::GetTotalAllocatedBytes($true) - $bytesBefore) / $Calls)
            $self.Refresh()
            $server.Refresh()
            $thisRound[$row.Id] = $watch.Elapsed.TotalMilliseconds * 1000 / $Calls
            $perCall[$row.Id].Add($thisRound[$row.Id])
            $clientCpu[$row.Id].Add(($self.TotalProcessorTime - $clientBefore).TotalMilliseconds * 1000 / $Calls)
            $serverCpu[$row.Id].Add(($server.TotalProcessorTime - $serverBefore).TotalMilliseconds * 1000 / $Calls)
        }
        foreach ($ratio in $ratioRows) {
            $ratios[$ratio[0] + $ratio[1]].Add($thisRound[$ratio[0]] / $thisRound[$ratio[1]])
        }
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
    foreach ($ratio in $ratioRows) {
        $values = $ratios[$ratio[0] + $ratio[1]]
        Write-Output ("| ({0}) / ({1}): {2} | **{3}x** | {4} - {5} |" -f $ratio[0], $ratio[1], $ratio[2],
            (Format-BenchNumber (Get-BenchMedian $values) 'N2'), (Format-BenchNumber (Get-BenchQuantile $values 0.25) 'N2'),
            (Format-BenchNumber (Get-BenchQuantile $values 0.75) 'N2'))
    }
    Write-Output ''
    Write-Output "load average before / after the timed rounds: $loadBefore / $loadAfter"
}
finally {
    if ($client) { $client.Dispose() }
    Get-FhirConnection -ErrorAction SilentlyContinue | Remove-FhirConnection -Confirm:$false -ErrorAction SilentlyContinue
    Stop-FhirTestEnvironment $testEnv
}
