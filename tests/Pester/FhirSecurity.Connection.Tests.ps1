#Requires -Version 7.4
# Pester 5 suite: New-, Get-, Set-, Remove-FhirConnection, references between definitions, tab completion.
Describe 'Connections' -Tag 'FhirSecurity', 'Connection' {
    BeforeAll {
        . (Join-Path $PSScriptRoot 'TestEnvironment.ps1')
        $script:testEnv = Start-FhirTestEnvironment
        $script:info = $script:testEnv.Info
        Import-FhirCaBundle -Name test-ca -Path $script:info.caBundleFile
        $basic = [pscredential]::new($script:info.basicUser, (New-FhirTestSecureString $script:info.basicPassword))
        New-FhirBasicAuth -Name test-basic -Credential $basic
        New-FhirOAuth -Name test-oauth -TokenUrl $script:info.tokenEndpoint -ClientId $script:info.oauthClientId -ClientSecret (New-FhirTestSecureString $script:info.oauthClientSecret)
    }

    AfterAll {
        Get-FhirConnection | Remove-FhirConnection -Confirm:$false
        Stop-FhirTestEnvironment $script:testEnv
    }

    AfterEach {
        Get-FhirConnection | Remove-FhirConnection -Confirm:$false
    }

    It 'creates a connection that names its Basic Auth and CA bundle' {
        $created = New-FhirConnection -Name ehr -BaseUri $script:info.basicBase -BasicAuth test-basic -CaBundle test-ca -PassThru

        $created.BasicAuth | Should -Be 'test-basic'
        $created.OAuth | Should -BeNullOrEmpty
        "$($created.TlsValidation)" | Should -Be 'CustomBundle'
        $created.CaBundle | Should -Be 'test-ca'
    }

    It 'refuses a reference that does not exist' {
        { New-FhirConnection -Name ehr -BaseUri $script:info.basicBase -BasicAuth ghost -CaBundle test-ca -ErrorAction Stop } |
            Should -Throw -ErrorId 'ReferencedDefinitionNotFound,FhirSecurity.Commands.NewFhirConnectionCommand'
    }

    It 'refuses credentials over http unless allowed' {
        { New-FhirConnection -Name ehr -BaseUri 'http://fhir.example.org/r4' -BasicAuth test-basic -ErrorAction Stop } |
            Should -Throw -ErrorId 'ConnectionUnencryptedAuthentication,FhirSecurity.Commands.NewFhirConnectionCommand'
    }

    It 'switches from Basic to OAuth with Set-FhirConnection' {
        New-FhirConnection -Name ehr -BaseUri $script:info.basicBase -BasicAuth test-basic -CaBundle test-ca

        $changed = Set-FhirConnection -Name ehr -BaseUri $script:info.oauthBase -OAuth test-oauth -PassThru

        $changed.OAuth | Should -Be 'test-oauth'
        $changed.BasicAuth | Should -BeNullOrEmpty
    }

    It 'pipes Get-FhirConnection prod* into Set- and Remove-' {
        New-FhirConnection -Name prod-a -BaseUri https://a.example.org
        New-FhirConnection -Name prod-b -BaseUri https://b.example.org
        New-FhirConnection -Name test -BaseUri https://t.example.org

        Get-FhirConnection prod* | Set-FhirConnection -TimeoutSec 10
        (Get-FhirConnection prod*).TimeoutSec | Should -Be @(10, 10)

        Get-FhirConnection prod* | Remove-FhirConnection -Confirm:$false
        (Get-FhirConnection).Name | Should -Be @('test')
    }

    It 'keeps an explicit proxy with credentials and never shows the password' {
        $proxyCredential = [pscredential]::new('proxy-user', (New-FhirTestSecureString 'CanaryProxyPw-pester'))
        $created = New-FhirConnection -Name ehr -BaseUri https://fhir.example.org/r4 -Proxy http://proxy.example.org:3128 -ProxyCredential $proxyCredential -PassThru

        $created.ProxyMode | Should -Be 'Explicit'
        "$($created.Proxy)" | Should -Be 'http://proxy.example.org:3128/'
        $created.ProxyUserName | Should -Be 'proxy-user'
        ($created | Format-List * | Out-String) | Should -Not -Match 'CanaryProxyPw-pester'
        (Set-FhirConnection -Name ehr -NoProxy -PassThru).ProxyMode | Should -Be 'None'
        (Set-FhirConnection -Name ehr -SystemProxy -PassThru).ProxyMode | Should -Be 'System'
    }

    It 'refuses -Proxy together with -NoProxy, and an https proxy' {
        { New-FhirConnection -Name ehr -BaseUri https://fhir.example.org/r4 -Proxy http://proxy.example.org:3128 -NoProxy -ErrorAction Stop } |
            Should -Throw -ErrorId 'ConnectionProxyConflict,FhirSecurity.Commands.NewFhirConnectionCommand'
        { New-FhirConnection -Name ehr -BaseUri https://fhir.example.org/r4 -Proxy https://proxy.example.org:3128 -ErrorAction Stop } |
            Should -Throw -ErrorId 'ConnectionProxyUriInvalid,FhirSecurity.Commands.NewFhirConnectionCommand'
        Get-FhirConnection -Name ehr -ErrorAction SilentlyContinue | Should -BeNullOrEmpty
    }

    It 'refuses a client certificate file that does not exist and writes nothing' {
        { New-FhirConnection -Name ehr -BaseUri https://fhir.example.org/r4 -ClientCertificatePath (Join-Path $TestDrive 'missing.pfx') -ErrorAction Stop } |
            Should -Throw -ErrorId 'ClientCertificateFileNotFound,FhirSecurity.Commands.NewFhirConnectionCommand'
        Get-FhirConnection -Name ehr -ErrorAction SilentlyContinue | Should -BeNullOrEmpty
    }

    It 'completes connection names and vault names' {
        New-FhirConnection -Name prod-eu -BaseUri https://eu.example.org
        New-FhirConnection -Name prod-us -BaseUri https://us.example.org

        $line = 'Invoke-FhirRequest -Connection prod-'
        (TabExpansion2 -inputScript $line -cursorColumn $line.Length).CompletionMatches.CompletionText | Should -Be @('prod-eu', 'prod-us')
        $line = 'Get-FhirConnection -Vault FhirSecurityPe'
        (TabExpansion2 -inputScript $line -cursorColumn $line.Length).CompletionMatches.CompletionText | Should -Be @('FhirSecurityPester')
        $line = 'New-FhirConnection -Name x -BaseUri https://x.example.org -BasicAuth test-'
        (TabExpansion2 -inputScript $line -cursorColumn $line.Length).CompletionMatches.CompletionText | Should -Be @('test-basic')
    }
}
