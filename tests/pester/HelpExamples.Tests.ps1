# Every example in the built help runs on the sandbox, as an operator would paste it: read-only examples for real,
# and with $WhatIfPreference on, so an example that changes state shows its plan and changes nothing. An example
# that fails, names something the sandbox does not have, or cannot be formatted fails its test. Every example has a
# title, as PowerShell's own help has ("Example 1: Get child items from a file system directory").
BeforeDiscovery {
    . (Join-Path $PSScriptRoot 'TestHelpers.ps1')
    Import-Module $ModuleManifest -Force
    # The module's cmdlets that change state (they take -WhatIf): an example that calls one anywhere, also after a
    # pipe (Get-DbSnapshot -Latest | Restore-Database ...), runs with $WhatIfPreference on.
    $changing = @(Get-Command -Module RealEstateOps -CommandType Cmdlet | Where-Object { $_.Parameters.ContainsKey('WhatIf') } | ForEach-Object Name)
    $script:Examples = foreach ($command in Get-Command -Module RealEstateOps -CommandType Cmdlet | Sort-Object Name) {
        $index = 0
        foreach ($example in (Get-Help $command.Name -Examples).Examples.Example) {
            $index++
            $code = (@($example.Code) -join "`n").Trim()
            $calls = [scriptblock]::Create($code).Ast.FindAll({ $args[0] -is [System.Management.Automation.Language.CommandAst] }, $true) | ForEach-Object { $_.GetCommandName() }
            @{ Name = $command.Name; Index = $index; Code = $code; Title = "$($example.Title)"; Changes = [bool]($calls | Where-Object { $_ -in $changing }) }
        }
    }
}

BeforeAll {
    . (Join-Path $PSScriptRoot 'TestHelpers.ps1')
    $script:TestHome = New-IsolatedHome
    Use-TestPostgres
    Import-Module $ModuleManifest -Force
    $script:Sandbox = Start-OpsSandbox -Speed 300
    # One runspace for all examples, like one operator's session, on the sandbox context.
    $script:Session = [runspacefactory]::CreateRunspace()
    $Session.Open()
    $setup = [powershell]::Create()
    $setup.Runspace = $Session
    $null = $setup.AddScript(@"
Import-Module '$ModuleManifest'
Use-OpsContext sandbox
Set-Location '$TestHome'
# What an operator's session has at hand and the examples assume: the database login as a credential (`$cred, as
# Get-Credential would give it) and contexts named prod and staging.
`$ctx = Get-OpsContext sandbox
`$cred = [pscredential]::new(`$ctx.DbUser, (ConvertTo-SecureString ((Get-Content `$ctx.DbPassFile | Select-Object -First 1).Split(':')[-1]) -AsPlainText -Force))
# Get-Credential prompts, which this host cannot: it answers as the operator would, with the name asked for and the password.
function Get-Credential([string] `$UserName = `$ctx.DbUser, [string] `$Message) { [pscredential]::new(`$UserName, `$cred.Password) }
Set-OpsContext -Name prod -Region us-east-1 | Out-Null
Set-OpsContext -Name staging -Region us-east-1 | Out-Null
# A deployment with a rollout history, as a live cluster's are (the sandbox's start at revision 1): what Undo-Deployment's examples roll back.
Restart-Deployment api-service -Wait -Force | Out-Null
# A dump at hand in the working folder, as Import-Database's first example assumes (Export-Database's examples run under -WhatIf).
Export-Database ./check.dump | Out-Null
# A scratch database to import into, as Import-Database's first example assumes (Export-Database's third makes one with a restore, under -WhatIf here).
`$env:PGPASSFILE = `$ctx.DbPassFile
& psql -X -w -q -h `$ctx.DbHost -p `$ctx.DbPort -U `$ctx.DbUser -d `$ctx.DbName -c 'create database "restore-check"' 2>&1 | Out-Null
Remove-Item env:PGPASSFILE
# The team's smoke test script and the platform's check file in the working folder, as Invoke-SmokeTest's examples assume.
Copy-Item '$RepoRoot/examples/run-smoke-tests.sh', '$RepoRoot/examples/smoke-checks.json' '$TestHome'
# An incident being worked, the operator's current one, as the incident cmdlets' examples assume (their changes run under -WhatIf).
New-Incident -Severity SEV3 -Title 'Property search is slow' -Component api-service | Out-Null
`$ErrorActionPreference = 'Stop'
`$ConfirmPreference = 'None'
"@).Invoke()
    $setup.Dispose()

    # The module's environment variables as the examples found them: an example may set one (REALESTATEOPS_CONTEXT), and this
    # process runs the test files that follow.
    $script:SavedEnvironment = Get-ChildItem env:REALESTATEOPS_* | ForEach-Object { @{ Name = $_.Name; Value = $_.Value } }

    # Runs one example (with its output formatted, as the console would); returns its errors and whether it ended in time.
    function script:Invoke-Example([string] $Code, [bool] $WhatIf, [int] $Seconds = 90) {
        $ps = [powershell]::Create()
        $ps.Runspace = $Session
        $null = $ps.AddScript("`$WhatIfPreference = `$$WhatIf").AddStatement().AddScript($Code).AddCommand('Out-String').AddParameter('Width', 120)
        $handle = $ps.BeginInvoke()
        $ended = $handle.AsyncWaitHandle.WaitOne([TimeSpan]::FromSeconds($Seconds))
        if (-not $ended) { $ps.Stop() }
        $errors = @()
        try { $text = $ps.EndInvoke($handle) -join '' }
        catch {
            $thrown = $_.Exception.InnerException ?? $_.Exception
            # Our own Stop() of an example that had not ended (a -Follow) is how it ends, not its error.
            if ($ended -or $thrown -isnot [System.Management.Automation.PipelineStoppedException]) { $errors += $thrown }
        }
        $errors += @($ps.Streams.Error | ForEach-Object { "$($_.FullyQualifiedErrorId): $($_.Exception.Message)" })
        $ps.Dispose()
        Get-ChildItem env:REALESTATEOPS_* | Where-Object Name -notin $SavedEnvironment.Name | Remove-Item
        foreach ($variable in $SavedEnvironment) { Set-Item "env:$($variable.Name)" $variable.Value }
        [pscustomobject]@{ Ended = $ended; Errors = $errors; Text = $text }
    }
}

AfterAll {
    if ($script:Session) { $Session.Dispose() }
    Stop-OpsSandbox -Confirm:$false -ErrorAction Ignore
    Remove-Module RealEstateOps -ErrorAction Ignore
    Remove-Item env:REALESTATEOPS_SANDBOX_PG -ErrorAction Ignore
    Remove-IsolatedHome $script:TestHome
}

Describe 'Help example <Index> of <Name>' -ForEach $Examples {
    It 'has a title' {
        $Title | Should -Match "Example $($Index): \S" -Because 'PowerShell''s help titles each example ("Example 1: <what it does>")'
    }

    It 'runs on the sandbox' {
        # Following a log never ends on its own: such an example passes when it ran without error until stopped.
        $follows = $Code -match '\s-Follow\b'
        $result = Invoke-Example -Code $Code -WhatIf $Changes -Seconds $(if ($follows) { 10 } else { 90 })
        $result.Errors | Should -BeNullOrEmpty -Because "the example`n$Code`nmust run on the sandbox"
        if (-not $follows) { $result.Ended | Should -BeTrue -Because "the example`n$Code`nmust end" }
    }
}

# The sandbox's own views, as the examples above show them: narrow columns first, text last (wrapped), whole headers,
# no line wider than the console, at 80 and 120 columns.
Describe 'The sandbox''s views at <_> columns' -ForEach 80, 120 {
    BeforeAll {
        $script:Width = $_
        function script:Get-RenderedLines($InputObject) {
            @(($InputObject | Out-String -Width $Width) -split "`r?`n" | ForEach-Object TrimEnd | Where-Object { $_ })
        }
    }

    It 'shows the sandbox: URL, process, speed, faults and Prometheus'' port before its database' {
        $sandbox = Get-OpsSandbox
        $lines = Get-RenderedLines $sandbox
        $lines | ForEach-Object { $_.Length | Should -BeLessOrEqual $Width -Because "'$_' must fit $Width columns" }
        $lines[0] | Should -Match '^URL\s+PID\s+UP\s+SPEED\s+FAULTS\s+CONTEXT\s+PROM\s+DATABASE$'
        $prom = if ($sandbox.PrometheusUrl) { ':' + ([uri]$sandbox.PrometheusUrl).Port } else { 'off' }
        $lines[2] | Should -Match ('^' + [regex]::Escape($sandbox.Url) + "\s+$($sandbox.ProcessId)\s+yes\s+$($sandbox.Speed)x\s+\S+ ?%\s+sandbox\s+$prom\s+\S")
        # The database, text and last: whole at 120, wrapped (not cut) at 80.
        $database = '{0}@{1}:{2}' -f $sandbox.DbName, $sandbox.DbHost, $sandbox.DbPort
        -join ($lines[2..($lines.Count - 1)] | ForEach-Object { $_.Substring([Math]::Min($_.Length, $lines[0].IndexOf('DATABASE'))) }) | Should -Be $database
    }

    It 'shows a clock change: speeds and the sandbox time before the URL' {
        $speed = (Get-OpsSandbox).Speed
        $clock = Set-OpsSandboxClock -Speed $speed -Confirm:$false # the speed it has: nothing changes
        $lines = Get-RenderedLines $clock
        $lines | ForEach-Object { $_.Length | Should -BeLessOrEqual $Width }
        $lines[0] | Should -Match '^\s*SPEED\s+WAS\s+SANDBOX TIME \(UTC\)\s+URL$'
        $lines[2] | Should -Match ("^\s*$($speed)x\s+$($speed)x\s+\d{4}-\d\d-\d\d \d\d:\d\d:\d\d\s+" + [regex]::Escape($Sandbox.Url) + '$')
    }

    It 'shows faults: rates and latency before the kinds of errors' {
        # On a service no example uses any more (they ran above), cleared again at once.
        $faults = Set-OpsSandboxFault -Service rds -ErrorRate 0.2 -DropRate 0.05 -Latency 500ms -Error 503:SlowDown, 500 -Confirm:$false
        Set-OpsSandboxFault -Reset -Confirm:$false
        $lines = Get-RenderedLines $faults
        $lines | ForEach-Object { $_.Length | Should -BeLessOrEqual $Width }
        $lines[0] | Should -Match '^SERVICE\s+ERRORS\s+DROPS\s+LATENCY\s+KINDS$'
        $lines[2] | Should -Match '^rds\s+20 ?%\s+5 ?%\s+500 ms\s+503:SlowDown, 500:InternalError$'
    }
}
