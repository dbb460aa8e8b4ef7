@{
    Synopsis    = 'Waits until an RDS snapshot is available, with progress and a timeout.'
    Description = @'
Wait-DbSnapshot polls DescribeDBSnapshots through the module's one waiter: the interval grows while nothing changes, Write-Progress shows the status, PercentProgress and elapsed time, and Ctrl+C stops at once (the snapshot goes on being created on AWS; a warning and the journal say so).

It returns the available snapshot. A snapshot that fails is the error DbSnapshotFailed; one that is not available within -Timeout is DbSnapshotWaitTimeout (it may still complete).
'@
    Parameters  = @{
        SnapshotId           = 'The snapshot''s identifier (a manual name, or an automated one such as rds:real-estate-ai-db-2026-11-28-02-05). Binds by property name from piped objects with a SnapshotId or DBSnapshotIdentifier property. Tab completion lists live snapshots.'
        InputObject          = 'A DbSnapshot from New-DbSnapshot or Get-DbSnapshot, piped in.'
        Timeout              = 'How long to wait: seconds, or 90s, 30m, 2h. The default is 1 hour.'
        Region               = 'The AWS region. Defaults to the context''s Region, then AWS_REGION/AWS_DEFAULT_REGION, then the profile''s region. -Verbose says which was used.'
        ProfileName          = 'The AWS profile (shared config/credentials files; SSO, assume-role and web identity profiles work). Defaults to the context''s ProfileName, then AWS_PROFILE, then the SDK''s default credential chain.'
        EndpointUrl          = 'An endpoint URL that replaces AWS''s own (the sandbox, a VPC endpoint). Defaults to the context''s endpoint for the service, then AWS_ENDPOINT_URL_<SERVICE>/AWS_ENDPOINT_URL.'
        AllowInsecureEndpoint = 'Accepts an endpoint override on plain http:// to a host that is not this machine (for this command only). Without it such an endpoint is refused (EndpointInsecure): signed requests and their data would cross the network unencrypted. Plain http to localhost, 127.0.0.0/8 and ::1 needs no switch.'
    }
    Examples    = @(
        @{
            Title   = 'Create a snapshot, then wait through the pipeline'
            Code    = 'New-DbSnapshot -SnapshotId before-upgrade-20261128 | Wait-DbSnapshot -Timeout 30m'
            Remarks = 'Creates a snapshot and waits for it, up to 30 minutes, through the pipeline.'
        }
        @{
            Title   = 'Wait for the manual snapshots still being created'
            Code    = 'Get-DbSnapshot -SnapshotType manual | Wait-DbSnapshot -Timeout 2h'
            Remarks = 'Waits for every manual snapshot (e.g. ones another session started); each that is already available is returned at once. By name: Wait-DbSnapshot before-upgrade-20261128.'
        }
    )
    Links       = @('New-DbSnapshot', 'Get-DbSnapshot')
}
