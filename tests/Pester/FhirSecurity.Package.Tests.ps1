#Requires -Version 7.4
# Pester 5 suite: the module as users get it. The package that build/FhirSecurity.Package.csproj makes is published
# to a temporary folder repository, installed with PSResourceGet's Install-PSResource, imported by name in a new pwsh
# and used for one request against the test server.
Describe 'Install from the package' -Tag 'FhirSecurity', 'Package' {
    BeforeAll {
        . (Join-Path $PSScriptRoot 'TestEnvironment.ps1')
        $script:testEnv = Start-FhirTestEnvironment
        $script:info = $script:testEnv.Info
        $script:work = Join-Path $script:testEnv.Folder 'package'
        $repository = Join-Path $script:work 'repository'
        $null = New-Item -ItemType Directory -Path $repository -Force

        # Pack into temporary folders, so out/ and the module the other suites import stay as they are.
        $pack = @(
            'pack', (Join-Path (Get-FhirTestRepoRoot) 'build/FhirSecurity.Package.csproj'), '-c', 'Release', '--nologo',
            "-p:ModuleOutDir=$(Join-Path $script:work 'module/FhirSecurity')$([IO.Path]::DirectorySeparatorChar)",
            "-p:PackageOutputPath=$repository$([IO.Path]::DirectorySeparatorChar)"
        )
        $packOutput = & dotnet @pack 2>&1
        if ($LASTEXITCODE -ne 0) { throw "dotnet pack failed:`n$($packOutput -join "`n")" }
        $script:nupkg = Get-ChildItem -Path $repository -Filter 'FhirSecurity.*.nupkg' | Select-Object -First 1

        # PSResourceGet keeps its repository list and CurrentUser modules under the temporary home
        # (XDG_DATA_HOME), never the user's.
        $script:repositoryName = 'FhirSecurityPesterRepository'
        Register-PSResourceRepository -Name $script:repositoryName -Uri $repository -Trusted -Force
        Install-PSResource -Name FhirSecurity -Repository $script:repositoryName -Scope CurrentUser -TrustRepository -Reinstall -Quiet
        $script:installed = Get-InstalledPSResource -Name FhirSecurity -Scope CurrentUser
    }

    AfterAll {
        if ($script:installed) { Uninstall-PSResource -Name FhirSecurity -Scope CurrentUser -ErrorAction SilentlyContinue }
        if ($script:repositoryName) { Unregister-PSResourceRepository -Name $script:repositoryName -ErrorAction SilentlyContinue }
        Stop-FhirTestEnvironment $script:testEnv
    }

    It 'packs one module package with the manifest''s version' {
        $script:nupkg | Should -Not -BeNullOrEmpty
        $version = (Import-PowerShellDataFile (Join-Path (Get-FhirTestRepoRoot) 'FhirSecurity.psd1')).ModuleVersion
        $script:nupkg.Name | Should -Be "FhirSecurity.$version.nupkg"
    }

    It 'installs with Install-PSResource into the user''s module folder' {
        $script:installed | Should -HaveCount 1
        $script:installed.Name | Should -Be 'FhirSecurity'
        $script:installed.InstalledLocation | Should -BeLike "$env:FHIRSECURITY_PESTER_HOME*"
        Test-Path (Join-Path $script:installed.InstalledLocation "FhirSecurity/$($script:installed.Version)/FhirSecurity.psd1") |
            Should -BeTrue
    }

    It 'imports by name in a new pwsh and makes a request' {
        $child = Join-Path $script:work 'child.ps1'
        Set-Content -Path $child -Value @'
param($InstalledModules, $DoubleAssembly, $ServerInfo)
$ErrorActionPreference = 'Stop'
$info = Get-Content -Raw -Path $ServerInfo | ConvertFrom-Json
$env:PSModulePath = $InstalledModules + [IO.Path]::PathSeparator + $env:PSModulePath
if ($DoubleAssembly) {
    Add-Type -Path $DoubleAssembly
    Import-Module ([Microsoft.PowerShell.SecretManagement.SecretManagementModule]::ManifestPath)
    Microsoft.PowerShell.SecretManagement\Register-SecretVault -Name PackageVault -ModuleName Microsoft.PowerShell.SecretStore -DefaultVault
}
Import-Module FhirSecurity
$module = Get-Module FhirSecurity
Import-FhirCaBundle -Name pkg-ca -Path $info.caBundleFile -Force
$credential = [pscredential]::new($info.basicUser, [Net.NetworkCredential]::new('', $info.basicPassword).SecurePassword)
New-FhirBasicAuth -Name pkg-basic -Credential $credential -Force
New-FhirConnection -Name pkg -BaseUri $info.basicBase -BasicAuth pkg-basic -CaBundle pkg-ca -Force
$patient = Invoke-FhirRequest pkg Patient/pat-0001
Remove-FhirConnection pkg -Confirm:$false; Remove-FhirBasicAuth pkg-basic -Confirm:$false; Remove-FhirCaBundle pkg-ca -Confirm:$false
"module=$($module.ModuleBase)"
"patient=$($patient.id)"
'@
        $double = if ($script:testEnv.VaultKind -eq 'Double') { Find-FhirTestBuild -Project 'SecretManagementDouble' } else { '' }
        $infoFile = Join-Path $script:testEnv.Folder 'server.json'

        $lines = Invoke-FhirTestChildPwsh -File $child -ArgumentList $script:installed.InstalledLocation, $double, $infoFile

        $lines | Should -Contain 'patient=pat-0001'
        ($lines | Where-Object { $_ -like 'module=*' }) | Should -BeLike "module=$($script:installed.InstalledLocation)*"
    }
}
