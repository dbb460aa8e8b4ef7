@{
    RootModule           = 'RealEstateOps.dll'
    ModuleVersion        = '0.1.0'
    GUID                 = '6f2d3c1e-8a4b-4f5e-9c7d-2b1a0e9f8d71'
    Author               = 'RealEstateOps'
    CompanyName          = 'Real Estate AI Platform'
    Copyright            = '(c) Real Estate AI Platform. All rights reserved.'
    Description          = 'Operational runbooks of the Real Estate AI Platform (RDS, EKS, S3, Kubernetes, PostgreSQL) as safe, composable PowerShell cmdlets, with a local sandbox to rehearse them.'
    PowerShellVersion    = '7.6'
    CompatiblePSEditions = @('Core')
    FormatsToProcess     = @('RealEstateOps.format.ps1xml')
    CmdletsToExport      = @(
        'Get-OpsContext'
        'Set-OpsContext'
        'Use-OpsContext'
        'Remove-OpsContext'
        'Get-OpsJournal'
        'Start-OpsSandbox'
        'Stop-OpsSandbox'
        'Get-OpsSandbox'
        'Set-OpsSandboxFault'
        'Set-OpsSandboxClock'
        'Test-DbConnection'
        # S3 recovery
        'Get-S3ObjectVersion'
        'Restore-S3Object'
        'Sync-S3Bucket'
        'Test-S3BucketProtection'
        # Kubernetes runbook steps
        'Get-KubePod'
        'Get-KubeDeployment'
        'Get-KubeService'
        'Get-KubeNode'
        'Test-Deployment'
        'Get-PodLog'
        'Get-NodeUsage'
        'Get-PodUsage'
        'Disable-NodeScheduling'
        'Enable-NodeScheduling'
        'Invoke-NodeDrain'
        'Restart-Deployment'
        'Wait-Rollout'
        'Undo-Deployment'
        'Get-RolloutHistory'
        'Set-DbConnectionSecret'
        # Database backup and recovery
        'New-DbSnapshot'
        'Get-DbSnapshot'
        'Wait-DbSnapshot'
        'Remove-DbSnapshot'
        'Restore-Database'
        'Test-DbBackupPolicy'
        'Test-DbBackup'
        'Get-DbInstance'
        'Wait-DbInstance'
        'Get-DbLogFile'
        'Get-DbLog'
        'Export-Database'
        'Import-Database'
        # Maintenance windows
        'Get-MaintenanceWindow'
        'Test-MaintenanceWindow'
        # EKS maintenance: clusters, node groups, add-ons, updates
        'Get-EksCluster'
        'Get-EksNodeGroup'
        'Update-EksNodeGroup'
        'Update-EksCluster'
        'Get-EksUpdate'
        'Wait-EksUpdate'
        'Get-EksAddon'
        'Get-EksAddonVersion'
        'Update-EksAddon'
        # EKS upgrade: the pre-flight and the whole sequence
        'Test-EksUpgradeReadiness'
        'Invoke-EksUpgrade'
        # Alertmanager: silences and alerts
        'New-AlertSilence'
        'Get-AlertSilence'
        'Remove-AlertSilence'
        'Get-AlertmanagerAlert'
        # The High Error Rate response
        'Get-AlertInvestigation'
        'Get-ServiceErrorSpike'
        'Get-RecentChange'
        # Prometheus: queries, alerts, rules, service health, business metrics
        'Invoke-PromQuery'
        'Get-PromAlert'
        'Get-AlertRule'
        'New-AlertRule'
        'Set-AlertRule'
        'Remove-AlertRule'
        'Get-ServiceHealth'
        'Get-BusinessMetric'
        # LLM metrics from Langfuse: metrics, traces, datasets from problematic traces
        'Get-LlmMetric'
        'Get-LlmTrace'
        'New-LlmDataset'
        'Get-LlmDataset'
        'Add-LlmDatasetItem'
        # Argo CD: applications, history, sync, wait, rollback (Deployment runbook)
        'Get-ArgoApplication'
        'Get-ArgoHistory'
        'Sync-ArgoApplication'
        'Wait-ArgoApplication'
        'Stop-ArgoOperation'
        'Set-ArgoApplication'
        'Undo-ArgoApplication'
        # Notices to stakeholders (Slack, Teams, PagerDuty) and smoke tests
        'Add-OpsNotificationChannel'
        'Get-OpsNotificationChannel'
        'Remove-OpsNotificationChannel'
        'Send-OpsNotification'
        'Invoke-SmokeTest'
        # Canary with metric gates (SMI TrafficSplit, Prometheus gates)
        'Start-Canary'
        'Set-CanaryWeight'
        'Step-Canary'
        'Complete-Canary'
        'Stop-Canary'
        'Get-Canary'
        # Incidents (store, SEV clocks, PagerDuty, post-mortems)
        'New-Incident'
        'Get-Incident'
        'Add-IncidentNote'
        'Set-Incident'
        'Close-Incident'
        'Use-Incident'
        'Export-PostMortem'
        'Invoke-IncidentTriage'
        # Database resolution steps (incident response: connection limit, network, overload)
        'Get-DbParameter'
        'Set-DbParameter'
        'Restart-DbInstance'
        'Set-DbInstanceClass'
        'Get-DbSecurityGroup'
        'Get-DbActivity'
        'Stop-DbQuery'
        # kubeops: the Kubernetes resolution steps of the incident runbook
        'Invoke-PodCommand'
        'Set-DeploymentScale'
        'Get-LlmServiceConfig'
        'Switch-LlmProvider'
        'Set-LlmRequestLimit'
        'Test-DbConnectionSecret'
        'Update-DbConnectionSecret'
        # dbhealth: database health, maintenance, pending maintenance
        'Get-DbHealth'
        'Invoke-DbMaintenance'
        'Get-DbPendingMaintenance'
        'Invoke-DbPendingMaintenance'
    )
    FunctionsToExport    = @()
    AliasesToExport      = @(
        'cordon'
        'uncordon'
        'Get-Snapshot'
    )
    VariablesToExport    = @()
    PrivateData          = @{
        PSData = @{
            Tags = @('Operations', 'Runbook', 'AWS', 'RDS', 'EKS', 'S3', 'Kubernetes', 'PostgreSQL', 'SRE', 'Linux')
        }
    }
}
