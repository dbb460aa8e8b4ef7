@{
    Synopsis    = 'Restores an RDS snapshot, or an instance as it was at a point in time, to a new DB instance, with pre-flight checks and the source''s network settings.'
    Description = @'
Restore-Database is the recovery runbook's "aws rds restore-db-instance-from-db-snapshot". Before any change it checks that the snapshot exists and is available (DBSnapshotNotFound, DbSnapshotNotAvailable) and that the target name is valid and free (DbInstanceIdInvalid, DbTargetInstanceExists).

One restore makes one new instance from one snapshot. Piped input is collected first: when several snapshots arrive for the one -TargetInstanceId (Get-DbSnapshot | Restore-Database -TargetInstanceId X), the command stops with RestoreTargetAmbiguous before anything changes, -WhatIf included, and names how many there were. Pick one first: Get-DbSnapshot -Latest | Restore-Database.

Unless given, it copies the source instance's instance class, subnet group, VPC security groups and parameter group (verbose output lists them): AWS itself would otherwise put the restored instance in the VPC's default security group, which the application cannot reach. It asks for confirmation (ConfirmImpact High); -Force skips the prompt, -WhatIf makes no change.

Point-in-time recovery: -ToTime <DateTime> or -UseLatestRestorableTime restores the source instance (-SourceDbInstanceId, default the context's DbInstanceId, or piped from Get-DbInstance) as it was at that time ("aws rds restore-db-instance-to-point-in-time"), from its automated backups and transaction logs. A local time is converted to UTC, and the confirmation text and the journal say the UTC time. Before any change it checks that the source has automated backups (DbPointInTimeRestoreNotEnabled) and that the time is inside its restorable window, EarliestRestorableTime to LatestRestorableTime as Get-DbInstance shows them (DbRestoreTimeOutsideWindow, whose message gives the window); the target name and the copied settings are checked and filled as for a snapshot. On the sandbox the restore replays the real PostgreSQL server's archived WAL when the sandbox runs its own server; on an external server it restores the newest snapshot at or before the time (see the README's limits).

With -Wait it waits until the instance is available (creating, backing-up, available) with progress and -Timeout (restored instances can stay in backing-up for hours); Ctrl+C stops the wait and says the restore goes on at AWS. The journal has one entry for the restore and its wait, as long as both took; a wait that fails or is stopped is journaled as Failed (WaitStopped when stopped), saying the restore itself was made. The output is a DbInstance whose Address, Port and DbName bind by property name into Test-DbConnection and Set-DbConnectionSecret.
'@
    Parameters  = @{
        ToTime               = 'The time to restore the source instance to (a DateTime; local times are converted to UTC). It must lie inside the source''s restorable window (Get-DbInstance: EarliestRestorableTime to LatestRestorableTime), else DbRestoreTimeOutsideWindow before any change.'
        UseLatestRestorableTime = 'Restores the source instance to its latest restorable time (typically five minutes ago) instead of a given time.'
        SourceDbInstanceId   = 'The instance restored to a point in time. Defaults to the context''s DbInstanceId; binds by property name (DbInstanceId) from Get-DbInstance''s output. Tab completion lists live instances.'
        SnapshotId           = 'The snapshot''s identifier (a manual name, or an automated one such as rds:real-estate-ai-db-2026-11-28-02-05). Binds by property name from piped objects with a SnapshotId or DBSnapshotIdentifier property. Tab completion lists live snapshots.'
        InputObject          = 'A DbSnapshot from New-DbSnapshot or Get-DbSnapshot, piped in. Exactly one per target instance: several are refused (RestoreTargetAmbiguous) before any change.'
        TargetInstanceId     = 'The new instance''s name (RDS''s rules: letters, digits, hyphens, a letter first, at most 63 characters). It must not exist yet.'
        InstanceClass        = 'The instance class, e.g. db.r6g.large. Defaults to the source instance''s.'
        SubnetGroup          = 'The DB subnet group. Defaults to the source instance''s.'
        VpcSecurityGroupId   = 'VPC security group ids. Defaults to the source instance''s (never the VPC''s default group).'
        MultiAZ              = 'Restores as a Multi-AZ deployment (-MultiAZ:$false for single-AZ). AWS''s default applies when not given.'
        PubliclyAccessible   = 'Makes the instance publicly accessible (-PubliclyAccessible:$false for private). AWS''s default applies when not given.'
        ParameterGroup       = 'The DB parameter group. Defaults to the source instance''s.'
        Port                 = 'The port the instance listens on (1150 to 65535). Defaults to the snapshot''s.'
        StorageType          = 'gp2, gp3, io1, io2 or standard. Defaults to the snapshot''s.'
        Tag                  = 'Tags for the new instance, as a hashtable.'
        DeletionProtection   = 'Turns deletion protection on for the new instance.'
        CopyTagsToSnapshot   = 'Copies the instance''s tags to its future snapshots.'
        Wait                 = 'Waits until the new instance is available, with progress, and returns it then.'
        Timeout              = 'How long -Wait waits: seconds, or 30m, 2h. The default is 3 hours.'
        Force                = 'Restores without asking for confirmation. -WhatIf still makes no change.'
        Region               = 'The AWS region. Defaults to the context''s Region, then AWS_REGION/AWS_DEFAULT_REGION, then the profile''s region. -Verbose says which was used.'
        ProfileName          = 'The AWS profile (shared config/credentials files; SSO, assume-role and web identity profiles work). Defaults to the context''s ProfileName, then AWS_PROFILE, then the SDK''s default credential chain.'
        EndpointUrl          = 'An endpoint URL that replaces AWS''s own (the sandbox, a VPC endpoint). Defaults to the context''s endpoint for the service, then AWS_ENDPOINT_URL_<SERVICE>/AWS_ENDPOINT_URL.'
        AllowInsecureEndpoint = 'Accepts an endpoint override on plain http:// to a host that is not this machine (for this command only). Without it such an endpoint is refused (EndpointInsecure): signed requests and their data would cross the network unencrypted. Plain http to localhost, 127.0.0.0/8 and ::1 needs no switch.'
    }
    Examples    = @(
        @{
            Title   = 'Restore the latest snapshot and wait'
            Code    = 'Get-DbSnapshot -Latest | Restore-Database -TargetInstanceId real-estate-ai-db-restored -Wait -Timeout 2h'
            Remarks = 'Restores the latest available snapshot of the context''s instance into a new instance, after confirmation, and waits for it. The journal''s one entry covers the restore and the wait.'
        }
        @{
            Title   = 'Preview a restore of the oldest automated snapshot'
            Code    = 'Get-DbSnapshot -DbInstanceId real-estate-ai-db -SnapshotType automated | Select-Object -First 1 | Restore-Database -TargetInstanceId real-estate-ai-db-pitr -InstanceClass db.r6g.xlarge -WhatIf'
            Remarks = 'Shows what restoring the oldest automated snapshot with a bigger class would do, without doing it. By id: Restore-Database rds:real-estate-ai-db-<yyyy-MM-dd-HH-mm> real-estate-ai-db-pitr -WhatIf, with a name Get-DbSnapshot -SnapshotType automated lists.'
        }
        @{
            Title   = 'Snapshot, restore and test a login in one pipeline'
            Code    = 'New-DbSnapshot -SnapshotId before-restore-check -Wait | Restore-Database -TargetInstanceId real-estate-ai-db-checked -Force -Wait | Test-DbConnection'
            Remarks = 'Takes a snapshot, restores it without a prompt, waits, and tests a login on the new endpoint (Address, Port and DbName bind by property name).'
        }
        @{
            Title   = 'Restore the database as it was before a bad migration'
            Code    = 'Restore-Database -ToTime (Get-Date).AddMinutes(-30) -TargetInstanceId real-estate-ai-db-before-migration -Wait -Timeout 2h'
            Remarks = 'Restores the context''s instance as it was thirty minutes ago (the local time is converted to UTC, which the confirmation shows) into a new instance, and waits for it. A time outside the restorable window is refused before any change, with the window in the message.'
        }
        @{
            Title   = 'Restore an instance to its latest restorable time'
            Code    = 'Get-DbInstance real-estate-ai-db | Restore-Database -UseLatestRestorableTime -TargetInstanceId real-estate-ai-db-latest -Force -Wait | Test-DbConnection'
            Remarks = 'Restores the piped instance as it was at its latest restorable time (typically five minutes ago), waits, and tests a login on the new endpoint.'
        }
    )
    Links       = @('Get-DbSnapshot', 'Get-DbInstance', 'Wait-DbInstance', 'Test-DbConnection')
}
