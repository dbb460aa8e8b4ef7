@{
    Synopsis    = 'Applies a pending maintenance action to a DB instance (ApplyPendingMaintenanceAction): now, in its next maintenance window, or undoes the opt-in.'
    Description = @'
Invoke-DbPendingMaintenance is "aws rds apply-pending-maintenance-action". It opts the DB instance (the context's DbInstanceId by default) in to a pending action: -OptInType immediate applies it now (a db-upgrade puts the instance in upgrading, a system-update in modifying, with an outage; then it is available, for a db-upgrade with the new EngineVersion, and the action is gone), next-maintenance applies it in the instance's next maintenance window, and undo-opt-in withdraws an opt-in not yet applied.

Before any change it checks that the action is pending for the instance (DbPendingMaintenanceNotFound otherwise) and takes the instance's ARN from the pending action. It is a Database change: in the Database maintenance window, or refused (OutsideMaintenanceWindow) when the context enforces windows, unless -IgnoreMaintenanceWindow -Reason. It asks for confirmation (-Force skips the prompt), -WhatIf applies nothing, and each apply is journaled. Get-DbPendingMaintenance's output pipes in. The output is the action as RDS shows it after the opt-in.
'@
    Parameters  = @{
        DbInstanceId = 'The DB instance. Defaults to the context''s DbInstanceId. Binds by property name from Get-DbPendingMaintenance.'
        Action = 'The pending action to apply, e.g. db-upgrade or system-update. Binds by property name from Get-DbPendingMaintenance.'
        OptInType = 'immediate (now), next-maintenance (in the instance''s next maintenance window) or undo-opt-in (withdraw the opt-in).'
        Wait = 'With -OptInType immediate: waits until the instance is available again, the action applied.'
        Timeout = 'How long -Wait waits: seconds, or 90s, 30m, 2h. The default is 1 hour.'
        Force = 'Skips the confirmation prompt (not the maintenance window).'
        IgnoreMaintenanceWindow = 'Goes ahead outside the Database maintenance window when the context enforces windows (Set-OpsContext -EnforceMaintenanceWindow $true); without it such a run is refused before anything is sent (OutsideMaintenanceWindow). Needs -Reason; the journal entry records it.'
        Reason = 'Why the change cannot wait for the Database window (an incident or change id); required with -IgnoreMaintenanceWindow and journaled with the change.'
        Region = 'The AWS region. Defaults to the context''s Region, then AWS_REGION/AWS_DEFAULT_REGION, then the profile''s region. -Verbose says which was used.'
        ProfileName = 'The AWS profile (shared config/credentials files; SSO, assume-role and web identity profiles work). Defaults to the context''s ProfileName, then AWS_PROFILE, then the SDK''s default credential chain.'
        EndpointUrl = 'An endpoint URL that replaces AWS''s own (the sandbox, a VPC endpoint). Defaults to the context''s endpoint for the service, then AWS_ENDPOINT_URL_<SERVICE>/AWS_ENDPOINT_URL.'
        AllowInsecureEndpoint = 'Accepts an endpoint override on plain http:// to a host that is not this machine (for this command only). Without it such an endpoint is refused (EndpointInsecure): signed requests and their data would cross the network unencrypted. Plain http to localhost, 127.0.0.0/8 and ::1 needs no switch.'
    }
    Examples    = @(
        @{
            Title   = 'Schedule the minor engine upgrade for the next window'
            Code    = 'Invoke-DbPendingMaintenance db-upgrade -OptInType next-maintenance'
            Remarks = 'The context''s instance upgrades in its next maintenance window; the output shows OptInStatus next-maintenance and the date.'
        }
        @{
            Title   = 'Upgrade the engine now and wait until the instance is back'
            Code    = 'Invoke-DbPendingMaintenance db-upgrade -OptInType immediate -Wait'
            Remarks = 'The instance is upgrading (an outage), then available with the new EngineVersion; one journal entry covers the apply and the wait.'
        }
        @{
            Title   = 'Apply every pending system update now'
            Code    = 'Get-DbPendingMaintenance -Action system-update | Invoke-DbPendingMaintenance -OptInType immediate'
            Remarks = 'Each instance with a pending system-update is modified now, each journaled.'
        }
    )
    Links       = @('Get-DbPendingMaintenance', 'Wait-DbInstance', 'Test-MaintenanceWindow')
}
