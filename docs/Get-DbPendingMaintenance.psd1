@{
    Synopsis    = 'Lists the maintenance AWS has pending for DB instances (DescribePendingMaintenanceActions): system updates, minor engine upgrades.'
    Description = @'
Get-DbPendingMaintenance is "aws rds describe-pending-maintenance-actions". It lists one object per pending action of each DB instance (every instance, or those named with -DbInstanceId, wildcards allowed): the action (system-update, db-upgrade, ...), its description, when AWS applies it on its own (AutoAppliedAfterDate: in the first maintenance window after it; ForcedApplyDate: regardless of the window), the opt-in made (OptInStatus: immediate, next-maintenance) and the date it takes effect (CurrentApplyDate).

Pages are requested with Marker as the pipeline takes the items (Select-Object -First 1 makes one request). The output pipes into Invoke-DbPendingMaintenance (DbInstanceId and Action bind by property name).
'@
    Parameters  = @{
        DbInstanceId = 'The DB instances, wildcards allowed. Without it, every instance. Binds by property name.'
        Action = 'Only this action, e.g. db-upgrade or system-update.'
        PageSize = 'Resources per DescribePendingMaintenanceActions request (20 to 100). The default is 100.'
        Region = 'The AWS region. Defaults to the context''s Region, then AWS_REGION/AWS_DEFAULT_REGION, then the profile''s region. -Verbose says which was used.'
        ProfileName = 'The AWS profile (shared config/credentials files; SSO, assume-role and web identity profiles work). Defaults to the context''s ProfileName, then AWS_PROFILE, then the SDK''s default credential chain.'
        EndpointUrl = 'An endpoint URL that replaces AWS''s own (the sandbox, a VPC endpoint). Defaults to the context''s endpoint for the service, then AWS_ENDPOINT_URL_<SERVICE>/AWS_ENDPOINT_URL.'
        AllowInsecureEndpoint = 'Accepts an endpoint override on plain http:// to a host that is not this machine (for this command only). Without it such an endpoint is refused (EndpointInsecure): signed requests and their data would cross the network unencrypted. Plain http to localhost, 127.0.0.0/8 and ::1 needs no switch.'
    }
    Examples    = @(
        @{
            Title   = 'What is pending for the platform database'
            Code    = 'Get-DbPendingMaintenance real-estate-ai-db'
            Remarks = 'Its pending actions, e.g. a db-upgrade to the next minor engine version and a system-update, with their dates.'
        }
        @{
            Title   = 'Minor engine upgrades across every instance'
            Code    = 'Get-DbPendingMaintenance -Action db-upgrade'
            Remarks = 'The db-upgrade actions of every DB instance.'
        }
    )
    Links       = @('Invoke-DbPendingMaintenance', 'Get-DbInstance', 'Test-MaintenanceWindow')
}
