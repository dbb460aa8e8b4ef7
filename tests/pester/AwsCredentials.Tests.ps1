# With no AWS credentials anywhere, an AWS cmdlet says in our words which sources it looked at, and carries none
# of the SDK's provider noise ("The webIdentityTokenFile must be an absolute path").
BeforeAll {
    . $PSScriptRoot/TestHelpers.ps1
    $script:TestHome = New-IsolatedHome
    $script:Saved = @{}
    foreach ($name in 'AWS_SHARED_CREDENTIALS_FILE', 'AWS_CONFIG_FILE', 'AWS_EC2_METADATA_DISABLED', 'AWS_ACCESS_KEY_ID', 'AWS_SECRET_ACCESS_KEY', 'AWS_PROFILE', 'AWS_WEB_IDENTITY_TOKEN_FILE') {
        $Saved[$name] = [Environment]::GetEnvironmentVariable($name)
    }
    $env:AWS_SHARED_CREDENTIALS_FILE = Join-Path $TestHome 'no-credentials'
    $env:AWS_CONFIG_FILE = Join-Path $TestHome 'no-config'
    $env:AWS_EC2_METADATA_DISABLED = 'true'
    $env:AWS_ACCESS_KEY_ID = $null; $env:AWS_SECRET_ACCESS_KEY = $null; $env:AWS_PROFILE = $null; $env:AWS_WEB_IDENTITY_TOKEN_FILE = $null
    $script:Result = Invoke-ChildPwsh @"
Import-Module '$ModuleManifest'
Set-OpsContext -Name bare -Region us-east-1 | Out-Null
Use-OpsContext bare
try { Get-DbInstance -EndpointUrl http://127.0.0.1:9 -ErrorAction Stop }
catch { 'ID=' + `$_.FullyQualifiedErrorId; 'MESSAGE=' + `$_.Exception.Message; 'INNER=' + (`$null -ne `$_.Exception.InnerException) }
"@
    $script:Text = $Result.Output -join "`n"
}

AfterAll {
    foreach ($name in $Saved.Keys) { [Environment]::SetEnvironmentVariable($name, $Saved[$name]) }
    Remove-IsolatedHome $TestHome
}

Describe 'An AWS cmdlet without credentials' {
    It 'fails with AwsCredentialsNotFound' {
        $Text | Should -Match 'ID=AwsCredentialsNotFound,'
    }

    It 'names each source it looked at, with what it found there' {
        $Text | Should -Match 'environment variables \(AWS_ACCESS_KEY_ID is not set\)'
        $Text | Should -Match ([regex]::Escape("the profile 'default' ($(Join-Path $TestHome 'no-credentials') and $(Join-Path $TestHome 'no-config') do not exist)"))
        $Text | Should -Match 'web identity \(AWS_WEB_IDENTITY_TOKEN_FILE is not set\)'
        $Text | Should -Match 'the EC2 instance role \(AWS_EC2_METADATA_DISABLED is true\)'
        $Text | Should -Match 'Set-OpsContext -ProfileName'
    }

    It 'carries none of the SDK provider messages, in the message or as an inner exception' {
        $Text | Should -Not -Match 'webIdentityTokenFile|Exception \d of \d|Failed to resolve AWS credentials'
        $Text | Should -Match 'INNER=False'
    }
}
