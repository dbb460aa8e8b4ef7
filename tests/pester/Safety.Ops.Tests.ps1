# Safety of the RDS and Kubernetes cmdlets, end to end on a sandbox: a -Force that only skips prompts, several
# snapshots aimed at one restore target refused before any change, and error records that never carry a secret.
BeforeAll {
    . (Join-Path $PSScriptRoot 'TestHelpers.ps1')
    $script:TestHome = New-IsolatedHome
    $script:Sandbox = Start-TestSandbox -Speed 20 -SharedPostgres
    $script:Suffix = [guid]::NewGuid().ToString('N').Substring(0, 8)

    # The Kubernetes API as an admin, for what the module has no cmdlet for (a bare pod): the token is the kubeconfig's.
    $kubeconfig = Get-Content -Raw $Sandbox.KubeconfigPath
    $script:KubeServer = ([regex]::Match($kubeconfig, '(?m)^\s*server:\s*(\S+)')).Groups[1].Value.TrimEnd('/')
    $script:KubeToken = ([regex]::Match($kubeconfig, '(?ms)-\s*name:\s*sandbox-admin\s*\n\s*user:\s*\n\s*token:\s*"?([^"\s]+)')).Groups[1].Value
    function script:Invoke-Kube([string] $Method, [string] $Path, $Body) {
        # The sandbox's API is TLS with a certificate made at this start (the kubeconfig's certificate-authority-data);
        # Invoke-RestMethod cannot take a CA, so this loopback-only test helper skips the check instead.
        $params = @{ Method = $Method; Uri = "$script:KubeServer$Path"; Headers = @{ Authorization = "Bearer $script:KubeToken" }; ContentType = 'application/json'; SkipCertificateCheck = $true }
        if ($null -ne $Body) { $params.Body = $Body | ConvertTo-Json -Depth 10 }
        Invoke-RestMethod @params
    }
}

AfterAll {
    Stop-TestSandbox $script:TestHome
}

Describe 'Invoke-NodeDrain: -Force only skips the prompt' {
    BeforeAll {
        $script:Node = 'ip-10-0-2-34.ec2.internal'
        $script:Bare = "debug-shell-$Suffix"
        Invoke-Kube POST '/api/v1/namespaces/real-estate-ai/pods' @{
            apiVersion = 'v1'; kind = 'Pod'
            metadata   = @{ name = $Bare; labels = @{ safety = $Suffix } }
            spec       = @{ nodeName = $Node; containers = @(@{ name = 'sh'; image = 'busybox' }) }
        } | Out-Null
    }
    AfterAll { Enable-NodeScheduling $Node -Confirm:$false -ErrorAction Ignore | Out-Null }

    It 'refuses a pod without a controller under -Force alone, names -EvictUnmanaged, and the pod stays' {
        $errors = $null
        $result = Invoke-NodeDrain $Node -PodSelector "safety=$Suffix" -Force -ErrorAction SilentlyContinue -ErrorVariable errors
        @($errors).Count | Should -Be 1
        $errors[0].FullyQualifiedErrorId | Should -BeLike 'DrainPodsNotHandled,*'
        $errors[0].Exception.Message | Should -Match '-EvictUnmanaged'
        $errors[0].Exception.Message | Should -Match ([regex]::Escape($Bare))
        $result.Status | Should -Be 'Refused'
        (Get-KubePod $Bare).Name | Should -Be $Bare
    }

    It 'evicts it with -EvictUnmanaged (kubectl drain --force)' {
        $result = Invoke-NodeDrain $Node -PodSelector "safety=$Suffix" -EvictUnmanaged -Force -Timeout 2m
        $result.Status | Should -Be 'Drained'
        $result.Evicted.Name | Should -Be @($Bare)
        $result.Warnings -join ' ' | Should -Match 'declare no controller'
        Get-KubePod $Bare -ErrorAction SilentlyContinue | Should -BeNullOrEmpty
    }
}

Describe 'Restore-Database: several snapshots for one target' {
    BeforeAll {
        # The seeded automated snapshots and one manual one: at least 8 to pipe.
        New-DbSnapshot -SnapshotId "safety-$Suffix" -Confirm:$false | Out-Null
        $script:Snapshots = @(Get-DbSnapshot)
        $script:Target = "safety-restore-$Suffix"
    }

    It 'refuses them with RestoreTargetAmbiguous and restores nothing' {
        $Snapshots.Count | Should -BeGreaterOrEqual 8
        $caught = $null
        try { Get-DbSnapshot | Restore-Database -TargetInstanceId $Target -Force } catch { $caught = $_ }
        $caught | Should -Not -BeNullOrEmpty
        $caught.FullyQualifiedErrorId | Should -BeLike 'RestoreTargetAmbiguous,*'
        $caught.CategoryInfo.Category | Should -Be 'InvalidArgument'
        $caught.Exception.Message | Should -Match "$($Snapshots.Count) snapshots"
        $caught.Exception.Message | Should -Match ([regex]::Escape('Get-DbSnapshot -Latest | Restore-Database'))
        Get-DbInstance $Target -ErrorAction SilentlyContinue | Should -BeNullOrEmpty
        @(Get-DbInstance | Where-Object DbInstanceId -like 'safety-restore-*').Count | Should -Be 0
    }

    It 'says so under -WhatIf too' {
        $caught = $null
        try { Get-DbSnapshot | Restore-Database -TargetInstanceId $Target -WhatIf } catch { $caught = $_ }
        $caught.FullyQualifiedErrorId | Should -BeLike 'RestoreTargetAmbiguous,*'
    }

    It 'keeps the happy path: the latest snapshot alone' {
        { Get-DbSnapshot -Latest | Restore-Database -TargetInstanceId $Target -WhatIf -ErrorAction Stop } | Should -Not -Throw
        Get-DbInstance $Target -ErrorAction SilentlyContinue | Should -BeNullOrEmpty
    }
}

Describe 'Set-DbConnectionSecret: a failed write keeps no secret' {
    BeforeAll {
        $script:Password = 'Safety-Pw-' + [guid]::NewGuid().ToString('N')
        $script:PasswordBase64 = [Convert]::ToBase64String([Text.Encoding]::UTF8.GetBytes($Password))
        $script:Cred = [pscredential]::new('real_estate_app', (ConvertTo-SecureString $Password -AsPlainText -Force))
        function script:Assert-NoSecret([string] $Text, [string] $What) {
            $Text | Should -Not -BeNullOrEmpty -Because "$What was captured"
            $Text.Contains($Password) | Should -BeFalse -Because "$What must not hold the password"
            $Text.Contains($PasswordBase64) | Should -BeFalse -Because "$What must not hold the password in base64 (a secret's data)"
        }
    }

    It 'leaves it out of the error record, the exception chain, verbose output and the journal (read-only context)' {
        $Error.Clear()
        $verbose = Set-DbConnectionSecret -Name "db-credentials-$Suffix" -HostName db.example -Credential $Cred -KubeContext sandbox-readonly -Force -Verbose -ErrorAction SilentlyContinue 4>&1 |
            ForEach-Object { "$_" }
        $Error.Count | Should -BeGreaterThan 0
        $record = $Error[0]
        $record.FullyQualifiedErrorId | Should -BeLike 'KubeForbidden,*'
        # Before, the client's HttpOperationException was the inner exception, its Request.Content the secret's data.
        $record.Exception.InnerException.GetType().Name | Should -Be 'SanitizedException'
        $record.Exception.InnerException.StatusCode | Should -Be 403
        $record.Exception.InnerException.PSObject.Properties.Name | Should -Not -Contain 'Request'
        Assert-NoSecret ($record | ConvertTo-Json -Depth 6 -WarningAction SilentlyContinue) 'the serialised error record'
        # Each exception of the chain on its own, without TargetSite (reflection objects: depth 6 from there is gigabytes, for any exception).
        for ($e = $record.Exception; $e; $e = $e.InnerException) {
            Assert-NoSecret ($e | Select-Object * -ExcludeProperty TargetSite | ConvertTo-Json -Depth 6 -WarningAction SilentlyContinue) "the serialised $($e.GetType().Name)"
        }
        Assert-NoSecret ($record | Format-List * -Force | Out-String) 'the error record as displayed'
        Assert-NoSecret ("$($record.ErrorDetails) $($record.TargetObject) $($record.Exception.Message) " + ($verbose -join "`n")) 'details, target, message and verbose output'
        Assert-NoSecret (Get-Content -Raw (Join-Path $env:REALESTATEOPS_DATA_HOME 'journal.jsonl')) 'the journal'
    }
}
