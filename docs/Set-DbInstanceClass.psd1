@{
    Synopsis    = 'Changes a DB instance''s class (ModifyDBInstance), now or in the next maintenance window: the runbook''s scale-up.'
    Description = @'
Set-DbInstanceClass is the "overloaded: scale up the instance" resolution. It changes the instance class of the DB instance (the context's DbInstanceId by default) with ModifyDBInstance. The class is checked before any request (db.<family>.<size>, e.g. db.r6g.xlarge: DbInstanceClassInvalid otherwise; the class it already has is DbInstanceClassUnchanged); a class RDS does not offer is AWS's InvalidParameterCombination.

Without -ApplyImmediately the change waits for the instance's maintenance window: the output shows it as PendingInstanceClass. With -ApplyImmediately the instance is modifying now (a short outage on a single-AZ instance) and -Wait waits until it is available with its new class. It is a Database change (maintenance window, -IgnoreMaintenanceWindow -Reason) and asks for confirmation.
'@
    Parameters  = @{
        DbInstanceClass = 'The new class, e.g. db.r6g.xlarge.'
        DbInstanceId = 'The DB instance to change. Defaults to the context''s DbInstanceId. Binds by property name.'
        ApplyImmediately = 'Changes the class now instead of in the next maintenance window.'
        Wait = 'With -ApplyImmediately: waits until the instance is available with the new class.'
        Timeout = 'How long -Wait waits: seconds, or 90s, 30m, 2h. The default is 1 hour.'
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
            Title   = 'Scale up in the next maintenance window'
            Code    = 'Set-DbInstanceClass db.r6g.xlarge'
            Remarks = 'The change waits for the instance''s window; the output shows PendingInstanceClass.'
        }
        @{
            Title   = 'Scale up now and wait'
            Code    = 'Set-DbInstanceClass db.r6g.xlarge -ApplyImmediately -Wait'
            Remarks = 'Modifies the instance now and waits until it is available with the new class.'
        }
    )
    Links       = @('Get-DbInstance', 'Get-DbActivity', 'Restart-DbInstance')
}
