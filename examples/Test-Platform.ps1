<#
.SYNOPSIS
    Platform health check: which context, and can the platform database be reached and logged in to.
.DESCRIPTION
    The runbooks' first investigation step for "Database Connection Issues" ("pg_isready -h $DB_HOST"),
    as a script an operator or a scheduled job runs. Exits 1 when the database is not ready, so a
    scheduler can alert on it. Later runbook steps (cluster, storage) join here as they are built.
.EXAMPLE
    ./examples/Test-Platform.ps1 -Context prod
#>
#Requires -Modules RealEstateOps
[CmdletBinding()]
param(
    # The context to check; by default the active one.
    [string] $Context,
    # How long to wait for the database.
    [string] $Timeout = '5s'
)
$ErrorActionPreference = 'Stop'
if ($Context) { Use-OpsContext -Name $Context }

Write-Host "Context" -ForegroundColor Cyan
Get-OpsContext | Format-Table -AutoSize | Out-String -Width 200 | Write-Host

Write-Host "Platform database" -ForegroundColor Cyan
$db = Test-DbConnection -Timeout $Timeout -ErrorAction SilentlyContinue -ErrorVariable dbErrors
$db | Format-Table -AutoSize | Out-String -Width 200 | Write-Host
foreach ($e in $dbErrors) { Write-Host "  $($e.FullyQualifiedErrorId): $($e.Exception.Message)" -ForegroundColor Yellow }

if (-not $db.IsReady) {
    Write-Host "NOT READY: $($db.Status) $($db.ErrorId)" -ForegroundColor Red
    exit 1
}
Write-Host ("READY: PostgreSQL {0} at {1}:{2}/{3}, {4} ms, pgvector {5}" -f $db.ServerVersion, $db.Host, $db.Port, $db.Database, $db.LatencyMs,
    $(if ($db.PgVectorInstalled) { $db.PgVectorVersion } else { 'not installed (embeddings stored as real[])' })) -ForegroundColor Green
exit 0
