@{
    RootModule           = 'FhirSecurity.dll'
    ModuleVersion        = '0.1.0'
    GUID                 = 'fa75df7d-e3ad-4ec0-a046-8f72bb7e2d5e'
    Author               = 'FhirSecurity contributors'
    CompanyName          = 'FhirSecurity contributors'
    Copyright            = '(c) FhirSecurity contributors. MIT License.'
    Description          = 'Call HL7 FHIR servers securely: Basic Auth, OAuth 2.0 client credentials and TLS validation, with definitions kept in SecretManagement vaults.'
    PowerShellVersion    = '7.4'
    CompatiblePSEditions = @('Core')
    FormatsToProcess     = @('FhirSecurity.Format.ps1xml')
    CmdletsToExport      = @(
        'New-FhirBasicAuth', 'Get-FhirBasicAuth', 'Set-FhirBasicAuth', 'Remove-FhirBasicAuth',
        'New-FhirOAuth', 'Get-FhirOAuth', 'Set-FhirOAuth', 'Remove-FhirOAuth',
        'Import-FhirCaBundle', 'Get-FhirCaBundle', 'Set-FhirCaBundle', 'Remove-FhirCaBundle',
        'New-FhirConnection', 'Get-FhirConnection', 'Set-FhirConnection', 'Remove-FhirConnection',
        'Invoke-FhirRequest', 'Get-FhirTokenCache', 'Clear-FhirTokenCache',
        'Test-FhirConnection', 'Export-FhirBulkData', 'Stop-FhirBulkExport'
    )
    FunctionsToExport    = @()
    AliasesToExport      = @()
    VariablesToExport    = @()
    PrivateData          = @{
        PSData = @{
            Tags                       = @('FHIR', 'HL7', 'OAuth', 'SMART', 'TLS', 'SecretManagement', 'Healthcare', 'PSEdition_Core', 'Windows', 'Linux', 'MacOS')
            ProjectUri                 = 'https://github.com/fhirsecurity/FhirSecurity'
            LicenseUri                 = 'https://github.com/fhirsecurity/FhirSecurity/blob/main/LICENSE'
            ExternalModuleDependencies = @('Microsoft.PowerShell.SecretManagement')
            ReleaseNotes               = '0.1.0: definitions (Basic Auth, OAuth, CA bundles, connections) stored in SecretManagement vaults; Invoke-FhirRequest with TLS validation (system store, custom CA bundle), OAuth tokens cached in memory and refreshed, redirects, retries and paging; tab completion of every name.'
            RequireLicenseAcceptance   = $false
        }
    }
}
