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

    Context 'a federated assertion file' {
        BeforeEach {
            $script:assertionFile = Join-Path $TestDrive 'azure-identity-token'
            $script:first = Get-FhirTestFederatedAssertion $script:info
            Set-Content -Path $script:assertionFile -Value $script:first -NoNewline
            $script:errorsBefore = $Error.Count
        }

        It 'gets tokens for the assertion in the file, reads the rotated file, and shows or stores no assertion' {
            $created = New-FhirOAuth -Name workload -TokenUrl $script:info.tokenEndpoint -ClientId $script:info.federatedClientId `
                -ClientAssertionPath $script:assertionFile -Scope system/Patient.read -PassThru
            New-FhirConnection -Name ehr -BaseUri $script:info.oauthBase -OAuth workload -CaBundle test-ca
            (Invoke-FhirRequest ehr Patient/pat-0001).id | Should -Be 'pat-0001'

            $rotated = Get-FhirTestFederatedAssertion $script:info
            Set-Content -Path $script:assertionFile -Value $rotated -NoNewline
            Clear-FhirTokenCache -Confirm:$false
            (Invoke-FhirRequest ehr Patient/pat-0001 -Verbose 4>&1 | Out-String) | Should -Not -Match ([regex]::Escape($rotated))

            $created.ClientAuthentication | Should -Be 'ClientAssertionFile'
            $created.ClientAssertionPath | Should -Be $script:assertionFile
            (Get-FhirTokenCache -OAuth workload).Fetches | Should -Be 1
            $shown = ($created | Format-List * | Out-String) + (Get-FhirOAuth workload | Format-Table * | Out-String)
            $stored = Microsoft.PowerShell.SecretManagement\Get-Secret -Name FhirSecurity-OAuth-workload -AsPlainText
            foreach ($assertion in $script:first, $rotated) {
                $shown | Should -Not -Match ([regex]::Escape($assertion))
                $stored | Should -Not -Match ([regex]::Escape($assertion))
            }
            $Error.Count | Should -Be $script:errorsBefore
        }

        It 'passes a refused assertion through in the server''s words' {
            $expired = Get-FhirTestFederatedAssertion $script:info -LifetimeSeconds -120
            Set-Content -Path $script:assertionFile -Value $expired -NoNewline
            New-FhirOAuth -Name workload -TokenUrl $script:info.tokenEndpoint -ClientId $script:info.federatedClientId `
                -ClientAssertionPath $script:assertionFile -Scope system/Patient.read
            New-FhirConnection -Name ehr -BaseUri $script:info.oauthBase -OAuth workload -CaBundle test-ca

            $refused = { Invoke-FhirRequest ehr Patient/pat-0001 -ErrorAction Stop } |
                Should -Throw -ErrorId 'OAuthTokenRequestFailed,FhirSecurity.Commands.InvokeFhirRequestCommand' -PassThru
            $refused.Exception.Message | Should -Match 'AADSTS700024'
            ($refused | Format-List * -Force | Out-String) | Should -Not -Match ([regex]::Escape($expired))
        }

        It 'makes the definition from the variables AKS workload identity sets' {
            $saved = @{}
            $variables = @{
                AZURE_CLIENT_ID            = $script:info.federatedClientId
                AZURE_TENANT_ID            = 'contoso.onmicrosoft.com'
                AZURE_FEDERATED_TOKEN_FILE = $script:assertionFile
                AZURE_AUTHORITY_HOST       = $null
            }
            try {
                foreach ($name in $variables.Keys) {
                    $saved[$name] = [Environment]::GetEnvironmentVariable($name)
                    [Environment]::SetEnvironmentVariable($name, $variables[$name])
                }
                $made = New-FhirOAuth -Name aks -FromEnvironment -Scope 'https://ws-fhir.fhir.azurehealthcareapis.com/.default' -PassThru
            }
            finally {
                foreach ($name in $saved.Keys) { [Environment]::SetEnvironmentVariable($name, $saved[$name]) }
            }

            $made.TokenUrl | Should -Be 'https://login.microsoftonline.com/contoso.onmicrosoft.com/oauth2/v2.0/token'
            $made.ClientId | Should -Be $script:info.federatedClientId
            $made.ClientAssertionPath | Should -Be $script:assertionFile
            { New-FhirOAuth -Name aks2 -FromEnvironment -ErrorAction Stop } |
                Should -Throw -ErrorId 'OAuthEnvironmentIncomplete,FhirSecurity.Commands.NewFhirOAuthCommand'
        }
    }

    Context 'a managed identity' {
        BeforeAll {
            # The test server's loopback App Service endpoint, before any request: Azure.Identity never tries IMDS.
            $script:savedIdentity = $env:IDENTITY_ENDPOINT, $env:IDENTITY_HEADER
            $env:IDENTITY_ENDPOINT = $script:info.managedIdentityEndpoint
            $env:IDENTITY_HEADER = $script:info.identityHeader
        }

        AfterAll {
            $env:IDENTITY_ENDPOINT, $env:IDENTITY_HEADER = $script:savedIdentity
        }

        BeforeEach {
            # MSAL caches managed identity tokens per process by resource: a resource of its own for each test.
            $script:scope = "https://fhir-$([guid]::NewGuid().ToString('n')).fhir.azurehealthcareapis.com/.default"
            $script:errorsBefore = $Error.Count
        }

        It 'reads with a token of the system-assigned identity and shows or stores no identity secret' {
            $created = New-FhirOAuth -Name mi -ManagedIdentity -Scope $script:scope -PassThru
            New-FhirConnection -Name ehr -BaseUri $script:info.oauthBase -OAuth mi -CaBundle test-ca

            $verbose = Invoke-FhirRequest ehr Patient/pat-0001 -Verbose 4>&1
            (Invoke-FhirRequest ehr Patient/pat-0001).id | Should -Be 'pat-0001'

            $created.ClientAuthentication | Should -Be 'ManagedIdentity'
            $created.TokenUrl | Should -BeNullOrEmpty
            (Get-FhirTokenCache -OAuth mi).Fetches | Should -Be 1
            $shown = ($verbose | Out-String) + ($created | Format-List * | Out-String) + (Get-FhirTokenCache | Format-List * | Out-String)
            $shown += Microsoft.PowerShell.SecretManagement\Get-Secret -Name FhirSecurity-OAuth-mi -AsPlainText
            $shown | Should -Not -Match ([regex]::Escape($script:info.identityHeader))
            $Error.Count | Should -Be $script:errorsBefore
        }

        It 'says there is no managed identity when the endpoint refuses the connection' {
            $listener = [System.Net.Sockets.TcpListener]::new([System.Net.IPAddress]::Loopback, 0)
            $listener.Start()
            $closed = $listener.LocalEndpoint.Port
            $listener.Stop()
            $env:IDENTITY_ENDPOINT = "http://127.0.0.1:$closed/msi/token"
            try {
                New-FhirOAuth -Name mi -ManagedIdentity -Scope $script:scope
                New-FhirConnection -Name ehr -BaseUri $script:info.oauthBase -OAuth mi -CaBundle test-ca

                $refused = { Invoke-FhirRequest ehr Patient/pat-0001 -ErrorAction Stop } |
                    Should -Throw -ErrorId 'ManagedIdentityUnavailable,FhirSecurity.Commands.InvokeFhirRequestCommand' -PassThru
                $refused.Exception.Message | Should -Match 'not running in Azure, or the identity is not enabled'
            }
            finally {
                $env:IDENTITY_ENDPOINT = $script:info.managedIdentityEndpoint
            }
        }
    }
}
