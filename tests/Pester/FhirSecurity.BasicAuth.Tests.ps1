#Requires -Version 7.4
# Pester 5 suite: New-, Get-, Set-, Remove-FhirBasicAuth against a real SecretManagement vault.
Describe 'Basic Auth definitions' -Tag 'FhirSecurity', 'BasicAuth' {
    BeforeAll {
        . (Join-Path $PSScriptRoot 'TestEnvironment.ps1')
        $script:testEnv = Start-FhirTestEnvironment
        $script:password = 'Pester-Canary-Pw-41d7'
        $script:credential = [pscredential]::new('svc-fhir', (New-FhirTestSecureString $script:password))
    }

    AfterAll {
        Stop-FhirTestEnvironment $script:testEnv
    }

    AfterEach {
        Get-FhirBasicAuth | Remove-FhirBasicAuth -Confirm:$false
    }

    It 'creates a definition whose password never shows' {
        $created = New-FhirBasicAuth -Name ehr-basic -Credential $script:credential -PassThru

        $created.Name | Should -Be 'ehr-basic'
        $created.UserName | Should -Be 'svc-fhir'
        $created.Vault | Should -Be 'FhirSecurityPester'
        ($created | Format-List * | Out-String) | Should -Not -Match $script:password
        (Get-FhirBasicAuth ehr-basic | Out-String) | Should -Not -Match $script:password
    }

    It 'stores one vault secret named FhirSecurity-BasicAuth-<name>' {
        New-FhirBasicAuth -Name ehr-basic -Credential $script:credential

        $info = Get-SecretInfo -Name 'FhirSecurity-BasicAuth-ehr-basic' -Vault FhirSecurityPester
        $info | Should -HaveCount 1
    }

    It 'refuses a second definition of the same name unless -Force' {
        New-FhirBasicAuth -Name ehr-basic -Credential $script:credential

        { New-FhirBasicAuth -Name ehr-basic -Credential $script:credential -ErrorAction Stop } |
            Should -Throw -ErrorId 'DefinitionAlreadyExists,FhirSecurity.Commands.NewFhirBasicAuthCommand'
        { New-FhirBasicAuth -Name ehr-basic -Credential $script:credential -Force -ErrorAction Stop } | Should -Not -Throw
    }

    It 'changes only what Set-FhirBasicAuth is given' {
        New-FhirBasicAuth -Name ehr-basic -Credential $script:credential

        $changed = Set-FhirBasicAuth -Name ehr-basic -UserName svc-other -PassThru

        $changed.UserName | Should -Be 'svc-other'
        $changed.Revision | Should -BeGreaterThan 1
    }

    It 'pipes Get- into Remove-' {
        New-FhirBasicAuth -Name old-a -Credential $script:credential
        New-FhirBasicAuth -Name keep -Credential $script:credential

        Get-FhirBasicAuth old* | Remove-FhirBasicAuth -Confirm:$false

        (Get-FhirBasicAuth).Name | Should -Be @('keep')
    }

    It 'rejects names a vault such as Azure Key Vault cannot hold' {
        { New-FhirBasicAuth -Name 'has space' -Credential $script:credential -ErrorAction Stop } |
            Should -Throw -ErrorId 'InvalidDefinitionName,FhirSecurity.Commands.NewFhirBasicAuthCommand'
    }

    It 'says DefinitionNotFound for a name that does not exist' {
        { Get-FhirBasicAuth nope -ErrorAction Stop } | Should -Throw -ErrorId 'DefinitionNotFound,FhirSecurity.Commands.GetFhirBasicAuthCommand'
    }
}
