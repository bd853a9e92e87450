#Requires -Version 7.4
# Pester 5 suite: Export-FhirBulkData and Stop-FhirBulkExport in a real pwsh, against the test server's $export
# (run as a child process; its scenario is set through /_test/bulk): files on disk, what the console shows, $Error,
# restart with -StatusUrl, origins, the signed-URL canaries, and Ctrl-C in a child pwsh.
Describe 'Export-FhirBulkData' -Tag 'FhirSecurity', 'Bulk' {
    BeforeAll {
        . (Join-Path $PSScriptRoot 'TestEnvironment.ps1')
        $script:testEnv = Start-FhirTestEnvironment
        $script:info = $script:testEnv.Info
        Import-FhirCaBundle -Name test-ca -Path $script:info.caBundleFile
        New-FhirOAuth -Name bulk-oauth -TokenUrl $script:info.tokenEndpoint -ClientId $script:info.oauthClientId `
            -ClientSecret (New-FhirTestSecureString $script:info.oauthClientSecret) -Scope system/*.read
        $script:second = ([uri]$script:info.secondOrigin).GetLeftPart('Authority')

        function New-BulkFolder { Join-Path $TestDrive ([guid]::NewGuid().ToString('n')) }
        function Get-BulkRequest([string] $Kind) {
            @((Invoke-FhirTestBulkControl -Info $script:info).requests | Where-Object kind -EQ $Kind)
        }
    }

    AfterAll {
        Get-FhirConnection | Remove-FhirConnection -Confirm:$false
        Stop-FhirTestEnvironment $script:testEnv
    }

    BeforeEach {
        Invoke-FhirTestBulkControl -Info $script:info -Reset -Set @{ retryAfterSeconds = 0 }
        New-FhirConnection -Name bulk -BaseUri $script:info.oauthBase -OAuth bulk-oauth -CaBundle test-ca -Force
    }

    It 'writes every file, its manifest copy and log, outputs one object per file and leaves $Error as it was' {
        $folder = New-BulkFolder
        $deleted = (Invoke-FhirTestBulkControl -Info $script:info).deletedExports
        $Error.Clear()

        $files = Export-FhirBulkData -Connection bulk -Destination $folder

        $Error.Count | Should -Be 0
        $files | Should -HaveCount 3
        ($files | Measure-Object -Property Count -Sum).Sum | Should -Be 40
        foreach ($file in $files) {
            Test-Path -LiteralPath $file.Path | Should -BeTrue
            @(Get-Content -LiteralPath $file.Path).Count | Should -Be $file.Count
            (Get-Item -LiteralPath $file.Path).Length | Should -Be $file.Bytes
        }
        (Get-Content -Raw (Join-Path $folder 'manifest.json') | ConvertFrom-Json).output | Should -HaveCount 3
        Get-Content (Join-Path $folder 'bulk-export.log') | Should -Not -BeNullOrEmpty
        @(Get-ChildItem -LiteralPath $folder -Filter '*.part').Count | Should -Be 0
        (Invoke-FhirTestBulkControl -Info $script:info).deletedExports | Should -Be ($deleted + 1)
    }

    It 'shows files in a table by kind, type, count and path' {
        $table = Export-FhirBulkData -Connection bulk -Destination (New-BulkFolder) | Format-Table | Out-String

        $table | Should -Match 'Kind\s+Type\s+Count'
        $table | Should -Match 'Output\s+Observation\s+20'
    }

    It 'binds -Since from Get-Date and -Type from a list into the kick-off' {
        $null = Export-FhirBulkData bulk (New-BulkFolder) -Type Patient -Since (Get-Date).AddDays(-1)

        $query = (Get-BulkRequest Kickoff)[0].query
        $query | Should -Match '_type=Patient'
        $query | Should -Match '_since='
    }

    It 'kicks off with -NoWait, and the export object pipes into a later run' {
        $folder = New-BulkFolder
        $export = Export-FhirBulkData -Connection bulk -NoWait

        $export.StatusUrl | Should -BeLike "$($script:info.oauthBase.TrimEnd('/'))/*"
        $files = $export | Export-FhirBulkData -Destination $folder

        $files | Should -HaveCount 3
        @(Get-BulkRequest Kickoff) | Should -HaveCount 1
    }

    It 'cancels an export with Stop-FhirBulkExport' {
        $export = Export-FhirBulkData -Connection bulk -NoWait
        $deleted = (Invoke-FhirTestBulkControl -Info $script:info).deletedExports

        $export | Stop-FhirBulkExport -Confirm:$false

        (Invoke-FhirTestBulkControl -Info $script:info).deletedExports | Should -Be ($deleted + 1)
        { Export-FhirBulkData -Connection bulk -StatusUrl $export.StatusUrl -Destination (New-BulkFolder) -ErrorAction Stop } |
            Should -Throw -ErrorId 'BulkExportNotFound,FhirSecurity.Commands.ExportFhirBulkDataCommand'
    }

    It 'refuses a file that needs the token on another origin until the origin is allowed' {
        Invoke-FhirTestBulkControl -Info $script:info -Set @{ filesOnSecondOrigin = $true; files = @(@{ type = 'Patient'; lines = 4 }) }

        { Export-FhirBulkData bulk (New-BulkFolder) -ErrorAction Stop } |
            Should -Throw -ErrorId 'BulkExportFileOriginNotAllowed,FhirSecurity.Commands.ExportFhirBulkDataCommand'
        @(Get-BulkRequest File) | Should -HaveCount 0

        Set-FhirConnection -Name bulk -BulkDataOrigin $script:second
        (Get-FhirConnection bulk).BulkDataOrigin | Should -Be @($script:second)
        $files = Export-FhirBulkData bulk (New-BulkFolder)

        $files.Count | Should -Be 4
        $request = Get-BulkRequest File
        $request | Should -HaveCount 1
        $request[0].port | Should -Be ([uri]$script:second).Port
        $request[0].authorizationScheme | Should -Be 'Bearer'
    }

    It 'keeps signed URLs out of the console, a transcript, the manifest copy and the log' {
        Invoke-FhirTestBulkControl -Info $script:info -Set @{
            filesOnSecondOrigin = $true; requiresAccessToken = $false; signedUrls = $true
        }
        $folder = New-BulkFolder
        $transcript = Join-Path $TestDrive 'transcript.txt'

        Start-Transcript -Path $transcript -UseMinimalHeader | Out-Null
        try {
            $shown = Export-FhirBulkData bulk $folder -Verbose 4>&1 | Format-List * | Out-String
            $shown
        }
        finally { Stop-Transcript | Out-Null }

        $signatures = (Invoke-FhirTestBulkControl -Info $script:info).issuedFileSignatures
        $signatures | Should -Not -BeNullOrEmpty
        $shown | Should -Match ([regex]::Escape('?redacted'))
        $written = (Get-Content -Raw $transcript) + (Get-Content -Raw (Join-Path $folder 'manifest.json')) +
            (Get-Content -Raw (Join-Path $folder 'bulk-export.log'))
        foreach ($signature in $signatures) {
            $shown | Should -Not -Match ([regex]::Escape($signature))
            $written | Should -Not -Match ([regex]::Escape($signature))
        }
        @(Get-BulkRequest File).authorizationScheme | Where-Object { $_ } | Should -BeNullOrEmpty
    }

    It 'refuses an OperationOutcome kick-off with the server''s words and leaves no folder' {
        $folder = New-BulkFolder

        $err = $null
        $null = Export-FhirBulkData bulk $folder -Level Group -GroupId no-such-group -ErrorAction SilentlyContinue -ErrorVariable err

        $err | Should -HaveCount 1
        $err[0].FullyQualifiedErrorId | Should -BeLike 'BulkExportKickoffRefused,*'
        Test-Path $folder | Should -BeFalse
    }

    It 'stops cleanly on Ctrl-C in a child pwsh: no partial file, the export cancelled on the server' {
        # Slow files, so the child is mid-download when it gets SIGINT (what Ctrl-C sends to a console's process).
        Invoke-FhirTestBulkControl -Info $script:info -Set @{
            bytesPerSecond = 20000; files = @(@{ type = 'Patient'; lines = 2000; lineBytes = 200 })
        }
        $folder = New-BulkFolder
        $deleted = (Invoke-FhirTestBulkControl -Info $script:info).deletedExports
        $script = Join-Path $TestDrive 'ctrl-c.ps1'
        Write-FhirTestChildScript -Path $script -Connection ctrlc -Body 'Export-FhirBulkData -Connection ctrlc -Destination $Rest[0]'
        $exe, $prefix = Get-FhirTestPwshCommand
        $start = [System.Diagnostics.ProcessStartInfo]::new($exe)
        $arguments = @($prefix) + @('-NoProfile', '-NonInteractive', '-File', $script) +
            (Get-FhirTestChildArgument $script:testEnv) + $folder
        foreach ($a in $arguments) { $start.ArgumentList.Add($a) }
        $start.UseShellExecute = $false
        $start.RedirectStandardOutput = $true
        $start.RedirectStandardError = $true
        $child = [System.Diagnostics.Process]::Start($start)
        try {
            $deadline = [DateTime]::UtcNow.AddSeconds(60)
            while (-not (Get-ChildItem -LiteralPath $folder -Filter '*.part' -ErrorAction SilentlyContinue) -and
                -not $child.HasExited -and [DateTime]::UtcNow -lt $deadline) { Start-Sleep -Milliseconds 100 }
            # Read its error output only once it is gone: reading waits for the end of the stream.
            if ($child.HasExited) { throw "The child pwsh ended before Ctrl-C: $($child.StandardError.ReadToEnd())" }
            & kill -INT $child.Id
            $child.WaitForExit(30000) | Should -BeTrue
        }
        finally { if (-not $child.HasExited) { $child.Kill($true) } }

        @(Get-ChildItem -LiteralPath $folder -Filter '*.part').Count | Should -Be 0
        @(Get-ChildItem -LiteralPath $folder -Filter '*.ndjson').Count | Should -Be 0
        (Invoke-FhirTestBulkControl -Info $script:info).deletedExports | Should -Be ($deleted + 1)
    }
}
