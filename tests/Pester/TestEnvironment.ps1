# Shared by the FhirSecurity Pester suites (dot-sourced; Pester does not run this file itself).
#
# Each suite:
#   Describe '...' {
#       BeforeAll { . $PSScriptRoot/TestEnvironment.ps1; $script:testEnv = Start-FhirTestEnvironment }
#       AfterAll  { Stop-FhirTestEnvironment $script:testEnv }
#   }
#
# What it sets up:
#   - a SecretManagement vault that holds nothing of the user's. By default the repository's SecretManagement test
#     double (which fails as the real module does, concurrency included); with
#     $env:FHIRSECURITY_PESTER_SECRETMANAGEMENT = 'Installed' (build.ps1 -Task Test -SecretManagement Installed) the
#     SecretManagement and SecretStore found on PSModulePath, SecretStore configured non-interactively (no password
#     prompt) in a temporary HOME / XDG / LOCALAPPDATA;
#   - the built module, imported from out/FhirSecurity;
#   - the HTTPS FHIR + OAuth test server (tests/FhirSecurity.TestServer), started with `dotnet <dll> --info-file`
#     as a child process and stopped by closing its stdin.
# A missing prerequisite is an error, never a skip: Start-FhirTestEnvironment throws and the suite's tests fail.

# Constants are functions, not $script: variables: Pester runs setup, tests and teardown in scopes of its own,
# and $PSScriptRoot inside a function is always this file's folder.
function Get-FhirTestRepoRoot { (Resolve-Path (Join-Path $PSScriptRoot '../..')).Path }
function Get-FhirTestModuleManifest { Join-Path (Get-FhirTestRepoRoot) 'out/FhirSecurity/FhirSecurity.psd1' }
function Get-FhirTestVaultName { 'FhirSecurityPester' }

function Find-FhirTestBuild {
    # The newest build of a test project's dll (Debug or Release), or $null.
    param([Parameter(Mandatory)] [string] $Project)
    $bin = Join-Path (Get-FhirTestRepoRoot) "tests/$Project/bin"
    if (-not (Test-Path $bin)) { return $null }
    Get-ChildItem -Path $bin -Recurse -Filter "$Project.dll" -File -ErrorAction SilentlyContinue |
        Where-Object { $_.Directory.Name -like 'net*' } |
        Sort-Object LastWriteTimeUtc -Descending |
        Select-Object -First 1 -ExpandProperty FullName
}

function Get-FhirTestVaultKind {
    # 'Double' (the default) or 'Installed', from $env:FHIRSECURITY_PESTER_SECRETMANAGEMENT.
    switch ("$env:FHIRSECURITY_PESTER_SECRETMANAGEMENT") {
        '' { 'Double' }
        'Double' { 'Double' }
        'Installed' { 'Installed' }
        default { throw "FHIRSECURITY_PESTER_SECRETMANAGEMENT is '$_': use Double or Installed." }
    }
}

function Assert-FhirTestPrerequisite {
    # Throws with what to do when the suites cannot run here.
    if ($PSVersionTable.PSVersion -lt [version]'7.4') {
        throw "PowerShell $($PSVersionTable.PSVersion) is older than 7.4, which FhirSecurity requires."
    }
    if (-not (Test-Path (Get-FhirTestModuleManifest))) {
        throw "The module is not built ($(Get-FhirTestModuleManifest) is missing): run 'dotnet build FhirSecurity.sln' first."
    }
    if (-not (Get-Command -Name dotnet -CommandType Application -ErrorAction SilentlyContinue)) {
        throw 'dotnet is not on PATH: the test server runs as a dotnet child process.'
    }
    if (-not (Find-FhirTestBuild -Project 'FhirSecurity.TestServer')) {
        throw "The test server is not built: run 'dotnet build FhirSecurity.sln' first."
    }
    if ((Get-FhirTestVaultKind) -eq 'Double') {
        # The double is a net10.0 assembly: pwsh 7.4/7.5 (.NET 8/9) cannot load it; the pinned pwsh 7.6 can.
        if ([Environment]::Version.Major -lt 10) {
            throw "The SecretManagement test double needs .NET 10 (pwsh 7.6+); this is .NET $([Environment]::Version). Run the suites with build.ps1 -Task Test, which uses the pinned pwsh."
        }
        if (-not (Find-FhirTestBuild -Project 'SecretManagementDouble')) {
            throw "The SecretManagement test double is not built: run 'dotnet build FhirSecurity.sln' first."
        }
    }
    else {
        foreach ($name in 'Microsoft.PowerShell.SecretManagement', 'Microsoft.PowerShell.SecretStore') {
            if (-not (Get-Module -ListAvailable -Name $name)) {
                throw "FHIRSECURITY_PESTER_SECRETMANAGEMENT is Installed, and $name is not on PSModulePath ($env:PSModulePath)."
            }
        }
    }
    if ((Get-Module -Name 'Microsoft.PowerShell.SecretManagement', 'Microsoft.PowerShell.SecretStore') -and
        -not $env:FHIRSECURITY_PESTER_HOME) {
        throw 'SecretManagement is already loaded in this session, so its files cannot be moved to a temporary folder and the suites would touch your own vaults. Run them in a fresh pwsh (build.ps1 -Task Test does).'
    }
}

function Start-FhirTestEnvironment {
    # Sets up the vault, imports the module, starts the test server. Returns what Stop-FhirTestEnvironment undoes.
    # -ServerArgument goes to the server after --info-file (the benchmarks in bench/pwsh pass --latency-ms).
    param([string[]] $ServerArgument = @())
    Assert-FhirTestPrerequisite
    $state = [ordered]@{
        Environment = @{}
        VaultKind   = Get-FhirTestVaultKind
        Server      = $null
        Info        = $null
        Folder      = $null
    }

    # SecretManagement and SecretStore read their paths once per process, so every suite of one pwsh process
    # shares one temporary home, for the rest of the process (build/Invoke-PesterSuites.ps1 runs in a pwsh of its
    # own): it is never the user's, and a suite after the first must not find the user's home back.
    $state.Environment['FHIRSECURITY_VAULT'] = $env:FHIRSECURITY_VAULT
    if (-not $env:FHIRSECURITY_PESTER_HOME) {
        $tempHome = Join-Path ([IO.Path]::GetTempPath()) "fhirsecurity-pester-$PID"
        $null = New-Item -ItemType Directory -Force -Path $tempHome
        $env:HOME = $tempHome
        $env:XDG_CONFIG_HOME = Join-Path $tempHome '.config'
        $env:XDG_DATA_HOME = Join-Path $tempHome '.local/share'
        $env:XDG_CACHE_HOME = Join-Path $tempHome '.cache'
        if ($IsWindows) {
            $env:LOCALAPPDATA = Join-Path $tempHome 'AppData/Local'
            $env:APPDATA = Join-Path $tempHome 'AppData/Roaming'
        }
        $env:FHIRSECURITY_PESTER_HOME = $tempHome
    }
    $env:FHIRSECURITY_VAULT = $null

    if ($state.VaultKind -eq 'Double') {
        # First on PSModulePath, so runspaces that import FhirSecurity themselves (ForEach-Object -Parallel) find the
        # double too; the folder is the double's own, generated next to its assembly's process.
        Add-Type -Path (Find-FhirTestBuild -Project 'SecretManagementDouble')
        $modules = [Microsoft.PowerShell.SecretManagement.SecretManagementModule]::EnsureFolder()
        $state.Environment['PSModulePath'] = $env:PSModulePath
        $env:PSModulePath = $modules + [IO.Path]::PathSeparator + $env:PSModulePath
        Import-Module -Name (Join-Path $modules 'Microsoft.PowerShell.SecretManagement') -Force -ErrorAction Stop
    }
    else {
        Import-Module -Name 'Microsoft.PowerShell.SecretManagement', 'Microsoft.PowerShell.SecretStore' -ErrorAction Stop
        # Configured once per temporary home: a brand-new store needs -Password even with -Authentication None
        # (see docs/runbooks.md); later suites of this process find it configured.
        $configured = Join-Path $env:FHIRSECURITY_PESTER_HOME 'secretstore-configured'
        if (-not (Test-Path $configured)) {
            $password = [System.Net.NetworkCredential]::new('', [guid]::NewGuid().ToString()).SecurePassword
            Microsoft.PowerShell.SecretStore\Set-SecretStoreConfiguration -Scope CurrentUser -Authentication None -Interaction None -Password $password -Confirm:$false -ErrorAction Stop
            $null = New-Item -ItemType File -Path $configured
        }
    }
    if (Microsoft.PowerShell.SecretManagement\Get-SecretVault -Name (Get-FhirTestVaultName) -ErrorAction SilentlyContinue) {
        Microsoft.PowerShell.SecretManagement\Unregister-SecretVault -Name (Get-FhirTestVaultName)
    }
    Microsoft.PowerShell.SecretManagement\Register-SecretVault -Name (Get-FhirTestVaultName) -ModuleName 'Microsoft.PowerShell.SecretStore' -DefaultVault -ErrorAction Stop

    Import-Module -Name (Get-FhirTestModuleManifest) -Force -ErrorAction Stop

    # The test server: its own CA, OAuth token endpoint and Basic Auth user, on 127.0.0.1.
    $state.Folder = Join-Path $env:FHIRSECURITY_PESTER_HOME ("server-" + [guid]::NewGuid().ToString('n'))
    $null = New-Item -ItemType Directory -Path $state.Folder
    $infoFile = Join-Path $state.Folder 'server.json'
    $start = [System.Diagnostics.ProcessStartInfo]::new('dotnet')
    $start.ArgumentList.Add((Find-FhirTestBuild -Project 'FhirSecurity.TestServer'))
    $start.ArgumentList.Add('--info-file')
    $start.ArgumentList.Add($infoFile)
    foreach ($argument in $ServerArgument) { $start.ArgumentList.Add($argument) }
    $start.RedirectStandardInput = $true
    $start.RedirectStandardOutput = $true
    $start.UseShellExecute = $false
    $state.Server = [System.Diagnostics.Process]::Start($start)
    $deadline = [DateTime]::UtcNow.AddSeconds(60)
    while (-not (Test-Path $infoFile)) {
        if ($state.Server.HasExited) { throw "The test server exited with code $($state.Server.ExitCode) before it was ready." }
        if ([DateTime]::UtcNow -gt $deadline) { throw 'The test server did not start within 60 seconds.' }
        Start-Sleep -Milliseconds 100
    }
    # The info file is written in one go, but may be seen before it is complete: retry the read briefly.
    for ($i = 0; $i -lt 50 -and -not $state.Info; $i++) {
        try { $state.Info = Get-Content -Raw -Path $infoFile | ConvertFrom-Json -ErrorAction Stop }
        catch { Start-Sleep -Milliseconds 100 }
    }
    if (-not $state.Info) { throw "The test server's info file $infoFile could not be read." }
    return [pscustomobject]$state
}

function Stop-FhirTestEnvironment {
    param($State)
    if ($null -eq $State) { return }
    if ($State.Server) {
        # Closing stdin is the server's stop signal; kill it if it does not go.
        try { $State.Server.StandardInput.Close() } catch { }
        if (-not $State.Server.WaitForExit(10000)) { $State.Server.Kill($true) }
        $State.Server.Dispose()
    }
    Remove-Module -Name FhirSecurity -Force -ErrorAction SilentlyContinue
    if (Get-Command -Name Microsoft.PowerShell.SecretManagement\Get-SecretVault -ErrorAction SilentlyContinue) {
        if (Microsoft.PowerShell.SecretManagement\Get-SecretVault -Name (Get-FhirTestVaultName) -ErrorAction SilentlyContinue) {
            Microsoft.PowerShell.SecretManagement\Get-SecretInfo -Vault (Get-FhirTestVaultName) -Name 'FhirSecurity-*' -ErrorAction SilentlyContinue |
                ForEach-Object { Microsoft.PowerShell.SecretManagement\Remove-Secret -Name $_.Name -Vault (Get-FhirTestVaultName) -ErrorAction SilentlyContinue }
            Microsoft.PowerShell.SecretManagement\Unregister-SecretVault -Name (Get-FhirTestVaultName) -ErrorAction SilentlyContinue
        }
    }
    if ($State.Folder) { Remove-Item -Recurse -Force -Path $State.Folder -ErrorAction SilentlyContinue }
    # The temporary home stays for the next suite of this process (SecretManagement keeps its paths).
    foreach ($name in $State.Environment.Keys) {
        [Environment]::SetEnvironmentVariable($name, $State.Environment[$name])
    }
}

function New-FhirTestSecureString {
    param([Parameter(Mandatory)] [string] $Text)
    [System.Net.NetworkCredential]::new('', $Text).SecurePassword
}

function Get-FhirTestPwshCommand {
    # This same pwsh as an executable and the arguments before its own: the .NET tool's is 'dotnet pwsh.dll'.
    $exe = [Environment]::ProcessPath
    # @(...) around the if: a one-string prefix would be splatted character by character.
    $prefix = @(if ([IO.Path]::GetFileNameWithoutExtension($exe) -eq 'dotnet') { Join-Path $PSHOME 'pwsh.dll' })
    $exe, $prefix
}

function Invoke-FhirTestChildPwsh {
    # Runs a script file in a new process of this same pwsh (the .NET tool's is 'dotnet pwsh.dll', not a pwsh binary)
    # and returns its output lines; throws when it exits non-zero.
    param([Parameter(Mandatory)] [string] $File, [string[]] $ArgumentList = @())
    $exe, $prefix = Get-FhirTestPwshCommand
    $output = & $exe @prefix -NoProfile -NonInteractive -File $File @ArgumentList 2>&1 | ForEach-Object { "$_" }
    if ($LASTEXITCODE -ne 0) { throw "The child pwsh exited with $LASTEXITCODE`n$($output -join "`n")" }
    $output
}

function Remove-FhirTestDefinition {
    # Removes every FhirSecurity definition of the test vault, connections first (they reference the others).
    Get-FhirConnection | Remove-FhirConnection -Confirm:$false
    Get-FhirOAuth | Remove-FhirOAuth -Confirm:$false
    Get-FhirBasicAuth | Remove-FhirBasicAuth -Confirm:$false
    Get-FhirCaBundle | Remove-FhirCaBundle -Confirm:$false
}

function Invoke-FhirTestBulkControl {
    # The test server's Bulk Data control (/_test/bulk, loopback only): GET returns the recorded requests, the file
    # signatures issued and the deleted exports; -Set PUTs scenario fields by name (pollsBeforeReady,
    # requiresAccessToken, filesOnSecondOrigin, signedUrls, files = @(@{ type; lines }), ...); -Reset restores the
    # defaults and forgets the requests (deletedExports counts on). Test plumbing: the server's own private CA is not checked here.
    param([Parameter(Mandatory)] $Info, [hashtable] $Set, [switch] $Reset)
    $control = @{ Uri = $Info.bulkControlUrl; SkipCertificateCheck = $true }
    if ($Reset) { $null = Invoke-RestMethod @control -Method Delete }
    if ($Set) { $null = Invoke-RestMethod @control -Method Put -ContentType 'application/json' -Body ($Set | ConvertTo-Json -Depth 5) }
    if (-not $Reset -and -not $Set) { Invoke-RestMethod @control -Method Get }
}

function Get-FhirTestFederatedAssertion {
    # A new assertion of the test server's federated issuer for its workload client (/_test/federated-assertion,
    # loopback only), as a platform would write it to a file; -LifetimeSeconds below 0 makes an expired one. Test
    # plumbing: the server's own private CA is not checked here.
    param([Parameter(Mandatory)] $Info, [int] $LifetimeSeconds = 600)
    Invoke-RestMethod -Uri "$($Info.federatedAssertionUrl)?lifetimeSeconds=$LifetimeSeconds" -SkipCertificateCheck
}

function Write-FhirTestChildScript {
    # Writes a script for a child pwsh that first does what a suite's BeforeAll does: the vault (the double's lives
    # in one process; the real SecretStore's is shared through the temporary home), the module, and an OAuth
    # connection named -Connection (scope system/*.read) to the test server; then -Body, which finds the values given
    # after Get-FhirTestChildArgument's in $Rest. Run it with Invoke-FhirTestChildPwsh or as a process of its own.
    param([Parameter(Mandatory)] [string] $Path, [Parameter(Mandatory)] [string] $Connection, [Parameter(Mandatory)] [string] $Body)
    $prelude = @'
param($DoubleAssembly, $ServerInfo, $Module, [Parameter(ValueFromRemainingArguments)] [string[]] $Rest)
$ErrorActionPreference = 'Stop'
$info = Get-Content -Raw -Path $ServerInfo | ConvertFrom-Json
if ($DoubleAssembly) {
    Add-Type -Path $DoubleAssembly
    Import-Module ([Microsoft.PowerShell.SecretManagement.SecretManagementModule]::ManifestPath)
    Microsoft.PowerShell.SecretManagement\Register-SecretVault -Name ChildVault -ModuleName Microsoft.PowerShell.SecretStore -DefaultVault
}
Import-Module $Module
$null = Import-FhirCaBundle -Name CONNECTION-ca -Path $info.caBundleFile -Force -InformationAction Ignore
$secret = [Net.NetworkCredential]::new('', $info.oauthClientSecret).SecurePassword
New-FhirOAuth -Name CONNECTION-oauth -TokenUrl $info.tokenEndpoint -ClientId $info.oauthClientId -ClientSecret $secret -Scope system/*.read -Force
New-FhirConnection -Name CONNECTION -BaseUri $info.oauthBase -OAuth CONNECTION-oauth -CaBundle CONNECTION-ca -Force

'@
    Set-Content -Path $Path -Value ($prelude.Replace('CONNECTION', $Connection) + $Body)
}

function Get-FhirTestChildArgument {
    # The first arguments of a script from Write-FhirTestChildScript: the double (or ''), the server's info file and
    # the module manifest.
    param([Parameter(Mandatory)] $State)
    $double = if ($State.VaultKind -eq 'Double') { Find-FhirTestBuild -Project 'SecretManagementDouble' } else { '' }
    @($double, (Join-Path $State.Folder 'server.json'), (Get-FhirTestModuleManifest))
}
