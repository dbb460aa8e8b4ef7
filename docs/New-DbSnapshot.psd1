@{
    Synopsis    = 'Creates a manual RDS snapshot of the platform database, as the runbook''s manual backup procedure does.'
    Description = @'
New-DbSnapshot is the runbook's "aws rds create-db-snapshot" step. It snapshots the DB instance (by default the context's DbInstanceId, real-estate-ai-db) under the runbook's name manual-backup-yyyyMMdd (UTC), or under -SnapshotId (an empty one is DbSnapshotIdInvalid).

A name that is already taken is an error (DbSnapshotIdTaken) that names -SnapshotId: a snapshot is never overwritten and never silently renamed. Identifiers are checked against RDS's rules before any call (letters, digits and hyphens; a letter first; no two hyphens in a row, none at the end; at most 255 characters): DbSnapshotIdInvalid, DbInstanceIdInvalid. An instance that is not available gives AWS's InvalidDBInstanceState, a missing one DBInstanceNotFound.

With -Wait it waits until the snapshot is available, with progress (PercentProgress) and -Timeout; Ctrl+C stops the wait at once and says that the snapshot is still being created on AWS. The journal has one entry for the snapshot and its wait, as long as both took; a wait that fails or is stopped is journaled as Failed (WaitStopped when stopped), saying the snapshot itself was created. The output is a DbSnapshot, which Restore-Database, Wait-DbSnapshot and Remove-DbSnapshot accept from the pipeline.
'@
    Parameters  = @{
        DbInstanceId         = 'The DB instance to snapshot. Defaults to the context''s DbInstanceId (real-estate-ai-db). Binds by property name (DbInstanceId, DBInstanceIdentifier).'
        SnapshotId           = 'The new snapshot''s name. Defaults to manual-backup-yyyyMMdd (today, UTC). A taken name is an error, never overwritten.'
        Tag                  = 'Tags for the snapshot, as a hashtable: @{ reason = ''pre-migration''; ticket = ''OPS-42'' }. The instance''s own tags are added when it copies tags to snapshots.'
        Wait                 = 'Waits until the snapshot is available, with progress, and returns it then.'
        Timeout              = 'How long -Wait waits: seconds, or 90s, 30m, 2h. The default is 1 hour.'
        Region               = 'The AWS region. Defaults to the context''s Region, then AWS_REGION/AWS_DEFAULT_REGION, then the profile''s region. -Verbose says which was used.'
        ProfileName          = 'The AWS profile (shared config/credentials files; SSO, assume-role and web identity profiles work). Defaults to the context''s ProfileName, then AWS_PROFILE, then the SDK''s default credential chain.'
        EndpointUrl          = 'An endpoint URL that replaces AWS''s own (the sandbox, a VPC endpoint). Defaults to the context''s endpoint for the service, then AWS_ENDPOINT_URL_<SERVICE>/AWS_ENDPOINT_URL.'
        AllowInsecureEndpoint = 'Accepts an endpoint override on plain http:// to a host that is not this machine (for this command only). Without it such an endpoint is refused (EndpointInsecure): signed requests and their data would cross the network unencrypted. Plain http to localhost, 127.0.0.0/8 and ::1 needs no switch.'
    }
    Examples    = @(
        @{
            Title   = 'Preview the runbook''s manual backup'
            Code    = 'New-DbSnapshot -WhatIf'
            Remarks = 'Shows what would be created (manual-backup-<today> of the context''s instance); makes no change, and the journal records WhatIf.'
        }
        @{
            Title   = 'Take the runbook''s manual backup and wait for it'
            Code    = 'New-DbSnapshot -Wait'
            Remarks = 'Creates manual-backup-<today> of the context''s instance and waits until it is available; the journal''s one entry lasts as long as both. A second run the same day is DbSnapshotIdTaken.'
        }
        @{
            Title   = 'Take a named, tagged snapshot'
            Code    = 'New-DbSnapshot -DbInstanceId real-estate-ai-db -SnapshotId pre-migration-20261128 -Tag @{ ticket = ''OPS-42'' }'
            Remarks = 'Creates a named, tagged snapshot and returns at once with status creating. An empty -SnapshotId is DbSnapshotIdInvalid; leave it out for the default name.'
        }
    )
    Links       = @('Get-DbSnapshot', 'Wait-DbSnapshot', 'Restore-Database', 'Export-Database')
}
