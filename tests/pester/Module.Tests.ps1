BeforeDiscovery {
    . (Join-Path $PSScriptRoot 'TestHelpers.ps1')
    $manifestData = Import-PowerShellDataFile $ModuleManifest
    $script:CmdletNames = $manifestData.CmdletsToExport
}

BeforeAll {
    . (Join-Path $PSScriptRoot 'TestHelpers.ps1')
    $script:TestHome = New-IsolatedHome
    $script:Manifest = Import-PowerShellDataFile $ModuleManifest
    $script:Module = Import-Module $ModuleManifest -PassThru -Force
}

AfterAll {
    Remove-Module RealEstateOps -ErrorAction Ignore
    Remove-IsolatedHome $script:TestHome
}

Describe 'Manifest' {
    It 'requires PowerShell Core no older than the pinned PowerShell the tests run on' {
        # The manifest claims only what is tested: the pinned local tool (.config/dotnet-tools.json).
        $pinned = [version](Get-Content -Raw (Join-Path $RepoRoot '.config/dotnet-tools.json') | ConvertFrom-Json).tools.powershell.version
        $claimed = [version]$Manifest.PowerShellVersion
        $claimed | Should -BeGreaterOrEqual ([version]::new($pinned.Major, $pinned.Minor))
        $PSVersionTable.PSVersion.ToString() | Should -Be $pinned.ToString() -Because 'the tests run on the pinned PowerShell'
        $Manifest.CompatiblePSEditions | Should -Be @('Core')
    }

    It 'lists every export explicitly, without wildcards' {
        foreach ($key in 'CmdletsToExport', 'FunctionsToExport', 'AliasesToExport', 'VariablesToExport') {
            $Manifest.ContainsKey($key) | Should -BeTrue -Because "$key must be explicit"
            @($Manifest[$key]) -join ',' | Should -Not -Match '\*'
        }
    }

    It 'exports exactly the cmdlets it lists' {
        @($Module.ExportedCmdlets.Keys | Sort-Object) | Should -Be @($Manifest.CmdletsToExport | Sort-Object)
    }

    It 'uses approved verbs only' {
        $approved = (Get-Verb).Verb
        foreach ($name in $Manifest.CmdletsToExport) { ($name -split '-')[0] | Should -BeIn $approved }
    }
}

Describe 'Help for <_>' -ForEach $CmdletNames {
    BeforeAll {
        $script:Help = Get-Help $_ -Full
        $script:Command = Get-Command $_
    }

    It 'has a synopsis' {
        $Help.Synopsis | Should -Not -BeNullOrEmpty
        $Help.Synopsis | Should -Not -Match "^\s*$([regex]::Escape($_))\s"
    }

    It 'has a description' {
        ($Help.Description.Text -join '') | Should -Not -BeNullOrEmpty
    }

    It 'describes every parameter' {
        $common = [System.Management.Automation.Cmdlet]::CommonParameters + [System.Management.Automation.Cmdlet]::OptionalCommonParameters
        foreach ($p in $Command.Parameters.Keys | Where-Object { $_ -notin $common }) {
            $ph = $Help.Parameters.Parameter | Where-Object Name -eq $p
            ($ph.Description.Text -join '') | Should -Not -BeNullOrEmpty -Because "-$p needs a description"
        }
    }

    It 'shows types and switches in its syntax as PowerShell does' {
        $syntax = ($Help.Syntax | Out-String -Width 4000)
        $syntax | Should -Not -Match 'Nullable|`1' -Because 'a nullable parameter shows its type (Int32), not Nullable`1'
        $syntax | Should -Not -Match '<SwitchParameter>' -Because 'a switch is [-Name] in the syntax'
        foreach ($p in $Command.Parameters.Values | Where-Object { $_.ParameterType -eq [switch] -and $_.Name -notin [System.Management.Automation.Cmdlet]::CommonParameters }) {
            $syntax | Should -Match "(\[-$($p.Name)\]|\s-$($p.Name)\s(?!<))" -Because "-$($p.Name) is a switch ([-Name], or -Name where it is mandatory)"
        }
        foreach ($p in $Help.Parameters.Parameter) { $p.Type.Name | Should -Not -Match '`1' }
    }

    It 'lists -WhatIf and -Confirm when it supports them' {
        $supports = $Command.Parameters.ContainsKey('WhatIf')
        $syntax = ($Help.Syntax | Out-String -Width 4000)
        if ($supports) {
            $syntax | Should -Match '\[-WhatIf\] \[-Confirm\]'
            ($Help.Parameters.Parameter | Where-Object Name -eq 'WhatIf').Description.Text | Should -Not -BeNullOrEmpty
        } else {
            $syntax | Should -Not -Match 'WhatIf'
        }
    }

    It 'shows each default value (None when there is none)' {
        foreach ($p in $Help.Parameters.Parameter) { $p.DefaultValue | Should -Not -BeNullOrEmpty -Because "-$($p.Name) needs its default value shown" }
    }

    It 'has at least one example with code and remarks' {
        @($Help.Examples.Example).Count | Should -BeGreaterThan 0
        foreach ($ex in $Help.Examples.Example) {
            $ex.Code | Should -Not -BeNullOrEmpty
            ($ex.Remarks.Text -join '') | Should -Not -BeNullOrEmpty
        }
    }
}

Describe 'Formats' {
    It 'has a default table view for every output type' {
        $types = foreach ($name in $Manifest.CmdletsToExport) {
            (Get-Command $name).OutputType.Type | Where-Object { $_ -and $_.Namespace -like 'RealEstateOps*' }
        }
        foreach ($t in $types | Sort-Object FullName -Unique) {
            Get-FormatData -TypeName $t.FullName | Should -Not -BeNullOrEmpty -Because "$($t.FullName) needs a view"
        }
    }

    It 'renders the journal at 80 columns without cutting a header, and a long target whole at 120' {
        Set-OpsContext -Name view-check -Description 'x' | Out-Null
        Set-OpsContext -Name view-check-with-a-rather-long-name-for-the-target-column -Description 'x' | Out-Null
        $entries = Get-OpsJournal -Command Set-OpsContext -Target 'view-check*'
        $narrow = ($entries | Out-String -Width 80) -split "`r?`n"
        $narrow | ForEach-Object { $_.Length | Should -BeLessOrEqual 80 -Because "'$_' must fit 80 columns" }
        $header = $narrow | Where-Object { $_ -match '^TIME' } | Select-Object -First 1
        $header | Should -Match '^TIME\s+OUTCOME\s+DURATION\s+COMMAND\s+TARGET$'
        ($narrow -join "`n") | Should -Match 'Succeeded\s+\d+\.\ds\s+Set-OpsContext\s+view-check'
        $wide = ($entries | Out-String -Width 120) -split "`r?`n"
        $wide | Where-Object { $_ -match 'view-check-with-a-rather-long-name-for-the-target-column$' } | Should -Not -BeNullOrEmpty
    }

    It 'renders the default context as a kubectl-like table' {
        $text = Get-OpsContext | Out-String -Width 200
        $text | Should -Match 'CURRENT\s+NAME\s+REGION'
        $text | Should -Match '\*\s+default\s+us-east-1\s+real-estate-ai-cluster'
    }
}

Describe 'README' {
    It 'begins with the two commands, and CI runs the test command exactly' {
        $readme = Get-Content (Join-Path $RepoRoot 'README.md') -Raw
        $commands = [regex]::Matches($readme, '(?m)^dotnet tool restore && dotnet pwsh .*$') | ForEach-Object Value
        $commands.Count | Should -BeGreaterOrEqual 2
        $commands[0] | Should -Match '-Task Demo'
        $commands[1] | Should -Match '-Task Test'
        (Get-Content (Join-Path $RepoRoot '.ci/run') -Raw) | Should -Match ([regex]::Escape($commands[1]))
    }

    It 'lists every exported cmdlet and no cmdlet that is not exported' {
        $readme = Get-Content (Join-Path $RepoRoot 'README.md') -Raw
        $verbs = (Get-Verb).Verb -join '|'   # every approved verb, so a cmdlet with a new verb cannot slip past
        $listed = [regex]::Matches($readme, "``((?:$verbs)-[A-Za-z0-9]+)``") |
            ForEach-Object { $_.Groups[1].Value } | Sort-Object -Unique
        foreach ($name in $Manifest.CmdletsToExport) { $listed | Should -Contain $name }
        # PowerShell's own commands the README mentions (Import-Module, Install-Module, Get-Help...) are not ours to export.
        $ours = $listed | Where-Object { -not (Get-Command $_ -ErrorAction Ignore | Where-Object Source -NotIn 'RealEstateOps', '') }
        foreach ($name in $ours) { @($Manifest.CmdletsToExport) + @($Manifest.AliasesToExport) | Should -Contain $name -Because "README mentions $name" }
    }
}
