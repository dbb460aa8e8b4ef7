# Every install step, proven where the package is absent: tools/Prerequisites.ps1 (which build.ps1 dot-sources)
# runs in a child pwsh under StrictMode with a fake apt-get (and id, sudo) alone on PATH. Then the module's own
# install (build.ps1 -Task Install) into a temporary HOME, imported by name from another directory.
BeforeAll {
    . (Join-Path $PSScriptRoot 'TestHelpers.ps1')
    $script:TestHome = New-IsolatedHome
    $script:Prerequisites = Join-Path $RepoRoot 'tools/Prerequisites.ps1'
    $script:ModuleInstall = Join-Path $RepoRoot 'tools/ModuleInstall.ps1'
    $script:ModuleDir = Split-Path $ModuleManifest
    $script:Version = (Import-PowerShellDataFile $ModuleManifest).ModuleVersion
    $script:DotnetCliHome = if ($env:DOTNET_CLI_HOME) { $env:DOTNET_CLI_HOME } else { [Environment]::GetFolderPath('UserProfile') }

    # A fresh fake machine: bin/ (the only PATH), apt.log (every apt-get call), and where the fake packages land.
    function script:New-FakeMachine {
        $root = Join-Path $TestHome ('machine-' + [guid]::NewGuid().ToString('N').Substring(0, 6))
        $bin = Join-Path $root 'bin'
        New-Item -ItemType Directory $bin | Out-Null
        # apt-get: logs its arguments; FAKE_APT_FAIL makes it fail like a missing package; 'install' lays
        # out what the real package provides where Install-Prerequisites looks (given as parameters).
        Set-Content (Join-Path $bin 'apt-get') @'
#!/bin/sh
PATH=/usr/bin:/bin
echo "$*" >> "$FAKE_ROOT/apt.log"
if [ -n "$FAKE_APT_FAIL" ] && [ "$1" = "$FAKE_APT_FAIL" ]; then echo "E: Unable to locate package" >&2; exit 100; fi
if [ "$1" = install ]; then
  for p in "$@"; do
    case "$p" in
      postgresql) mkdir -p "$FAKE_ROOT/postgresql/15/bin" && touch "$FAKE_ROOT/postgresql/15/bin/initdb" ;;
      awscli) touch "$FAKE_ROOT/aws" ;;
      prometheus) touch "$FAKE_ROOT/prometheus" ;;
      prometheus-alertmanager) touch "$FAKE_ROOT/prometheus-alertmanager" ;;
      kubernetes-client) printf '#!/bin/sh\necho "{\\"clientVersion\\": {\\"major\\": \\"1\\", \\"minor\\": \\"20\\", \\"gitVersion\\": \\"v1.20.2\\"}}"\n' > "$FAKE_ROOT/bin/kubectl"; chmod +x "$FAKE_ROOT/bin/kubectl" ;;
    esac
  done
fi
exit 0
'@
        # id: FAKE_UID (root unless told); sudo: logs, then runs the command.
        Set-Content (Join-Path $bin 'id') "#!/bin/sh`necho `"`${FAKE_UID:-0}`"`n"
        Set-Content (Join-Path $bin 'sudo') "#!/bin/sh`nPATH=`"`$FAKE_ROOT/bin`"`necho `"sudo `$*`" >> `"`$FAKE_ROOT/apt.log`"`nexec `"`$@`"`n"
        chmod +x (Join-Path $bin 'apt-get') (Join-Path $bin 'id') (Join-Path $bin 'sudo')
        [pscustomobject]@{ Root = $root; Bin = $bin; Log = Join-Path $root 'apt.log'; PgRoot = Join-Path $root 'postgresql'; Aws = Join-Path $root 'aws'
            Prometheus = Join-Path $root 'prometheus'; Alertmanager = Join-Path $root 'prometheus-alertmanager' }
    }

    # Marks a prerequisite present on the fake machine.
    function script:Add-FakeProgram($Machine, [string] $Name, [string] $KubectlMinor = '32+') {
        switch ($Name) {
            'postgresql' { New-Item -ItemType Directory -Force (Join-Path $Machine.PgRoot '15/bin') | Out-Null; New-Item -ItemType File (Join-Path $Machine.PgRoot '15/bin/initdb') | Out-Null }
            'awscli' { New-Item -ItemType File $Machine.Aws | Out-Null }
            'prometheus' { New-Item -ItemType File $Machine.Prometheus | Out-Null }
            'prometheus-alertmanager' { New-Item -ItemType File $Machine.Alertmanager | Out-Null }
            'kubectl' {
                $kubectl = Join-Path $Machine.Bin 'kubectl'
                Set-Content $kubectl "#!/bin/sh`necho '{`"clientVersion`": {`"major`": `"1`", `"minor`": `"$KubectlMinor`"}}'`n"
                chmod +x $kubectl
            }
        }
    }

    # Install-Prerequisites in a child pwsh under StrictMode 3.0, with only the fake machine's bin on PATH.
    function script:Invoke-FakeInstall($Machine, [string] $Uid = '0', [string] $FailOn = '', [string] $Call = 'Install-Prerequisites -PostgresLibRoot $env:FAKE_PG -AwsPath $env:FAKE_AWS -PrometheusPath $env:FAKE_PROMETHEUS -AlertmanagerPath $env:FAKE_ALERTMANAGER') {
        Invoke-ChildPwsh @"
Set-StrictMode -Version 3.0
`$ErrorActionPreference = 'Stop'
`$env:PATH = '$($Machine.Bin)'
`$env:FAKE_ROOT = '$($Machine.Root)'
`$env:FAKE_PG = '$($Machine.PgRoot)'
`$env:FAKE_AWS = '$($Machine.Aws)'
`$env:FAKE_PROMETHEUS = '$($Machine.Prometheus)'
`$env:FAKE_ALERTMANAGER = '$($Machine.Alertmanager)'
`$env:FAKE_UID = '$Uid'
`$env:FAKE_APT_FAIL = '$FailOn'
. '$Prerequisites'
$Call
'install finished'
"@
    }

    function script:Get-AptLog($Machine) { if (Test-Path $Machine.Log) { @(Get-Content $Machine.Log) } else { @() } }

    # Runs a child pwsh whose HOME (and so its user module folder and PSResourceGet settings) is $HomeDir.
    function script:Invoke-ChildPwshAtHome([string] $HomeDir, [string] $Script) {
        $vars = @{ HOME = $HomeDir; XDG_DATA_HOME = $null; XDG_CONFIG_HOME = $null; XDG_CACHE_HOME = $null; PSModulePath = $null
            DOTNET_CLI_HOME = $DotnetCliHome }   # where 'dotnet pwsh' finds the restored local tool
        $saved = @{}
        foreach ($k in $vars.Keys) { $saved[$k] = [Environment]::GetEnvironmentVariable($k); [Environment]::SetEnvironmentVariable($k, $vars[$k]) }
        try { Invoke-ChildPwsh $Script } finally { foreach ($k in $saved.Keys) { [Environment]::SetEnvironmentVariable($k, $saved[$k]) } }
    }
}

AfterAll { Remove-IsolatedHome $script:TestHome }

Describe 'Install-Prerequisites on a machine without the packages' {
    It 'installs postgresql, prometheus, prometheus-alertmanager, awscli and kubernetes-client, with one apt-get update, under StrictMode' {
        $m = New-FakeMachine
        $r = Invoke-FakeInstall $m
        $r.ExitCode | Should -Be 0 -Because ($r.Output -join "`n")
        $r.Output[-1] | Should -Be 'install finished'
        $log = Get-AptLog $m
        @($log | Where-Object { $_ -like 'update*' }).Count | Should -Be 1
        $log[0] | Should -BeLike 'update*'
        foreach ($p in 'postgresql', 'prometheus', 'prometheus-alertmanager', 'awscli', 'kubernetes-client') {
            @($log | Where-Object { $_ -match "^install -y .*\b$p$" }).Count | Should -Be 1 -Because "$p was absent ($($log -join '; '))"
        }
    }

    It 'installs <Package> alone when only it is absent' -TestCases @(
        @{ Package = 'postgresql'; Present = @('prometheus', 'prometheus-alertmanager', 'awscli', 'kubectl') }
        @{ Package = 'prometheus'; Present = @('postgresql', 'prometheus-alertmanager', 'awscli', 'kubectl') }
        @{ Package = 'prometheus-alertmanager'; Present = @('postgresql', 'prometheus', 'awscli', 'kubectl') }
        @{ Package = 'awscli'; Present = @('postgresql', 'prometheus', 'prometheus-alertmanager', 'kubectl') }
        @{ Package = 'kubernetes-client'; Present = @('postgresql', 'prometheus', 'prometheus-alertmanager', 'awscli') }
    ) {
        $m = New-FakeMachine
        foreach ($p in $Present) { Add-FakeProgram $m $p }
        $r = Invoke-FakeInstall $m
        $r.ExitCode | Should -Be 0 -Because ($r.Output -join "`n")
        Get-AptLog $m | Should -Be @('update -qq', "install -y -qq --no-install-recommends $Package")
    }

    It 'installs nothing when everything is present' {
        $m = New-FakeMachine
        foreach ($p in 'postgresql', 'prometheus', 'prometheus-alertmanager', 'awscli', 'kubectl') { Add-FakeProgram $m $p }
        $r = Invoke-FakeInstall $m
        $r.ExitCode | Should -Be 0 -Because ($r.Output -join "`n")
        Get-AptLog $m | Should -BeNullOrEmpty
        ($r.Output -join "`n") | Should -Not -Match 'WARNING'
    }

    It 'goes through sudo when not root' {
        $m = New-FakeMachine
        Add-FakeProgram $m postgresql; Add-FakeProgram $m prometheus; Add-FakeProgram $m prometheus-alertmanager; Add-FakeProgram $m kubectl
        $r = Invoke-FakeInstall $m -Uid 1000
        $r.ExitCode | Should -Be 0 -Because ($r.Output -join "`n")
        Get-AptLog $m | Should -Be @('sudo apt-get update -qq', 'update -qq', 'sudo apt-get install -y -qq --no-install-recommends awscli', 'install -y -qq --no-install-recommends awscli')
    }

    It 'stops with a clear error naming the package when apt-get <Step> fails' -TestCases @(
        @{ Step = 'update' }
        @{ Step = 'install' }
    ) {
        $m = New-FakeMachine
        Add-FakeProgram $m postgresql; Add-FakeProgram $m prometheus; Add-FakeProgram $m prometheus-alertmanager; Add-FakeProgram $m kubectl
        $r = Invoke-FakeInstall $m -FailOn $Step -Call 'try { Install-Prerequisites -PostgresLibRoot $env:FAKE_PG -AwsPath $env:FAKE_AWS -PrometheusPath $env:FAKE_PROMETHEUS -AlertmanagerPath $env:FAKE_ALERTMANAGER } catch { "ERROR: $($_.Exception.Message)"; exit 3 }'
        $text = $r.Output -join "`n"
        $r.ExitCode | Should -Be 3 -Because $text
        $text | Should -Not -Match 'install finished'
        $text | Should -Match "(?m)^ERROR: Could not install awscli from Debian's packages \(apt-get $Step .*failed with exit code 100\)\. Install it by hand \('apt-get install awscli'\) and run the task again\.$"
    }

    It 'warns, naming both versions, when kubectl is older than the conformance tests need' {
        $m = New-FakeMachine
        Add-FakeProgram $m postgresql; Add-FakeProgram $m prometheus; Add-FakeProgram $m prometheus-alertmanager; Add-FakeProgram $m awscli
        $r = Invoke-FakeInstall $m   # installs the fake Debian kubectl 1.20
        $r.ExitCode | Should -Be 0 -Because ($r.Output -join "`n")
        $min = (Invoke-FakeInstall $m -Call '$script:KubectlMinimumVersion.ToString()').Output[-2]
        $min | Should -Match '^1\.\d+$'
        ($r.Output -join "`n") | Should -Match "WARNING: kubectl 1\.20 \($([regex]::Escape($m.Bin))/kubectl\) is older than $([regex]::Escape($min)), which the Kubernetes conformance tests need\. They will be skipped\."
    }

    It 'reports no kubectl problem for <Minor>' -TestCases @(@{ Minor = '32+' }, @{ Minor = '33' }) {
        $m = New-FakeMachine
        Add-FakeProgram $m kubectl -KubectlMinor $Minor
        $r = Invoke-FakeInstall $m -Call '"problem: $(Get-KubectlProblem)"; "version: $((Get-KubectlInfo).Version)"'
        $r.ExitCode | Should -Be 0 -Because ($r.Output -join "`n")
        $r.Output | Should -Contain 'problem: '
        $r.Output | Should -Contain "version: 1.$($Minor.TrimEnd('+'))"
    }

    It 'says kubectl is missing when there is none even after installing' {
        $m = New-FakeMachine
        $r = Invoke-FakeInstall $m -Call 'Get-KubectlProblem'
        $r.Output[-2] | Should -Match '^kubectl was not found on PATH; the Kubernetes conformance tests need kubectl 1\.\d+ or newer\.$'
    }
}

Describe 'build.ps1 -Task Install' {
    It 'dot-sources the install functions and offers Install and Uninstall with -Scope' {
        $cmd = Get-Command (Join-Path $RepoRoot 'build.ps1')
        $cmd.Parameters['Task'].Attributes.ValidValues | Should -Contain 'Install'
        $cmd.Parameters['Task'].Attributes.ValidValues | Should -Contain 'Uninstall'
        $cmd.Parameters['Scope'].Attributes.ValidValues | Should -Be @('CurrentUser', 'AllUsers')
    }

    It 'installs into the folders the pinned pwsh searches for the user and for all users' {
        $h = Join-Path $TestHome 'home-paths'
        New-Item -ItemType Directory $h | Out-Null
        $r = Invoke-ChildPwshAtHome $h @"
. '$ModuleInstall'
"user `$(Get-OpsModuleRoot -Scope CurrentUser)"
"all `$(Get-OpsModuleRoot -Scope AllUsers)"
`$env:PSModulePath -split [IO.Path]::PathSeparator | ForEach-Object { "path `$_" }
"@
        $r.ExitCode | Should -Be 0 -Because ($r.Output -join "`n")
        $r.Output | Should -Contain "user $h/.local/share/powershell/Modules"
        $r.Output | Should -Contain 'all /usr/local/share/powershell/Modules'
        $r.Output | Should -Contain "path $h/.local/share/powershell/Modules"
        $r.Output | Should -Contain 'path /usr/local/share/powershell/Modules'
    }

    It 'installs for the current user so that Import-Module RealEstateOps works from another directory' {
        $h = Join-Path $TestHome 'home-install'
        New-Item -ItemType Directory $h | Out-Null
        $r = Invoke-ChildPwshAtHome $h @"
`$ErrorActionPreference = 'Stop'
. '$ModuleInstall'
(Install-OpsModule -ModulePath '$ModuleDir' -Scope CurrentUser).FullName
"@
        $r.ExitCode | Should -Be 0 -Because ($r.Output -join "`n")
        $installed = Join-Path $h ".local/share/powershell/Modules/RealEstateOps/$Version"
        $r.Output[-1] | Should -Be $installed
        Join-Path $installed 'dependencies/RealEstateOps.Engine.dll' | Should -Exist
        Join-Path $installed 'sandbox/RealEstateOps.Sandbox.dll' | Should -Exist

        $r = Invoke-ChildPwshAtHome $h @"
`$ErrorActionPreference = 'Stop'
Set-Location '$h'
Import-Module RealEstateOps
(Get-Module RealEstateOps).Version.ToString()
(Get-Module RealEstateOps).ModuleBase
"@
        $r.ExitCode | Should -Be 0 -Because ($r.Output -join "`n")
        $r.Output[-2] | Should -Be $Version
        $r.Output[-1] | Should -Be $installed
    }

    It 'lets an example run from another directory without importing the module first' {
        $h = Join-Path $TestHome 'home-install'   # installed by the test above
        Join-Path $h ".local/share/powershell/Modules/RealEstateOps/$Version" | Should -Exist
        $r = Invoke-ChildPwshAtHome $h @"
Set-Location '$h'
Import-Module RealEstateOps
Set-OpsContext -Name down -DbHost 127.0.0.1 -DbPort 1 -DbUser nobody | Out-Null
"@
        $r.ExitCode | Should -Be 0 -Because ($r.Output -join "`n")
        $r = Invoke-ChildPwshAtHome $h @"
Set-Location '$h'
& '$RepoRoot/examples/Test-Platform.ps1' -Context down -Timeout 2
"@
        ($r.Output -join "`n") | Should -Match 'NOT READY: NoResponse DbConnectionRefused'
        ($r.Output -join "`n") | Should -Not -Match 'was not loaded'
    }

    It 'replaces an existing install of the same version, leaving no temporary folder' {
        $h = Join-Path $TestHome 'home-replace'
        $root = Join-Path $h 'modules'
        $target = Join-Path $root "RealEstateOps/$Version"
        New-Item -ItemType Directory $target | Out-Null
        Set-Content (Join-Path $target 'stale.txt') 'from an older build'
        . $ModuleInstall
        Install-OpsModule -ModulePath $ModuleDir -Destination $root 6>$null | Out-Null
        Join-Path $target 'stale.txt' | Should -Not -Exist
        Join-Path $target 'RealEstateOps.psd1' | Should -Exist
        @(Get-ChildItem (Join-Path $root 'RealEstateOps') -Force | ForEach-Object Name) | Should -Be @($Version)
    }

    It 'keeps the existing install when the copy fails' {
        $h = Join-Path $TestHome 'home-keep'
        $root = Join-Path $h 'modules'
        $target = Join-Path $root "RealEstateOps/$Version"
        New-Item -ItemType Directory $target | Out-Null
        Set-Content (Join-Path $target 'RealEstateOps.psd1') '@{ ModuleVersion = ''0.1.0'' }'
        # A source holding a dangling link: Copy-Item fails on it (even as root, which permissions would not stop).
        $src = Join-Path $h 'src'
        New-Item -ItemType Directory $src | Out-Null
        Copy-Item $ModuleManifest $src
        New-Item -ItemType SymbolicLink -Path (Join-Path $src 'broken.dll') -Target (Join-Path $h 'does-not-exist') | Out-Null
        . $ModuleInstall
        { Install-OpsModule -ModulePath $src -Destination $root 6>$null } | Should -Throw "*Installing RealEstateOps $Version into*failed*"
        Get-Content (Join-Path $target 'RealEstateOps.psd1') | Should -Be '@{ ModuleVersion = ''0.1.0'' }'
        @(Get-ChildItem (Join-Path $root 'RealEstateOps') -Force | ForEach-Object Name) | Should -Be @($Version)
    }

    It 'uninstalls only folders holding the module''s own manifest' {
        $h = Join-Path $TestHome 'home-uninstall'
        $root = Join-Path $h 'modules'
        . $ModuleInstall
        Install-OpsModule -ModulePath $ModuleDir -Destination $root 6>$null | Out-Null
        $other = Join-Path $root 'RealEstateOps/9.9.9'
        New-Item -ItemType Directory $other | Out-Null
        Set-Content (Join-Path $other 'notes.txt') 'not ours'
        Uninstall-OpsModule -Destination $root 6>$null
        Join-Path $root "RealEstateOps/$Version" | Should -Not -Exist
        Join-Path $other 'notes.txt' | Should -Exist
    }
}

Describe 'The Demo task''s temporary home (tools/WorkFolder.ps1)' {
    BeforeAll { . (Join-Path $RepoRoot 'tools/WorkFolder.ps1') }

    It 'runs the demo with contexts, journal and sandbox state in its own folder, then restores the environment' {
        $before = @{}
        foreach ($k in 'REALESTATEOPS_CONFIG_HOME', 'REALESTATEOPS_DATA_HOME', 'REALESTATEOPS_STATE_HOME') { $before[$k] = [Environment]::GetEnvironmentVariable($k) }
        $env:REALESTATEOPS_CONTEXT = 'prod'
        try {
            $work = New-WorkFolder 'reo-pester-work-'
            $work.Path | Should -BeLike "$([IO.Path]::GetTempPath())*"
            (stat -c '%a' $work.Path) | Should -Be '700'
            $seen = Invoke-Isolated $work @{} {
                [pscustomobject]@{ Config = $env:REALESTATEOPS_CONFIG_HOME; Data = $env:REALESTATEOPS_DATA_HOME; State = $env:REALESTATEOPS_STATE_HOME; Context = $env:REALESTATEOPS_CONTEXT }
            }
            $seen.Config | Should -Be (Join-Path $work.Path 'config')
            $seen.Data | Should -Be (Join-Path $work.Path 'data')
            $seen.State | Should -Be (Join-Path $work.Path 'state')
            $seen.Context | Should -BeNullOrEmpty
            { Invoke-Isolated $work @{} { throw 'demo failed' } } | Should -Throw 'demo failed'
            $env:REALESTATEOPS_CONTEXT | Should -Be 'prod'
            foreach ($k in $before.Keys) { [Environment]::GetEnvironmentVariable($k) | Should -Be $before[$k] }
            Remove-WorkFolder $work
            $work.Path | Should -Not -Exist
        } finally { $env:REALESTATEOPS_CONTEXT = $null }
    }

    It 'removes nothing that lacks its marker: <Case>' -TestCases @(
        @{ Case = 'another marker' }
        @{ Case = 'no marker' }
        @{ Case = 'a symbolic link' }
    ) {
        $work = New-WorkFolder 'reo-pester-work-'
        $victim = Join-Path $TestHome ('victim-' + [guid]::NewGuid().ToString('N').Substring(0, 6))
        New-Item -ItemType Directory $victim | Out-Null
        Set-Content (Join-Path $victim 'keep.txt') 'keep'
        $target = switch ($Case) {
            'another marker' { Set-Content (Join-Path $work.Path '.realestateops-work') 'someone else' -NoNewline; $work }
            'no marker' { [pscustomobject]@{ Path = $victim; Marker = $work.Marker } }
            'a symbolic link' {
                Copy-Item (Join-Path $work.Path '.realestateops-work') $victim
                $link = Join-Path $TestHome ('link-' + [guid]::NewGuid().ToString('N').Substring(0, 6))
                New-Item -ItemType SymbolicLink -Path $link -Target $victim | Out-Null
                [pscustomobject]@{ Path = $link; Marker = $work.Marker }
            }
        }
        Remove-WorkFolder $target 3>$null
        $target.Path | Should -Exist
        Join-Path $victim 'keep.txt' | Should -Exist
        Remove-Item -LiteralPath $work.Path -Recurse -Force
    }

    It 'is what build.ps1''s Demo task runs in' {
        $ast = (Get-Command (Join-Path $RepoRoot 'build.ps1')).ScriptBlock.Ast
        $demo = $ast.Find({ param($n) $n -is [Management.Automation.Language.FunctionDefinitionAst] -and $n.Name -eq 'Invoke-Demo' }, $true)
        $demo.Body.Extent.Text | Should -Match 'New-WorkFolder'
        $demo.Body.Extent.Text | Should -Match 'Invoke-Isolated \$work'
        $demo.Body.Extent.Text | Should -Match 'Remove-WorkFolder \$work'
    }
}
