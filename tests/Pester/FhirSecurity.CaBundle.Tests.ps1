#Requires -Version 7.4
# Pester 5 suite: Import-, Get-, Set-, Remove-FhirCaBundle with the test server's CA.
Describe 'CA bundles' -Tag 'FhirSecurity', 'CaBundle' {
    BeforeAll {
        . (Join-Path $PSScriptRoot 'TestEnvironment.ps1')
        $script:testEnv = Start-FhirTestEnvironment
        $script:pemFile = $script:testEnv.Info.caBundleFile
        $script:scratch = Join-Path $script:testEnv.Folder 'scratch'
        $null = New-Item -ItemType Directory -Path $script:scratch
    }

    AfterAll {
        Stop-FhirTestEnvironment $script:testEnv
    }

    AfterEach {
        Get-FhirConnection | Remove-FhirConnection -Confirm:$false
        Get-FhirCaBundle | Remove-FhirCaBundle -Confirm:$false
    }

    It 'imports a PEM file and lists its CA certificates' {
        $bundle = Import-FhirCaBundle -Name test-ca -Path $script:pemFile -PassThru

        $bundle.Name | Should -Be 'test-ca'
        @($bundle.Certificates).Count | Should -BeGreaterOrEqual 1
    }

    It 'imports PEM text' {
        Import-FhirCaBundle -Name test-ca -Pem (Get-Content -Raw -Path $script:pemFile)

        (Get-FhirCaBundle test-ca).Name | Should -Be 'test-ca'
    }

    It 'refuses a file that does not exist' {
        { Import-FhirCaBundle -Name test-ca -Path (Join-Path $script:scratch 'nope.pem') -ErrorAction Stop } |
            Should -Throw -ErrorId 'CaBundleFileNotFound,FhirSecurity.Commands.ImportFhirCaBundleCommand'
    }

    It 'refuses text without a certificate' {
        { Import-FhirCaBundle -Name test-ca -Pem 'no certificate here' -ErrorAction Stop } | Should -Throw
    }

    It 'refuses a PEM that holds a private key' {
        $withKey = Join-Path $script:scratch 'with-key.pem'
        Set-Content -Path $withKey -Value ((Get-Content -Raw -Path $script:pemFile) + "`n-----BEGIN PRIVATE KEY-----`nAAAA`n-----END PRIVATE KEY-----`n")

        { Import-FhirCaBundle -Name test-ca -Path $withKey -ErrorAction Stop } |
            Should -Throw -ErrorId 'CaBundleContainsPrivateKey,FhirSecurity.Commands.ImportFhirCaBundleCommand'
    }

    It 'lets a connection trust the test server through the bundle' {
        Import-FhirCaBundle -Name test-ca -Path $script:pemFile
        New-FhirConnection -Name open -BaseUri $script:testEnv.Info.openBase -CaBundle test-ca

        (Invoke-FhirRequest open Patient/pat-0001).resourceType | Should -Be 'Patient'
    }

    It 'replaces the certificates with Set-FhirCaBundle' {
        Import-FhirCaBundle -Name test-ca -Path $script:pemFile

        $changed = Set-FhirCaBundle -Name test-ca -Path $script:pemFile -PassThru

        $changed.Revision | Should -BeGreaterThan 1
    }
}
