#Requires -Version 7.4
<#
.SYNOPSIS
    Builds, tests, packages or cleans FhirSecurity.
.DESCRIPTION
    A convenience for pwsh users. Every task runs the same dotnet commands that README.md gives, so the build
    works the same where pwsh is absent.
      Build    dotnet build: lays out the importable module in out/FhirSecurity.
      Test     dotnet test (xunit: engine tests and cmdlet tests in a hosted PowerShell), then the Pester 5
               suites in tests/Pester, in a child pwsh, when Pester 5 is importable.
      Package  dotnet pack build/FhirSecurity.Package.csproj -c Release: builds the module into out/FhirSecurity, then
               writes out/FhirSecurity.<version>.nupkg (module files at the package root, tags and metadata
               from the manifest), which Publish-PSResource -NupkgPath and Install-PSResource accept.
      Clean    removes out/ and every bin/ and obj/ folder.
.EXAMPLE
    ./build.ps1 -Task Test
#>
[CmdletBinding()]
param(
    [ValidateSet('Build', 'Test', 'Package', 'Clean')]
    [string] $Task = 'Build',

    [ValidateSet('Debug', 'Release')]
    [string] $Configuration = 'Debug'
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

switch ($Task) {
    'Build' {
        Invoke-Dotnet build $solution -c $Configuration
    }
    'Test' {
        Invoke-Dotnet test $solution -c $Configuration
        $pester = Get-Module -ListAvailable -Name Pester | Where-Object { $_.Version.Major -ge 5 } | Select-Object -First 1
        $suites = Join-Path $root 'tests/Pester'
        if ($pester -and (Test-Path $suites)) {
            # A child pwsh (this same one), so the suites import the built module and SecretManagement into a clean
            # session whose vault registry they can move to a temporary folder (tests/Pester/TestEnvironment.ps1).
            $quoted = $suites.Replace("'", "''")
            $command = "Import-Module Pester -MinimumVersion 5.0; `$c = New-PesterConfiguration; `$c.Run.Path = '$quoted'; `$c.Run.Exit = `$true; `$c.Output.Verbosity = 'Detailed'; Invoke-Pester -Configuration `$c"
            $pwsh = (Get-Process -Id $PID).Path
            & $pwsh -NoProfile -NonInteractive -Command $command
            if ($LASTEXITCODE -ne 0) { throw "Pester suites failed ($LASTEXITCODE failed test(s))." }
        }
        elseif (Test-Path $suites) {
            Write-Warning 'Pester 5 is not installed: the Pester suites were skipped (Install-Module Pester -MinimumVersion 5.0).'
        }
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
