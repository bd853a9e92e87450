<#
.SYNOPSIS
    A nightly Bulk Data export with FhirSecurity: kick off, remember the export, finish it (also after a restart),
    and export only what changed since the last night's run.

.DESCRIPTION
    The runbook of docs/bulk-data.md. It
      1. trusts the server's private CA (-CaBundlePath) and stores the OAuth client and the connection,
      2. reads the last complete export's transactionTime from <Destination>/last-manifest.json, for -Since,
      3. resumes the export a stopped run left behind (its status URL is in <Destination>/export-in-progress.txt),
         or kicks off a new one with -NoWait and saves its status URL there first,
      4. finishes it with -StatusUrl into <Destination>/<date>: polls, downloads in parallel, checks every line,
      5. keeps that manifest as last-manifest.json, forgets the status URL, and prints what was written.
    A run killed at step 4 (the machine rebooted, the runbook's time ran out) is finished by the next run, which
    downloads only the files not yet complete on disk.

    Uses only the module and core PowerShell (no Microsoft.PowerShell.Utility), so it also runs in a hosted engine:
    a test runs it against the local test server on every build.

.EXAMPLE
    $secret = Get-Secret -Name warehouse-client-secret
    ./examples/bulk-export.ps1 -FhirBaseUri https://ehr.example.org/fhir/r4/ -TokenUrl https://ehr.example.org/token `
        -CaBundlePath ./ehr-ca.pem -ClientId warehouse -ClientSecret $secret -Destination /data/ehr-extract
#>
[CmdletBinding()]
param(
    # The server's FHIR base URL.
    [Parameter(Mandatory)] [uri] $FhirBaseUri,
    # The OAuth token endpoint.
    [Parameter(Mandatory)] [uri] $TokenUrl,
    # A PEM file with the CA certificates that issued the server's TLS certificate.
    [Parameter(Mandatory)] [string] $CaBundlePath,
    [Parameter(Mandatory)] [string] $ClientId,
    [Parameter(Mandatory)] [securestring] $ClientSecret,
    # The folder that holds one folder per run, the last manifest and the export in progress.
    [Parameter(Mandatory)] [string] $Destination,
    # The resource types to export; every type the server has when omitted.
    [string[]] $Type,
    # The vault to keep the definitions in; default: $env:FHIRSECURITY_VAULT, else your default vault.
    [string] $Vault
)

$ErrorActionPreference = 'Stop'

if (-not (Get-Module -Name FhirSecurity)) {
    $built = [System.IO.Path]::Combine($PSScriptRoot, '..', 'out', 'FhirSecurity', 'FhirSecurity.psd1')
    if ([System.IO.File]::Exists($built)) { Import-Module $built } else { Import-Module FhirSecurity }
}

$inVault = @{}
if ($Vault) { $inVault.Vault = $Vault }
$root = $ExecutionContext.SessionState.Path.GetUnresolvedProviderPathFromPSPath($Destination)
$null = [System.IO.Directory]::CreateDirectory($root)
$lastManifest = [System.IO.Path]::Combine($root, 'last-manifest.json')
$inProgress = [System.IO.Path]::Combine($root, 'export-in-progress.txt')

# 1. The definitions. Bulk Data needs system-level read scopes.
Import-FhirCaBundle -Name bulk-ca -Path $CaBundlePath -Force @inVault | Out-Null
New-FhirOAuth -Name bulk-client -TokenUrl $TokenUrl -ClientId $ClientId -ClientSecret $ClientSecret `
    -Scope 'system/*.read' -Force @inVault
New-FhirConnection -Name bulk-ehr -BaseUri $FhirBaseUri -OAuth bulk-client -CaBundle bulk-ca -Force @inVault

# 2. Only what changed since the last complete export (its transactionTime), if there was one.
$kickoff = @{}
if ($Type) { $kickoff.Type = $Type }
if ([System.IO.File]::Exists($lastManifest)) {
    $manifest = [System.Text.Json.JsonDocument]::Parse([System.IO.File]::ReadAllText($lastManifest))
    $kickoff.Since = [DateTimeOffset]::Parse(
        $manifest.RootElement.GetProperty('transactionTime').GetString(), [cultureinfo]::InvariantCulture)
    $manifest.Dispose()
    "Exporting changes since $($kickoff.Since.ToString('u'))"
}

# 3. Resume the export a stopped run left (its status URL and folder), or start one and note both before waiting.
if ([System.IO.File]::Exists($inProgress)) {
    $statusText, $folder = [System.IO.File]::ReadAllLines($inProgress)
    $statusUrl = [uri]$statusText
    "Resuming the export at $statusUrl"
}
else {
    $statusUrl = (Export-FhirBulkData -Connection bulk-ehr -NoWait @kickoff @inVault).StatusUrl
    $folder = [System.IO.Path]::Combine($root, [DateTime]::UtcNow.ToString('yyyy-MM-dd-HHmmss'))
    [System.IO.File]::WriteAllLines($inProgress, [string[]]@($statusUrl.AbsoluteUri, $folder))
    "Kicked off $statusUrl"
}

# 4. Finish it: -Force, because a resumed run's folder already holds the files it completed (they are skipped).
$files = Export-FhirBulkData -Connection bulk-ehr -StatusUrl $statusUrl -Destination $folder -Validate -Force @inVault

# 5. Remember this export for the next night's -Since, and forget the finished one.
[System.IO.File]::Copy([System.IO.Path]::Combine($folder, 'manifest.json'), $lastManifest, $true)
[System.IO.File]::Delete($inProgress)
$written = @($files).Where({ $_.Kind -eq 'Output' })
$lines = 0
foreach ($file in $written) { $lines += $file.Count }
"Written to ${folder}: $($written.Count) files, $lines resources"
foreach ($file in $files) { "  $($file.Kind) $($file.Type): $($file.Count) lines in $($file.Path)" }
