#Requires -Version 7.4
<#
.SYNOPSIS
    Runs the Pester suites in tests/Pester with the Pester that build/TestTools restored, and fails unless every
    test ran and passed.
.DESCRIPTION
    build.ps1 -Task Test starts this script in the pinned .NET-tool pwsh (.config/dotnet-tools.json), after
    dotnet test has built the module, the test server and the SecretManagement double. A skipped or not-run test
    counts as a failure: a missing prerequisite must not pass quietly. The last line is "Pester: N passed, N failed".
.PARAMETER Path
    Suites to run, files or folders; every suite in tests/Pester when omitted.
.PARAMETER SecretManagement
    Double (default): the repository's SecretManagement test double. Installed: the SecretManagement and
    SecretStore modules found on PSModulePath (for a check against the real modules by hand).
#>
[CmdletBinding()]
param(
    [ValidateSet('Double', 'Installed')]
    [string] $SecretManagement = 'Double',

    [ValidateSet('None', 'Normal', 'Detailed', 'Diagnostic')]
    [string] $Verbosity = 'Detailed',

    # Suites to run (files or folders); every suite in tests/Pester when omitted.
    [string[]] $Path
)

$ErrorActionPreference = 'Stop'
$root = Split-Path -Parent $PSScriptRoot
$pesterRoot = Join-Path $root 'out/TestModules/Pester'
$manifest = Get-ChildItem -Path $pesterRoot -Filter Pester.psd1 -Recurse -File -ErrorAction SilentlyContinue |
    Select-Object -First 1
if (-not $manifest) {
    throw "Pester is not restored under ${pesterRoot}: run 'dotnet build FhirSecurity.sln' (build/TestTools) first."
}
Import-Module -Name $manifest.FullName -Force

$env:FHIRSECURITY_PESTER_SECRETMANAGEMENT = $SecretManagement
$configuration = New-PesterConfiguration
# pwsh -File passes "a,b" as one string.
$configuration.Run.Path = if ($Path) { $Path -split ',' } else { Join-Path $root 'tests/Pester' }
$configuration.Run.PassThru = $true
$configuration.Output.Verbosity = $Verbosity
$result = Invoke-Pester -Configuration $configuration
if (-not $result) {
    Write-Host 'Pester: 0 passed, 1 failed'
    [Console]::Error.WriteLine('Invoke-Pester returned no result: it could not run the suites.')
    exit 1
}

# A block whose BeforeAll failed fails its tests; a container that did not load counts once.
$failed = $result.FailedCount + $result.FailedBlocksCount + $result.FailedContainersCount
$skipped = $result.SkippedCount + $result.NotRunCount
Write-Host "Pester ($SecretManagement): $($result.PassedCount) passed, $failed failed, $skipped skipped or not run"
Write-Host "Pester: $($result.PassedCount) passed, $($failed + $skipped) failed"
if ($result.PassedCount -eq 0 -or $failed -gt 0 -or $skipped -gt 0) { exit 1 }
exit 0
