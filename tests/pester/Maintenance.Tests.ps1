# Maintenance windows as an operator meets them: the views at 80 and 120 columns, the rules a context sets, the help of
# the window-bound cmdlets, and a refusal outside an enforced window that needs no cluster (it comes before any request).
BeforeAll {
    . (Join-Path $PSScriptRoot 'TestHelpers.ps1')
    $script:TestHome = New-IsolatedHome
    Import-Module $ModuleManifest -Force
    # A window that is closed now and for the next two days: an hour, three days from today.
    $script:Closed = '{0} 00:00-01:00' -f ([DateTime]::UtcNow.AddDays(3).DayOfWeek.ToString().Substring(0, 3))
}

AfterAll {
    $env:REALESTATEOPS_CONTEXT = $null
    Remove-Module RealEstateOps -ErrorAction Ignore
    Remove-IsolatedHome $script:TestHome
}

Describe 'Get-MaintenanceWindow' {
    It 'shows the runbook''s three windows as a table that reads at 80 columns' {
        $lines = (Get-MaintenanceWindow -At '2025-03-29 04:59' | Out-String -Width 80) -split "`r?`n"
        $lines | ForEach-Object { $_.Length | Should -BeLessOrEqual 80 -Because "'$_' must fit 80 columns" }
        $lines | Where-Object { $_ -match '^KIND' } | Should -Match '^KIND\s+START \(UTC\)\s+END\s+STATUS\s+RULE$'
        $lines | Should -Contain 'Database    Sun 2025-03-30 01:00 03:00     opens in 20h 1m   Sun 01:00-03:00'
        $lines | Should -Contain 'Kubernetes  Sat 2025-03-29 01:00 05:00     open, 1m left     LastSat 01:00-05:00'
        $lines | Should -Contain 'Application Tue 2025-04-01 22:00 23:00     opens in 3d 17h   Tue,Thu 22:00-23:00'
    }

    It 'shows a zoned rule whole at 120 columns and a window across midnight with its end day' {
        Set-OpsContext -Name zoned -ApplicationWindow 'Fri 22:00-02:00 Europe/Berlin' | Out-Null
        $env:REALESTATEOPS_CONTEXT = 'zoned'
        try {
            $text = Get-MaintenanceWindow -Kind Application -At '2025-01-10 12:00' | Out-String -Width 120
            $text | Should -Match 'Application Fri 2025-01-10 21:00 Sat 01:00\s+opens in 9h\s+Fri 22:00-02:00 Europe/Berlin'
        } finally { $env:REALESTATEOPS_CONTEXT = $null }
    }

    It 'lists the next occurrences of one kind, the last Saturday of each month' {
        $w = Get-MaintenanceWindow -Kind Kubernetes -Next 4 -At '2024-12-28 05:00'
        $w | ForEach-Object { $_.Start.UtcDateTime.ToString('yyyy-MM-dd') } | Should -Be '2025-01-25', '2025-02-22', '2025-03-29', '2025-04-26'
        $w.IsOpen | Should -Not -Contain $true
    }
}

Describe 'Test-MaintenanceWindow' {
    It 'answers $true inside and $false at the end, and a verdict with -Detailed' {
        Test-MaintenanceWindow Application -At '2025-01-07 22:00' | Should -BeTrue
        Test-MaintenanceWindow Application -At '2025-01-07 23:00' | Should -BeFalse
        $v = Test-MaintenanceWindow Database -At '2025-01-05 02:00' -Detailed
        $v.IsOpen | Should -BeTrue
        $v.Allowed | Should -BeTrue
        $v.Enforced | Should -BeFalse
        $v.Summary | Should -Be 'The Database maintenance window (Sun 01:00-03:00 UTC, from built-in default) is open until Sun 2025-01-05 03:00 UTC (1h left).'
        ($v | Out-String -Width 80) | Should -Match 'Database\s+True\s+False\s+True\s+Sun 2025-01-05 01:00 open, 1h left'
    }
}

Describe 'Enforcement' {
    BeforeAll {
        Set-OpsContext -Name enforced -EnforceMaintenanceWindow $true -ApplicationWindow $Closed -KubeconfigPath (Join-Path $TestHome 'no-such-kubeconfig') | Out-Null
        $env:REALESTATEOPS_CONTEXT = 'enforced'
    }
    AfterAll { $env:REALESTATEOPS_CONTEXT = $null }

    It 'refuses a rollout restart outside the Application window before it even reads the kubeconfig' {
        $failed = $null
        try { Restart-Deployment api-service -Confirm:$false -ErrorAction Stop } catch { $failed = $_ }
        $failed.FullyQualifiedErrorId | Should -Match '^OutsideMaintenanceWindow,'
        $failed.Exception.Message | Should -Match "context 'enforced' enforces maintenance windows"
        $failed.ErrorDetails.RecommendedAction | Should -Match "-IgnoreMaintenanceWindow -Reason"
        $entry = Get-OpsJournal -Command Restart-Deployment | Select-Object -Last 1
        $entry.Outcome | Should -Be 'Declined'
        $entry.ErrorId | Should -Be 'OutsideMaintenanceWindow'
    }

    It 'goes ahead with -IgnoreMaintenanceWindow -Reason (here to the missing kubeconfig) and journals the reason' {
        $failed = $null
        try { Restart-Deployment api-service -IgnoreMaintenanceWindow -Reason 'INC-42 hotfix' -Confirm:$false -ErrorAction Stop -WarningVariable warned -WarningAction SilentlyContinue } catch { $failed = $_ }
        $failed.FullyQualifiedErrorId | Should -Match '^KubeconfigNotFound,' -Because 'past the window check, the command went on to its own work'
        ($warned -join "`n") | Should -Match 'reason: INC-42 hotfix'
    }

    It 'documents -IgnoreMaintenanceWindow and -Reason on each window-bound cmdlet, and only there' {
        foreach ($name in 'Invoke-NodeDrain', 'Disable-NodeScheduling', 'Restart-Deployment', 'Import-Database') {
            $help = Get-Help $name -Full
            foreach ($p in 'IgnoreMaintenanceWindow', 'Reason') {
                (($help.Parameters.Parameter | Where-Object Name -eq $p).Description.Text -join '') | Should -Match 'window' -Because "$name -$p"
            }
            (Get-Help $name).Syntax | Out-String -Width 4000 | Should -Match '\[-IgnoreMaintenanceWindow\] \[-Reason <String>\]'
        }
        foreach ($name in 'Enable-NodeScheduling', 'Undo-Deployment', 'Restore-Database', 'Restore-S3Object', 'New-DbSnapshot', 'Set-DbConnectionSecret') {
            (Get-Command $name).Parameters.ContainsKey('IgnoreMaintenanceWindow') | Should -BeFalse -Because "$name is recovery: an incident cannot wait"
        }
    }
}
