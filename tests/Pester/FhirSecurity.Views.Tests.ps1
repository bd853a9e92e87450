#Requires -Version 7.4
# Pester 5 suite: every default view as a console shows it (Format-Table, Format-List, Out-String), which the
# hosted engine cannot render. The expected headers are read from the module's own format file, so a view that
# stops being applied (a renamed type, a broken file) fails here.
Describe 'Default views' -Tag 'FhirSecurity', 'Views' {
    BeforeAll {
        . (Join-Path $PSScriptRoot 'TestEnvironment.ps1')
        $script:testEnv = Start-FhirTestEnvironment
        $script:info = $script:testEnv.Info
        $script:canaries = @($script:info.oauthClientSecret, $script:info.basicPassword)

        $formatFile = Join-Path (Split-Path (Get-FhirTestModuleManifest)) 'FhirSecurity.Format.ps1xml'
        [xml] $format = Get-Content -Raw -Path $formatFile
        $script:tableHeaders = @{}
        foreach ($view in $format.Configuration.ViewDefinitions.View) {
            if ($view.TableControl) {
                $script:tableHeaders[$view.ViewSelectedBy.TypeName] = @($view.TableControl.TableHeaders.TableColumnHeader.Label)
            }
        }

        Import-FhirCaBundle -Name test-ca -Path $script:info.caBundleFile
        $basic = [pscredential]::new($script:info.basicUser, (New-FhirTestSecureString $script:info.basicPassword))
        New-FhirBasicAuth -Name view-basic -Credential $basic
        New-FhirOAuth -Name view-oauth -TokenUrl $script:info.tokenEndpoint -ClientId $script:info.oauthClientId `
            -ClientSecret (New-FhirTestSecureString $script:info.oauthClientSecret) -Scope ($script:info.oauthScopes -split ' ')
        New-FhirConnection -Name view-conn -BaseUri $script:info.oauthBase -OAuth view-oauth -CaBundle test-ca
        $script:patient = Invoke-FhirRequest view-conn Patient/pat-0001
        $script:test = Test-FhirConnection view-conn

        function Assert-Rendering {
            param([Parameter(Mandatory)] [string] $Text)
            foreach ($canary in $script:canaries) { $Text | Should -Not -Match ([regex]::Escape($canary)) }
            $Text | Should -Not -Match 'Bearer\s+\S'
        }
    }

    AfterAll {
        Remove-FhirTestDefinition
        Stop-FhirTestEnvironment $script:testEnv
    }

    It 'renders <Type> as its table view' -TestCases @(
        @{ Type = 'FhirSecurity.FhirBasicAuthInfo'; Get = { Get-FhirBasicAuth view-basic }; Shows = 'view-basic' }
        @{ Type = 'FhirSecurity.FhirOAuthInfo'; Get = { Get-FhirOAuth view-oauth }; Shows = 'view-oauth' }
        @{ Type = 'FhirSecurity.FhirCaBundleInfo'; Get = { Get-FhirCaBundle test-ca }; Shows = 'test-ca' }
        @{ Type = 'FhirSecurity.FhirCaCertificateInfo'; Get = { (Get-FhirCaBundle test-ca).Certificates }; Shows = 'FhirSecurity Test Root CA' }
        @{ Type = 'FhirSecurity.FhirConnectionInfo'; Get = { Get-FhirConnection view-conn }; Shows = 'view-conn' }
        @{ Type = 'FhirSecurity.FhirTokenCacheEntry'; Get = { Get-FhirTokenCache }; Shows = 'view-oauth' }
        @{ Type = 'FhirSecurity.Resource'; Get = { $script:patient }; Shows = 'pat-0001' }
        @{ Type = 'FhirSecurity.FhirConnectionTestStep'; Get = { $script:test.Steps }; Shows = 'Metadata' }
        @{ Type = 'FhirSecurity.FhirServerCertificate'; Get = { $script:test.ServerCertificates }; Shows = 'FhirSecurity Test Intermediate CA' }
    ) {
        $objects = @(& $Get)
        $objects | Should -Not -BeNullOrEmpty
        $objects[0].PSObject.TypeNames | Should -Contain $Type
        $headers = $script:tableHeaders[$Type]
        $headers | Should -Not -BeNullOrEmpty -Because "the format file has a table view for $Type"

        $default = $objects | Out-String -Width 400
        $table = $objects | Format-Table | Out-String -Width 400
        $list = $objects | Format-List | Out-String -Width 400

        # The header line of the view, columns in the file's order.
        $table | Should -Match ('(?m)^\s*' + (($headers | ForEach-Object { [regex]::Escape($_) }) -join '\s+') + '\s*$')
        $default | Should -BeExactly $table
        $table | Should -Match ([regex]::Escape($Shows))
        $list | Should -Match ([regex]::Escape($Shows))
        $list | Should -Match '(?m)^\w+\s+: '
        foreach ($text in $default, $table, $list) { Assert-Rendering $text }
    }

    It 'shows secret fields of definitions as ******** in every view' {
        foreach ($definition in (Get-FhirBasicAuth view-basic), (Get-FhirOAuth view-oauth)) {
            $text = ($definition | Format-Table | Out-String -Width 400) + ($definition | Format-List * | Out-String -Width 400)
            $text | Should -Match '\*{8}'
            Assert-Rendering $text
        }
    }

    It 'renders a connection test as its step summary by default and as its list view with Format-List' {
        $default = $script:test | Out-String -Width 400
        $list = $script:test | Format-List | Out-String -Width 400

        $default | Should -Match "Connection 'view-conn' \(.+\): Passed in \d+ ms"
        $default | Should -Match '(?m)^Step\s+Status\s+Time\s+Detail'
        $default | Should -Match '(?m)^Metadata\s+Passed'
        $list | Should -Match 'Steps\s+: Dns: Passed, Tcp: Passed, Tls: Passed, Token: Passed, Metadata: Passed, Clock: Passed'
        $list | Should -Match 'FhirVersion\s+: 4\.0\.1'
        $list | Should -Match ('GrantedScopes\s+: ' + [regex]::Escape(($script:info.oauthScopes -split ' ')[0]))
        Assert-Rendering ($default + $list)
    }

    It 'joins the scopes of an OAuth definition in its table' {
        $scopes = $script:info.oauthScopes -split ' '
        $table = Get-FhirOAuth view-oauth | Format-Table | Out-String -Width 400

        # One space between scopes; the 30-character column cuts the rest off with an ellipsis.
        $table | Should -Match ([regex]::Escape("$($scopes[0]) $($scopes[1].Substring(0, 3))"))
    }
}
