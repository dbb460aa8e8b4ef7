# Scheduled scripts run in sessions that cannot prompt (pwsh -NonInteractive, cron, CI): a change that needs
# confirmation there must fail with a specific id, be journaled, change nothing, and fail a script that stops on errors.
BeforeAll {
    . $PSScriptRoot/TestHelpers.ps1
    $script:TestHome = New-IsolatedHome
}

AfterAll {
    Remove-IsolatedHome $TestHome
    $env:REALESTATEOPS_CONFIG_HOME = $null; $env:REALESTATEOPS_DATA_HOME = $null; $env:REALESTATEOPS_STATE_HOME = $null
}

Describe 'A change that needs confirmation in a non-interactive session' {
    BeforeAll {
        $script:Result = Invoke-ChildPwsh @"
Import-Module '$ModuleManifest'
Set-OpsContext -Name doomed -Region eu-west-1 | Out-Null
`$ConfirmPreference = 'Medium'
`$ErrorActionPreference = 'Stop'
try { Remove-OpsContext doomed; 'REMOVED' }
catch { 'ERRORID=' + `$_.FullyQualifiedErrorId; 'CATEGORY=' + `$_.CategoryInfo.Category; 'ACTION=' + `$_.ErrorDetails.RecommendedAction }
'STILL=' + [bool](Get-OpsContext -Name doomed -ErrorAction Ignore)
`$entry = Get-OpsJournal -Command Remove-OpsContext | Select-Object -Last 1
'JOURNAL=' + `$entry.Outcome + '/' + `$entry.ErrorId + '/' + `$entry.Target
Remove-OpsContext doomed
'NOT REACHED'
"@
    }

    It 'is refused with ConfirmationRequired, says what to do, and changes nothing' {
        $Result.Output | Should -Contain 'ERRORID=ConfirmationRequired,RealEstateOps.Commands.Context.RemoveOpsContextCommand'
        $Result.Output | Should -Contain 'CATEGORY=InvalidOperation'
        ($Result.Output -match '^ACTION=.*-WhatIf.*-Confirm:\$false') | Should -Not -BeNullOrEmpty
        $Result.Output | Should -Not -Contain 'REMOVED'
        $Result.Output | Should -Contain 'STILL=True'
    }

    It 'is journaled as Declined with its id' {
        $Result.Output | Should -Contain 'JOURNAL=Declined/ConfirmationRequired/doomed'
    }

    It 'fails the script (exit code 1) when it stops on errors' {
        $Result.Output | Should -Not -Contain 'NOT REACHED'
        $Result.ExitCode | Should -Be 1
    }
}
