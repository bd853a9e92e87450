#Requires -Version 7.4
# Pester 5 suite: New-, Get-, Set-, Remove-FhirOAuth, and tokens from the test server's token endpoint.
Describe 'OAuth definitions' -Tag 'FhirSecurity', 'OAuth' {
    BeforeAll {
        . (Join-Path $PSScriptRoot 'TestEnvironment.ps1')
        $script:testEnv = Start-FhirTestEnvironment
        $script:info = $script:testEnv.Info
        $script:secret = New-FhirTestSecureString $script:info.oauthClientSecret
        Import-FhirCaBundle -Name test-ca -Path $script:info.caBundleFile
    }

    AfterAll {
        Stop-FhirTestEnvironment $script:testEnv
    }

    AfterEach {
        Get-FhirConnection | Remove-FhirConnection -Confirm:$false
        Get-FhirOAuth | Remove-FhirOAuth -Confirm:$false
        Clear-FhirTokenCache -Confirm:$false
    }

    It 'creates a definition whose client secret never shows' {
        $created = New-FhirOAuth -Name ehr-oauth -TokenUrl $script:info.tokenEndpoint -ClientId $script:info.oauthClientId -ClientSecret $script:secret -Scope system/Patient.read -PassThru

        $created.ClientId | Should -Be $script:info.oauthClientId
        @($created.Scope) | Should -Be @('system/Patient.read')
        ($created | Format-List * | Out-String) | Should -Not -Match ([regex]::Escape($script:info.oauthClientSecret))
    }

    It 'refuses a token URL that is not https' {
        { New-FhirOAuth -Name bad -TokenUrl http://auth.example.org/token -ClientId x -ClientSecret $script:secret -ErrorAction Stop } |
            Should -Throw -ErrorId 'OAuthTokenUrlInvalid,FhirSecurity.Commands.NewFhirOAuthCommand'
    }

    It 'fetches one token for many requests and shows it in the cache without the token' {
        New-FhirOAuth -Name ehr-oauth -TokenUrl $script:info.tokenEndpoint -ClientId $script:info.oauthClientId -ClientSecret $script:secret -Scope system/Patient.read
        New-FhirConnection -Name ehr -BaseUri $script:info.oauthBase -OAuth ehr-oauth -CaBundle test-ca

        1..3 | ForEach-Object { Invoke-FhirRequest ehr Patient/pat-0001 } | Should -HaveCount 3

        $entry = Get-FhirTokenCache -OAuth ehr-oauth
        $entry.Fetches | Should -Be 1
        $entry.IsValid | Should -BeTrue
        $entry.Token | Should -Be '********'
    }

    It 'uses a rotated secret on the next request' {
        New-FhirOAuth -Name ehr-oauth -TokenUrl $script:info.tokenEndpoint -ClientId $script:info.oauthClientId -ClientSecret (New-FhirTestSecureString 'wrong') -Scope system/Patient.read
        New-FhirConnection -Name ehr -BaseUri $script:info.oauthBase -OAuth ehr-oauth -CaBundle test-ca
        { Invoke-FhirRequest ehr Patient/pat-0001 -ErrorAction Stop } | Should -Throw -ErrorId 'OAuthTokenRequestFailed,FhirSecurity.Commands.InvokeFhirRequestCommand'

        Set-FhirOAuth -Name ehr-oauth -ClientSecret $script:secret

        (Invoke-FhirRequest ehr Patient/pat-0001).id | Should -Be 'pat-0001'
    }

    It 'refuses to remove a definition a connection uses' {
        New-FhirOAuth -Name ehr-oauth -TokenUrl $script:info.tokenEndpoint -ClientId $script:info.oauthClientId -ClientSecret $script:secret
        New-FhirConnection -Name ehr -BaseUri $script:info.oauthBase -OAuth ehr-oauth -CaBundle test-ca

        { Remove-FhirOAuth ehr-oauth -Confirm:$false -ErrorAction Stop } | Should -Throw -ErrorId 'DefinitionInUse,FhirSecurity.Commands.RemoveFhirOAuthCommand'
    }
}
