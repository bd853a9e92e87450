#Requires -Version 7.4
<#
.SYNOPSIS
    Builds, tests, packages or cleans FhirSecurity.
.DESCRIPTION
    A convenience for pwsh users. Every task runs the same dotnet commands that README.md gives, so the build
    works the same where pwsh is absent.
      Build    dotnet build: lays out the importable module in out/FhirSecurity.
      Test     dotnet test (xunit: engine tests and cmdlet tests in a hosted PowerShell), then the Pester 5
               suites in tests/Pester in the pinned pwsh (.config/dotnet-tools.json, restored here), with the
               Pester that build/TestTools restores from NuGet. Fails when any test fails, is skipped or none ran;
               the last line is "N passed, N failed" over both.
      Pester   only the Pester part of Test, on what is built (-PesterPath picks suites).
      Package  dotnet pack build/FhirSecurity.Package.csproj -c Release: builds the module into out/FhirSecurity, then
               writes out/FhirSecurity.<version>.nupkg (module files at the package root, tags and metadata
               from the manifest), which Publish-PSResource -NupkgPath and Install-PSResource accept.
      Clean    removes out/ and every bin/ and obj/ folder.
.PARAMETER PesterPath
    For -Task Pester: the suites to run (files or folders); every suite in tests/Pester when omitted.
.PARAMETER SecretManagement
    For -Task Test and Pester: Double (default) runs the Pester suites against the repository's SecretManagement test
    double; Installed runs them against the SecretManagement and SecretStore modules on PSModulePath.
.EXAMPLE
    dotnet tool restore; dotnet tool run pwsh -NoProfile -File ./build.ps1 -Task Test
.EXAMPLE
    $env:PSModulePath = '/opt/psmodules'; ./build.ps1 -Task Test -SecretManagement Installed
#>
[CmdletBinding()]
param(
    [ValidateSet('Build', 'Test', 'Pester', 'Package', 'Clean')]
    [string] $Task = 'Build',

    [ValidateSet('Debug', 'Release')]
    [string] $Configuration = 'Debug',

    [ValidateSet('Double', 'Installed')]
    [string] $SecretManagement = 'Double',

    [string[]] $PesterPath
)

$ErrorActionPreference = 'Stop'
Set-StrictMode -Version Latest
$root = $PSScriptRoot
$solution = Join-Path $root 'FhirSecurity.sln'

function Invoke-Dotnet {
    param([Parameter(ValueFromRemainingArguments)] [string[]] $Arguments)
    Write-Verbose "dotnet $Arguments"
    & dotnet @Arguments
    if ($LASTEXITCODE -ne 0) { throw "dotnet $($Arguments -join ' ') failed with exit code $LASTEXITCODE." }
}

function Invoke-PesterSuite {
    # The pinned pwsh, started through the .NET tool host (its process is dotnet, not pwsh), so the suites run in the
    # PowerShell users have, whichever pwsh runs this script. Returns the counts its last line gives.
    $counts = @{ Passed = 0; Failed = 0; Exit = 0 }
    $runner = Join-Path $root 'build/Invoke-PesterSuites.ps1'
    $pathArguments = if ($PesterPath) { @('-Path', ($PesterPath -join ',')) } else { @() }
    Push-Location $root
    try {
        Invoke-Dotnet tool restore | Out-Host
        & dotnet tool run pwsh -NoProfile -NonInteractive -File $runner -SecretManagement $SecretManagement @pathArguments 2>&1 |
            ForEach-Object {
                $line = "$_"
                Write-Host $line
                if ($line -match '^Pester: (\d+) passed, (\d+) failed$') {
                    $counts.Passed = [int]$Matches[1]
                    $counts.Failed = [int]$Matches[2]
                }
            }
        $counts.Exit = $LASTEXITCODE
    }
    finally {
        Pop-Location
    }
    $counts
}

switch ($Task) {
    'Build' {
        Invoke-Dotnet build $solution -c $Configuration
    }
    'Test' {
        Push-Location $root
        try {
            # The whole solution, not only what the test projects reference: build/TestTools restores Pester.
            Invoke-Dotnet build $solution -c $Configuration
            # dotnet test prints one summary line per test assembly ("Failed: n, Passed: n, ..."): add them up.
            $xunit = @{ Passed = 0; Failed = 0 }
            & dotnet test $solution -c $Configuration --no-build 2>&1 | ForEach-Object {
                $line = "$_"
                Write-Host $line
                if ($line -match 'Failed:\s+(\d+), Passed:\s+(\d+)') {
                    $xunit.Failed += [int]$Matches[1]
                    $xunit.Passed += [int]$Matches[2]
                }
            }
            $xunitExit = $LASTEXITCODE

            $pester = Invoke-PesterSuite
            $pesterExit = $pester.Exit
        }
        finally {
            Pop-Location
        }

        $passed = $xunit.Passed + $pester.Passed
        $failed = $xunit.Failed + $pester.Failed
        Write-Host "xunit: $($xunit.Passed) passed, $($xunit.Failed) failed (exit code $xunitExit)"
        Write-Host "Pester: $($pester.Passed) passed, $($pester.Failed) failed (exit code $pesterExit)"
        Write-Host "$passed passed, $failed failed"
        if ($xunitExit -ne 0 -or $pesterExit -ne 0 -or $failed -gt 0 -or $xunit.Passed -eq 0 -or $pester.Passed -eq 0) {
            # Not a throw: the count line stays the last line of the output.
            [Console]::Error.WriteLine("Tests failed: xunit exit code $xunitExit, Pester exit code $pesterExit.")
            exit 1
        }
    }
    'Pester' {
        $pester = Invoke-PesterSuite
        if ($pester.Exit -ne 0 -or $pester.Failed -gt 0 -or $pester.Passed -eq 0) { exit 1 }
    }
    'Package' {
        Invoke-Dotnet pack (Join-Path $root 'build/FhirSecurity.Package.csproj') -c Release
    }
    'Clean' {
        Remove-Item -Recurse -Force -ErrorAction SilentlyContinue (Join-Path $root 'out')
        Get-ChildItem -Path (Join-Path $root 'src'), (Join-Path $root 'tests'), (Join-Path $root 'bench') -Directory -Recurse -Include bin, obj -ErrorAction SilentlyContinue |
            Remove-Item -Recurse -Force
    }
}
