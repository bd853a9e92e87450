#Requires -Version 7.4
# Pester 5 suite: ForEach-Object -Parallel reads and writes. SecretManagement runs every vault call of the process in
# one shared runspace and fails calls that overlap; the double does the same, so these tests show what users of the
# real module see with bare Get-Secret calls, and that FhirSecurity's own vault calls do not collide.
Describe 'Parallel runspaces' -Tag 'FhirSecurity', 'Parallel' {
    BeforeAll {
        . (Join-Path $PSScriptRoot 'TestEnvironment.ps1')
        $script:testEnv = Start-FhirTestEnvironment
        $script:info = $script:testEnv.Info
        $script:manifest = Get-FhirTestModuleManifest
        $script:vault = Get-FhirTestVaultName
        $script:double = $script:testEnv.VaultKind -eq 'Double'
        if ($script:double) {
            # A real SecretStore call takes milliseconds (it decrypts its file); so does the double's here.
            [Microsoft.PowerShell.SecretManagement.TestVaults]::CallLatency = [timespan]::FromMilliseconds(10)
            [Microsoft.PowerShell.SecretManagement.TestVaults]::ResetCalls()
        }
        Import-FhirCaBundle -Name test-ca -Path $script:info.caBundleFile
        New-FhirOAuth -Name par-oauth -TokenUrl $script:info.tokenEndpoint -ClientId $script:info.oauthClientId `
            -ClientSecret (New-FhirTestSecureString $script:info.oauthClientSecret) -Scope ($script:info.oauthScopes -split ' ')
        New-FhirConnection -Name par -BaseUri $script:info.oauthBase -OAuth par-oauth -CaBundle test-ca
    }

    AfterAll {
        if ($script:double) {
            [Microsoft.PowerShell.SecretManagement.TestVaults]::CallLatency = [timespan]::FromMilliseconds(1)
        }
        Remove-FhirTestDefinition
        Stop-FhirTestEnvironment $script:testEnv
    }

    It 'loses bare Get-Secret reads from 8 runspaces, as the real SecretManagement does' {
        Microsoft.PowerShell.SecretManagement\Set-Secret -Name par-bare -Secret value -Vault $script:vault
        $vault = $script:vault

        $results = 1..64 | ForEach-Object -ThrottleLimit 8 -Parallel {
            $value = Microsoft.PowerShell.SecretManagement\Get-Secret -Name par-bare -Vault $using:vault -AsPlainText -ErrorAction SilentlyContinue -ErrorVariable failure
            if ($failure) { "failed: $($failure[0].FullyQualifiedErrorId)" } else { $value }
        }
        Microsoft.PowerShell.SecretManagement\Remove-Secret -Name par-bare -Vault $script:vault

        $failed = @($results | Where-Object { $_ -like 'failed: *' })
        $failed.Count | Should -BeGreaterThan 0 -Because 'overlapping vault calls fail in SecretManagement'
        $failed | Should -Contain 'failed: GetSecretInvalidOperation,Microsoft.PowerShell.SecretManagement.GetSecretCommand'
    }

    It 'writes 16 definitions from 8 runspaces without losing one' {
        $manifest = $script:manifest
        $password = $script:info.basicPassword

        $written = 1..16 | ForEach-Object -ThrottleLimit 8 -Parallel {
            Import-Module $using:manifest
            $credential = [pscredential]::new("user$_", [System.Net.NetworkCredential]::new('', $using:password).SecurePassword)
            New-FhirBasicAuth -Name "par-$_" -Credential $credential -PassThru -ErrorAction Continue
            "errors: $($Error.Count)"
        }

        @($written | Where-Object { $_ -isnot [string] }).Count | Should -Be 16
        @($written | Where-Object { $_ -is [string] }) | Should -Be (@('errors: 0') * 16)
        (Get-FhirBasicAuth -Name 'par-*').Name | Sort-Object | Should -Be (1..16 | ForEach-Object { "par-$_" } | Sort-Object)
    }

    It 'reads the connection from 8 runspaces and shares one token' {
        Clear-FhirTokenCache
        $manifest = $script:manifest

        $ids = 1..8 | ForEach-Object -ThrottleLimit 8 -Parallel {
            Import-Module $using:manifest
            foreach ($i in 1..8) { (Invoke-FhirRequest -Connection par -Path Patient/pat-0001 -ErrorAction Continue).id }
            "errors: $($Error.Count)"
        }

        @($ids | Where-Object { $_ -eq 'pat-0001' }).Count | Should -Be 64
        @($ids | Where-Object { $_ -like 'errors: *' }) | Should -Be (@('errors: 0') * 8)
        $tokens = @(Get-FhirTokenCache | Where-Object OAuth -EQ 'par-oauth')
        $tokens | Should -HaveCount 1
        $tokens[0].Fetches | Should -Be 1
    }

    It 'makes no two vault calls of its own at once' {
        # With the double, collisions are counted: only the bare Get-Secret calls above collided.
        $before = if ($script:double) { [Microsoft.PowerShell.SecretManagement.TestVaults]::Collisions }
        $manifest = $script:manifest

        $errors = 1..8 | ForEach-Object -ThrottleLimit 8 -Parallel {
            Import-Module $using:manifest
            foreach ($i in 1..4) { $null = Get-FhirConnection -Name par; $null = Get-FhirOAuth -Name par-oauth }
            $Error.Count
        }

        $errors | Should -Be (@(0) * 8)
        if ($script:double) {
            $before | Should -BeGreaterThan 0
            [Microsoft.PowerShell.SecretManagement.TestVaults]::Collisions | Should -Be $before
        }
    }
}
