@{
    Synopsis    = 'Reboots an RDS DB instance (RebootDBInstance), applying static parameter changes; in the Database maintenance window.'
    Description = @'
Restart-DbInstance reboots the DB instance (the context's DbInstanceId by default). A reboot applies the static parameter changes Set-DbParameter left pending (ParameterApplyStatus pending-reboot becomes in-sync); -ForceFailover reboots a Multi-AZ instance with a failover to its standby (refused with DbFailoverNotMultiAZ otherwise). An instance that is not available is refused before any request (DbInstanceNotAvailable).

The reboot is a Database change: when the context enforces maintenance windows it runs only in the Database window, unless -IgnoreMaintenanceWindow with a -Reason (journaled). It asks for confirmation (ConfirmImpact High; -Force skips the prompt only). With -Wait it waits, with progress, until the instance is available again; the journal's one entry covers the reboot and the wait.
'@
    Parameters  = @{
        DbInstanceId = 'The DB instance to reboot. Defaults to the context''s DbInstanceId. Binds by property name.'
        ForceFailover = 'Reboots with a failover to the standby (Multi-AZ instances only).'
        Wait = 'Waits until the instance is available again, with progress, and returns it then.'
        Timeout = 'How long -Wait waits: seconds, or 90s, 30m, 2h. The default is 30 minutes.'
        Force = 'Skips the confirmation prompt (not the maintenance window).'
        IgnoreMaintenanceWindow = 'Goes ahead outside the Database maintenance window when the context enforces windows (Set-OpsContext -EnforceMaintenanceWindow $true); without it such a run is refused before anything is sent (OutsideMaintenanceWindow). Needs -Reason; the journal entry records it. For a change that cannot wait, such as an incident fix.'
        Reason = 'Why the change cannot wait for the Database window (an incident or change id); required with -IgnoreMaintenanceWindow and journaled with the change.'
        Region = 'The AWS region. Defaults to the context''s Region, then AWS_REGION/AWS_DEFAULT_REGION, then the profile''s region. -Verbose says which was used.'
        ProfileName = 'The AWS profile (shared config/credentials files; SSO, assume-role and web identity profiles work). Defaults to the context''s ProfileName, then AWS_PROFILE, then the SDK''s default credential chain.'
        EndpointUrl = 'An endpoint URL that replaces AWS''s own (the sandbox, a VPC endpoint). Defaults to the context''s endpoint for the service, then AWS_ENDPOINT_URL_<SERVICE>/AWS_ENDPOINT_URL.'
        AllowInsecureEndpoint = 'Accepts an endpoint override on plain http:// to a host that is not this machine (for this command only). Without it such an endpoint is refused (EndpointInsecure): signed requests and their data would cross the network unencrypted. Plain http to localhost, 127.0.0.0/8 and ::1 needs no switch.'
    }
    Examples    = @(
        @{
            Title   = 'Reboot to apply a raised connection limit'
            Code    = 'Restart-DbInstance -Wait'
            Remarks = 'Reboots the context''s instance and waits until it is available; pending parameter changes (max_connections) now apply.'
        }
        @{
            Title   = 'Reboot during an incident, outside the window'
            Code    = 'Restart-DbInstance real-estate-ai-db -IgnoreMaintenanceWindow -Reason ''INC-7 connection limit'' -Wait'
            Remarks = 'Goes ahead outside the Database window with the reason journaled.'
        }
    )
    Links       = @('Set-DbParameter', 'Wait-DbInstance', 'Get-DbInstance')
}
