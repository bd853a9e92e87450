#Requires -Version 7.4
# Pester 5 suite: what a user's console session does with the module besides calling it: $Error after commands that
# succeed, Remove-Module then Import-Module, Get-Help as it renders, and tab completion through TabExpansion2.
Describe 'A console session' -Tag 'FhirSecurity', 'Session' {
    BeforeAll {
        . (Join-Path $PSScriptRoot 'TestEnvironment.ps1')
        $script:testEnv = Start-FhirTestEnvironment
        $script:info = $script:testEnv.Info
        $script:manifest = Get-FhirTestModuleManifest
        $script:basic = [pscredential]::new($script:info.basicUser, (New-FhirTestSecureString $script:info.basicPassword))
        Import-FhirCaBundle -Name test-ca -Path $script:info.caBundleFile
        New-FhirOAuth -Name sess-oauth -TokenUrl $script:info.tokenEndpoint -ClientId $script:info.oauthClientId `
            -ClientSecret (New-FhirTestSecureString $script:info.oauthClientSecret) -Scope ($script:info.oauthScopes -split ' ')
        New-FhirConnection -Name sess-ehr -BaseUri $script:info.oauthBase -OAuth sess-oauth -CaBundle test-ca

        function Complete {
            param([Parameter(Mandatory)] [string] $Line)
            (TabExpansion2 -inputScript $Line -cursorColumn $Line.Length).CompletionMatches.CompletionText
        }
    }

    AfterAll {
        Remove-FhirTestDefinition
        Stop-FhirTestEnvironment $script:testEnv
    }

    Context '$Error after success' {
        It 'stays empty through definitions made, changed, read and removed (ErrorActionPreference <Preference>)' -TestCases @(
            @{ Preference = 'Continue' }, @{ Preference = 'Stop' }
        ) {
            $ErrorActionPreference = $Preference
            $Error.Clear()

            New-FhirBasicAuth -Name sess-basic -Credential $script:basic
            New-FhirConnection -Name sess-basic-ehr -BaseUri $script:info.basicBase -BasicAuth sess-basic -CaBundle test-ca
            Set-FhirBasicAuth -Name sess-basic -Credential $script:basic
            $null = Get-FhirConnection -Name 'sess-*'
            $null = Invoke-FhirRequest sess-basic-ehr Patient/pat-0001
            Remove-FhirConnection -Name sess-basic-ehr -Confirm:$false
            Remove-FhirBasicAuth -Name sess-basic -Confirm:$false

            $Error.Count | Should -Be 0
        }

        It 'holds only the module''s own error when a command fails' {
            $Error.Clear()

            Get-FhirBasicAuth -Name sess-missing -ErrorAction SilentlyContinue

            @($Error.FullyQualifiedErrorId) | Should -Be @('DefinitionNotFound,FhirSecurity.Commands.GetFhirBasicAuthCommand')
        }
    }

    Context 'Remove-Module, then Import-Module' {
        It 'works again after the module is removed and imported in the same session' {
            $null = Invoke-FhirRequest sess-ehr Patient/pat-0001
            Remove-Module -Name FhirSecurity -Force
            Get-Command -Name Invoke-FhirRequest -ErrorAction SilentlyContinue | Should -BeNullOrEmpty

            Import-Module -Name $script:manifest -Force

            (Get-Command -Module FhirSecurity).Count | Should -Be 22
            (Invoke-FhirRequest sess-ehr Patient/pat-0001).id | Should -Be 'pat-0001'
            (Get-FhirConnection sess-ehr | Format-Table | Out-String) | Should -Match 'sess-ehr'
            # The process keeps its token cache: the token fetched before the removal is still the one in use.
            (Get-FhirTokenCache | Where-Object OAuth -EQ 'sess-oauth').Fetches | Should -Be 1
        }
    }

    Context 'Help' {
        # Discovery runs before BeforeAll imports the module: the commands come from the manifest.
        It 'shows full help for <Name>' -TestCases @(
            (Import-PowerShellDataFile (Join-Path $PSScriptRoot '../../FhirSecurity.psd1')).CmdletsToExport |
                ForEach-Object { @{ Name = $_ } }
        ) {
            $help = Get-Help -Name $Name -Full
            $text = $help | Out-String -Width 200

            $help.Synopsis | Should -Not -BeNullOrEmpty
            $help.Synopsis | Should -Not -Match ([regex]::Escape($Name) + '\s+\[')  # not the syntax line PowerShell makes up
            $text | Should -Match '(?m)^DESCRIPTION'
            $text | Should -Match '(?m)^PARAMETERS'
            $text | Should -Match '-+ (EXAMPLE|Example) 1'
            @($help.Examples.Example).Count | Should -BeGreaterThan 0
            foreach ($parameter in @($help.Parameters.Parameter)) {
                ($parameter.Description | Out-String).Trim() | Should -Not -BeNullOrEmpty -Because "-$($parameter.Name) of $Name is described"
            }
        }

        It 'has the about_FhirSecurity topic' {
            $text = Get-Help about_FhirSecurity | Out-String

            $text | Should -Match 'SecretVaultBusy'
            $text | Should -Match 'Invoke-FhirRequest'
        }
    }

    Context 'build.ps1' {
        It 'starts the Pester suites in a child pwsh when it runs in the .NET tool''s pwsh' {
            # This pwsh is the .NET tool's: its process is dotnet, not pwsh, which is what build.ps1 once ran again.
            [IO.Path]::GetFileNameWithoutExtension([Environment]::ProcessPath) | Should -Be 'dotnet'
            $suite = Join-Path $script:testEnv.Folder 'Sample.Tests.ps1'
            Set-Content -Path $suite -Value "Describe 'sample' { It 'runs' { 1 | Should -Be 1 } }"

            $lines = Invoke-FhirTestChildPwsh -File (Join-Path (Get-FhirTestRepoRoot) 'build.ps1') `
                -ArgumentList '-Task', 'Pester', '-PesterPath', $suite

            $lines | Should -Contain 'Pester: 1 passed, 0 failed'
        }
    }

    Context 'Tab completion' {
        It 'completes connection names for Invoke-FhirRequest -Connection' {
            Complete 'Invoke-FhirRequest -Connection sess-e' | Should -Be @('sess-ehr')
        }

        It 'completes OAuth, CA bundle and vault names' {
            Complete 'New-FhirConnection -Name x -OAuth sess-' | Should -Be @('sess-oauth')
            Complete 'New-FhirConnection -Name x -CaBundle test-' | Should -Be @('test-ca')
            Complete 'Get-FhirConnection -Vault FhirSecurityP' | Should -Be @((Get-FhirTestVaultName))
        }

        It 'completes parameter values from their enum' {
            Complete 'New-FhirConnection -TlsValidation ' | Sort-Object | Should -Be @('CustomBundle', 'Default', 'Skip')
        }

        It 'leaves $Error as it was' {
            $Error.Clear()
            $null = Complete 'Invoke-FhirRequest -Connection nothing-matches'
            $Error.Count | Should -Be 0
        }
    }
}
