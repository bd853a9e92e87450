#Requires -Version 7.4
# Pester 5 suite: Invoke-FhirRequest against the HTTPS test server, and mocking it in a caller's tests.
Describe 'Invoke-FhirRequest' -Tag 'FhirSecurity', 'Request' {
    BeforeAll {
        . (Join-Path $PSScriptRoot 'TestEnvironment.ps1')
        $script:testEnv = Start-FhirTestEnvironment
        $script:info = $script:testEnv.Info
        Import-FhirCaBundle -Name test-ca -Path $script:info.caBundleFile
        New-FhirOAuth -Name test-oauth -TokenUrl $script:info.tokenEndpoint -ClientId $script:info.oauthClientId `
            -ClientSecret (New-FhirTestSecureString $script:info.oauthClientSecret) -Scope ($script:info.oauthScopes -split ' ')
        New-FhirConnection -Name ehr -BaseUri $script:info.oauthBase -OAuth test-oauth -CaBundle test-ca
        $basic = [pscredential]::new($script:info.basicUser, (New-FhirTestSecureString $script:info.basicPassword))
        New-FhirBasicAuth -Name test-basic -Credential $basic
        New-FhirConnection -Name ehr-basic -BaseUri $script:info.basicBase -BasicAuth test-basic -CaBundle test-ca
        New-FhirConnection -Name untrusted -BaseUri $script:info.openBase
    }

    AfterAll {
        Get-FhirConnection | Remove-FhirConnection -Confirm:$false
        Stop-FhirTestEnvironment $script:testEnv
    }

    It 'reads a resource with OAuth' {
        $patient = Invoke-FhirRequest ehr Patient/pat-0001

        $patient.resourceType | Should -Be 'Patient'
        $patient.id | Should -Be 'pat-0001'
    }

    It 'reads a resource with Basic Auth' {
        (Invoke-FhirRequest ehr-basic Patient/pat-0001).id | Should -Be 'pat-0001'
    }

    It 'streams every page of a search with -All' {
        $all = Invoke-FhirRequest ehr Patient -Query @{ _count = 10 } -All

        $all | Should -HaveCount 25
        ($all.id | Sort-Object -Unique) | Should -HaveCount 25
    }

    It 'PUTs piped resources to their own URLs' {
        $updated = Invoke-FhirRequest ehr Patient -Query @{ _count = 10 } -All |
            Where-Object id -In 'pat-0002', 'pat-0020' |
            ForEach-Object { $_ | Add-Member -NotePropertyName gender -NotePropertyValue unknown -Force -PassThru } |
            Invoke-FhirRequest -Method PUT -Connection ehr

        ($updated.id | Sort-Object) | Should -Be @('pat-0002', 'pat-0020')
        (Invoke-FhirRequest ehr Patient/pat-0020).gender | Should -Be 'unknown'
    }

    It 'refuses a server its trust store does not know, with TlsValidationFailed' {
        { Invoke-FhirRequest untrusted Patient/pat-0001 -ErrorAction Stop } |
            Should -Throw -ErrorId 'TlsValidationFailed,FhirSecurity.Commands.InvokeFhirRequestCommand'
    }

    It 'reports a missing resource as FhirRequestFailed with its status' {
        $err = $null
        Invoke-FhirRequest ehr Patient/does-not-exist -ErrorAction SilentlyContinue -ErrorVariable err

        $err | Should -HaveCount 1
        $err[0].FullyQualifiedErrorId | Should -BeLike 'FhirRequestFailed,*'
        $err[0].Exception.StatusCode | Should -Be 404
    }

    It 'keeps the token out of every stream' {
        $text = Invoke-FhirRequest ehr Patient/pat-0001 -Verbose 4>&1 | Out-String
        $text += Get-FhirTokenCache | Format-List * | Out-String

        $text | Should -Not -Match ([regex]::Escape($script:info.oauthClientSecret))
        $text | Should -Not -Match 'Bearer\s+\S'
    }
}

Describe 'Test-FhirConnection' -Tag 'FhirSecurity', 'Request' {
    BeforeAll {
        . (Join-Path $PSScriptRoot 'TestEnvironment.ps1')
        $script:testEnv = Start-FhirTestEnvironment
        $script:info = $script:testEnv.Info
        Import-FhirCaBundle -Name test-ca -Path $script:info.caBundleFile -Force
        New-FhirOAuth -Name probe-oauth -TokenUrl $script:info.tokenEndpoint -ClientId $script:info.oauthClientId `
            -ClientSecret (New-FhirTestSecureString $script:info.oauthClientSecret) -Scope ($script:info.oauthScopes -split ' ') -Force
        New-FhirConnection -Name probe -BaseUri $script:info.oauthBase -OAuth probe-oauth -CaBundle test-ca -Force
        New-FhirConnection -Name probe-untrusted -BaseUri $script:info.openBase -Force
    }

    AfterAll {
        'probe', 'probe-untrusted' | Remove-FhirConnection -Confirm:$false -ErrorAction SilentlyContinue
        Remove-FhirOAuth -Name probe-oauth -Confirm:$false -ErrorAction SilentlyContinue
        Stop-FhirTestEnvironment $script:testEnv
    }

    It 'passes every step and shows them in the list view' {
        $result = Test-FhirConnection probe

        $result.Passed | Should -BeTrue
        $result.Steps.Name | Should -Be @('Dns', 'Tcp', 'Tls', 'Token', 'Metadata', 'Clock')
        $result.FhirVersion | Should -Be '4.0.1'
        $list = $result | Format-List | Out-String
        $list | Should -Match 'GrantedScopes\s+:'
        $list | Should -Match 'Steps\s+: Dns: Passed, Tcp: Passed, Tls: Passed, Token: Passed, Metadata: Passed, Clock: Passed'
        $list | Should -Not -Match ([regex]::Escape($script:info.oauthClientSecret))
    }

    It 'writes ConnectionTestTlsFailed and still returns the result' {
        $err = $null
        $result = Test-FhirConnection probe-untrusted -ErrorAction SilentlyContinue -ErrorVariable err

        $err | Should -HaveCount 1
        $err[0].FullyQualifiedErrorId | Should -BeLike 'ConnectionTestTlsFailed,*'
        $result.Passed | Should -BeFalse
        ($result.Steps | Where-Object Name -EQ 'Metadata').Status | Should -Be 'Skipped'
    }
}

Describe 'Mocking Invoke-FhirRequest in a caller''s tests' -Tag 'FhirSecurity', 'Request' {
    BeforeAll {
        # A binary module's cmdlet is mocked in the caller's scope: Pester puts a function of the same name in
        # front of it, so code that calls Invoke-FhirRequest from this script (or a script module's function,
        # with Mock -ModuleName <that module>) gets the mock. No server, no vault.
        Import-Module (Join-Path $PSScriptRoot '../../out/FhirSecurity/FhirSecurity.psd1') -Force
        function Get-PatientFamilyName {
            param([string] $Id)
            (Invoke-FhirRequest -Connection ehr -Path "Patient/$Id").name[0].family
        }
    }

    AfterAll {
        Remove-Module -Name FhirSecurity -Force -ErrorAction SilentlyContinue
    }

    It 'returns what the mock gives and is called with the expected path' {
        Mock Invoke-FhirRequest { [pscustomobject]@{ resourceType = 'Patient'; name = @([pscustomobject]@{ family = 'Mocked' }) } }

        Get-PatientFamilyName -Id 123 | Should -Be 'Mocked'

        Should -Invoke Invoke-FhirRequest -Times 1 -Exactly -ParameterFilter { $Path -eq 'Patient/123' -and "$Connection" -eq 'ehr' }
    }
}
