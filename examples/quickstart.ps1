<#
.SYNOPSIS
    FhirSecurity quick start: trust a private CA, store an OAuth client and a connection in your vault, then read,
    search and inspect a FHIR R4 server.

.DESCRIPTION
    What a user types, step by step. Safe to run again: -Force replaces the three definitions it made before
    (quickstart-ca, quickstart-oauth, quickstart). Remove them afterwards with
    Remove-FhirConnection quickstart; Remove-FhirOAuth quickstart-oauth; Remove-FhirCaBundle quickstart-ca.

    Uses only the module and core PowerShell (no Microsoft.PowerShell.Utility), so it also runs in a hosted
    engine: `dotnet run --project examples/FhirSecurity.Demo` runs it against a local test server.

.EXAMPLE
    ./examples/quickstart.ps1 -FhirBaseUri https://fhir.example.org/r4/ -TokenUrl https://auth.example.org/token `
        -CaBundlePath ./corp-ca.pem -ClientId fhir-reader -ClientSecret (Read-Host -AsSecureString 'client secret')
#>
[CmdletBinding()]
param(
    # The server's FHIR base URL.
    [Parameter(Mandatory)] [uri] $FhirBaseUri,
    # The OAuth 2.0 token endpoint (client credentials grant).
    [Parameter(Mandatory)] [uri] $TokenUrl,
    # A PEM file with the CA certificates that issued the server's TLS certificate.
    [Parameter(Mandatory)] [string] $CaBundlePath,
    [Parameter(Mandatory)] [string] $ClientId,
    [Parameter(Mandatory)] [securestring] $ClientSecret,
    # The vault to keep the definitions in; default: $env:FHIRSECURITY_VAULT, else your default vault.
    [string] $Vault,
    # The name to search patients by (a prefix of a family or given name).
    [string] $PatientName = 'Alice'
)

# Stop at the first failure instead of carrying on with half the setup.
$ErrorActionPreference = 'Stop'

if (-not (Get-Module -Name FhirSecurity)) {
    # From a clone, prefer the module `dotnet build` laid out; otherwise an installed FhirSecurity.
    $built = [System.IO.Path]::Combine($PSScriptRoot, '..', 'out', 'FhirSecurity', 'FhirSecurity.psd1')
    if ([System.IO.File]::Exists($built)) { Import-Module $built } else { Import-Module FhirSecurity }
}

# Passed to every definition cmdlet, so all three definitions land in (and are read from) the same vault.
$inVault = @{}
if ($Vault) { $inVault.Vault = $Vault }

# Counts the tokens this process fetched for our OAuth definition (the token itself is never readable).
function Get-TokenFetchCount {
    $count = 0
    foreach ($entry in @(Get-FhirTokenCache -OAuth quickstart-oauth)) { $count += $entry.Fetches }
    $count
}

# 1. Trust the CA that issued the server's certificate. The PEM is checked on import and stored in the vault.
Import-FhirCaBundle -Name quickstart-ca -Path $CaBundlePath -Force @inVault

# 2. The OAuth client. The secret goes into the vault; it is never shown or written to disk by the module.
New-FhirOAuth -Name quickstart-oauth -TokenUrl $TokenUrl -ClientId $ClientId -ClientSecret $ClientSecret `
    -Scope system/Patient.read -Force @inVault

# 3. A connection ties the base URL, the OAuth client and the CA bundle together.
New-FhirConnection -Name quickstart -BaseUri $FhirBaseUri -OAuth quickstart-oauth `
    -TlsValidation CustomBundle -CaBundle quickstart-ca -Force @inVault
Get-FhirConnection -Name quickstart @inVault | Out-Default

# 4. Read one resource. The first request fetches a token; later ones reuse it from the session's cache.
$patient = Invoke-FhirRequest -Connection quickstart -ResourceType Patient -Id pat-0001 @inVault
$fetchesAfterRead = Get-TokenFetchCount
$name = @($patient.name)[0]
"Read Patient/$($patient.id): $(@($name.given) -join ' ') $($name.family), born $($patient.birthDate)"

# 5. Search. -All follows the Bundle's next links, so every page of 5 arrives as one stream of resources.
"Patients named '$PatientName':"
$found = @(Invoke-FhirRequest -Connection quickstart -ResourceType Patient -Query @{ name = $PatientName; _count = 5 } -All @inVault)
foreach ($p in $found) {
    '  {0,-10} {1,-12} {2}' -f $p.id, @($p.name)[0].family, $p.birthDate
}
"  ($($found.Count) found)"

# 6. What the server says about itself.
$capability = Invoke-FhirRequest -Connection quickstart -Path metadata @inVault
"Server: $("$($capability.software.name) $($capability.software.version)".Trim()), FHIR $($capability.fhirVersion)"

# 7. The token cache: client, scopes and expiry. The Token column only ever reads ********.
Get-FhirTokenCache -OAuth quickstart-oauth | Out-Default
$newFetches = (Get-TokenFetchCount) - $fetchesAfterRead
if ($newFetches -eq 0) {
    "Token reused: the search (every page) and the metadata call needed no new token."
}
else {
    $PSCmdlet.WriteWarning("$newFetches new token(s) were fetched after the first request; expected the cached one to be reused.")
}
