<#
.SYNOPSIS
    SMART Backend Services with FhirSecurity: a private key instead of a client secret, the token endpoint found by
    discovery, the connection checked step by step, then a first request.

.DESCRIPTION
    Steps 2 to 6 of docs/smart-backend-services.md. You made a key pair (step 1 there) and the EHR registered the
    public key under -KeyId and gave you -ClientId. This script
      1. prints the public key as a JWK Set, as the EHR's app registration (or your jku URL) wants it,
      2. trusts the server's private CA (-CaBundlePath),
      3. stores the client: New-FhirOAuth -Discover reads the token endpoint from
         [base]/.well-known/smart-configuration and checks that private_key_jwt and the algorithm are offered,
      4. makes the connection, 5. checks it with Test-FhirConnection, 6. searches patients.
    Safe to run again: -Force replaces smart-ca, smart-backend and smart-ehr. Remove them afterwards with
    Remove-FhirConnection smart-ehr; Remove-FhirOAuth smart-backend; Remove-FhirCaBundle smart-ca.

    Uses only the module and core PowerShell (no Microsoft.PowerShell.Utility), so it also runs in a hosted engine:
    a test runs it against the local test server on every build.

.EXAMPLE
    ./examples/smart-backend-services.ps1 -FhirBaseUri https://ehr.example.org/fhir/r4/ -CaBundlePath ./ehr-ca.pem `
        -ClientId my-backend-app -PrivateKeyPath ./fhir-client.key -KeyId fhir-client-2026-11
#>
[CmdletBinding()]
param(
    # The server's FHIR base URL; it must publish .well-known/smart-configuration.
    [Parameter(Mandatory)] [uri] $FhirBaseUri,
    # A PEM file with the CA certificates that issued the server's TLS certificate.
    [Parameter(Mandatory)] [string] $CaBundlePath,
    # The client id the EHR gave you when you registered the public key.
    [Parameter(Mandatory)] [string] $ClientId,
    # The private key (PEM): RSA of 2048 bits or more for RS384, EC P-384 for ES384.
    [Parameter(Mandatory)] [string] $PrivateKeyPath,
    # The key id (kid) the public key was registered under.
    [Parameter(Mandatory)] [string] $KeyId,
    [string[]] $Scope = @('system/Patient.read'),
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
$keyFile = $ExecutionContext.SessionState.Path.GetUnresolvedProviderPathFromPSPath($PrivateKeyPath)

# 1. The public half of the key as a JWK Set: what the EHR's app registration (or your jku URL) holds.
#    Built with .NET alone; in pwsh, ConvertTo-Json does the same.
function ConvertTo-Base64Url([byte[]] $bytes) {
    [Convert]::ToBase64String($bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_')
}
$pem = [System.IO.File]::ReadAllText($keyFile)
$jwk = [ordered]@{}
try {
    $rsa = [System.Security.Cryptography.RSA]::Create()
    $rsa.ImportFromPem($pem)
    $public = $rsa.ExportParameters($false)
    $jwk.kty = 'RSA'; $jwk.alg = 'RS384'; $jwk.n = ConvertTo-Base64Url $public.Modulus; $jwk.e = ConvertTo-Base64Url $public.Exponent
}
catch [System.ArgumentException], [System.Security.Cryptography.CryptographicException] {
    # Not an RSA key (the message differs by PEM label): read it as EC.
    $ec = [System.Security.Cryptography.ECDsa]::Create()
    $ec.ImportFromPem($pem)
    $public = $ec.ExportParameters($false)
    $jwk.kty = 'EC'; $jwk.alg = 'ES384'; $jwk.crv = 'P-384'; $jwk.x = ConvertTo-Base64Url $public.Q.X; $jwk.y = ConvertTo-Base64Url $public.Q.Y
}
$jwk.kid = $KeyId; $jwk.use = 'sig'
$pem = $null
"Public key to register with the EHR (JWK Set):"
'  ' + [System.Text.Json.JsonSerializer]::Serialize(@{ keys = @($jwk) }, [hashtable])

# 2. Trust the CA that issued the server's certificate.
Import-FhirCaBundle -Name smart-ca -Path $CaBundlePath -Force @inVault | Out-Null

# 3. The client. -Discover reads the token endpoint from the server and checks, before anything is saved, that it
#    accepts private_key_jwt with this key's algorithm. The key goes into the vault; the file is no longer needed.
$oauth = New-FhirOAuth -Name smart-backend -FhirBaseUri $FhirBaseUri -Discover -CaBundle smart-ca -ClientId $ClientId `
    -PrivateKeyPath $keyFile -KeyId $KeyId -Scope $Scope -Force -PassThru @inVault
"Token endpoint (discovered): $($oauth.TokenUrl)"
"Client authentication: $($oauth.ClientAuthentication), $($oauth.Algorithm), key $($oauth.PrivateKey), kid $($oauth.KeyId)"

# 4. The connection.
New-FhirConnection -Name smart-ehr -BaseUri $FhirBaseUri -OAuth smart-backend -CaBundle smart-ca -Force @inVault

# 5. Every layer, in order: DNS, TCP, TLS, token (signed assertion), metadata, clock skew.
$test = Test-FhirConnection -Connection smart-ehr @inVault
$test | Out-Default
if (-not $test.Passed) { throw "Test-FhirConnection smart-ehr failed: see the steps above." }

# 6. The first request. The token fetched here is cached and refreshed by the module.
$page = Invoke-FhirRequest -Connection smart-ehr -Path Patient -Query @{ _count = 5 } @inVault
$first = @($page.entry)[0].resource
"First request: $(@($page.entry).Count) patients on the first page of $($page.total), e.g. Patient/$($first.id) ($(@($first.name)[0].family))"
