<#
.SYNOPSIS
    Database recovery's last steps: point the applications at a (restored) database by updating the
    db-credentials secret, then restart api-service and auth-service and wait for their rollouts.
.DESCRIPTION
    The runbook's
        kubectl create secret generic db-credentials --from-literal=host=... --dry-run=client -o yaml | kubectl apply -f -
        kubectl rollout restart deployment/api-service -n real-estate-ai
        kubectl rollout restart deployment/auth-service -n real-estate-ai
    with the rollouts awaited and verified. The host and port bind from a piped DB instance (Address, Port),
    so a restore's output can be piped straight in. The password stays in the PSCredential.
.EXAMPLE
    ./examples/Update-DbConnection.ps1 -HostName real-estate-ai-db-restored.abc.us-east-1.rds.amazonaws.com -Credential (Get-Credential real_estate_app)
.EXAMPLE
    $restored | ./examples/Update-DbConnection.ps1 -Credential $cred
#>
#Requires -Modules RealEstateOps
[CmdletBinding(SupportsShouldProcess)]
param(
    [Parameter(Mandatory, ValueFromPipelineByPropertyName)]
    [Alias('Address', 'Host', 'Endpoint')]
    [string] $HostName,
    [Parameter(ValueFromPipelineByPropertyName)]
    [int] $Port = 5432,
    [Parameter(Mandatory)]
    [pscredential] $Credential,
    [string] $Database,
    [string[]] $Deployment = @('api-service', 'auth-service'),
    [string] $Timeout = '10m',
    [string] $Context
)
process {
    $ErrorActionPreference = 'Stop'
    if ($Context) { Use-OpsContext $Context }
    $secretArgs = @{ HostName = $HostName; Port = $Port; Credential = $Credential; PassThru = $true }
    if ($Database) { $secretArgs.Database = $Database }
    $secret = Set-DbConnectionSecret @secretArgs
    if (-not $secret) { return }   # -WhatIf, or declined
    $secret | Format-Table -AutoSize | Out-Host
    $rollouts = Restart-Deployment $Deployment -Wait -Timeout $Timeout
    $rollouts | Format-Table -AutoSize | Out-Host
    $verdict = Test-Deployment $Deployment
    $verdict | Format-Table -AutoSize | Out-Host
    if ($verdict.Status -ne 'Healthy') { throw "After the restarts the deployments are $($verdict.Status): $($verdict.Reasons -join '; ')" }
    $verdict
}
