@{
    Synopsis    = 'Proves a backup restores: restores the newest snapshot or export into a scratch copy, checks it, and removes the copy.'
    Description = @'
Test-DbBackup is a restore drill, as dbatools' Test-DbaLastBackup is for SQL Server, and the runbook's "verify data integrity" made routine. It restores one backup into a scratch copy, checks the copy, writes one BackupDrillResult, and removes the copy. It is journaled (one entry, Failed with DbBackupDrillFailed when a check failed) and safe to schedule weekly.

- Snapshots (the default): the newest available snapshot of the context's instance (or -DbSnapshotIdentifier, or one piped from Get-DbSnapshot) is restored into a scratch instance named drill-<instance>-<drill id>, with the source's network settings and the tag realestateops:drill=<drill id>; once it is available it is checked and then deleted without a final snapshot.
- Exports (-Export for the newest in the backups bucket, or -Path for one export, or piped from Export-Database): the export is restored into a scratch database reo_drill_<drill id> on the context's database server (or -HostName, -Port), commented "realestateops:drill <drill id>", checked, then dropped. The login needs the right to create databases (the RDS master user has it).

The checks, each with a verdict (Pass, Fail, Skipped with the reason, Info):
- Restore: the restore finished (a snapshot's instance became available; an export's SHA-256 matched its manifest and pg_restore succeeded). A corrupted export fails here with BackupChecksumMismatch.
- Tables: every table the backup holds is in the copy (and the copy holds tables at all).
- RowCounts: each table's exact row count against the count the export's manifest recorded in the dump's own snapshot; Info for a snapshot, which records none.
- Indexes: every index of the copy valid and ready.
- IndexIntegrity: amcheck's bt_index_check with heapallindexed on every B-tree index, when amcheck is installed or can be installed in the scratch database (it needs a superuser, rds_superuser on RDS); Skipped with the reason otherwise.
- Smoke:1..n: the application's smoke queries (-SmokeQuery replaces the platform's), each read-only under a 60 s statement timeout.

The scratch copy is removed however the drill ends (Ctrl+C too), and only after its marker was read back: anything else of that name, and anything without the marker, is left alone, and the result (ScratchRemoved, ScratchNote) and a warning say what is left and how to remove it. The result's Checks and Tables list every check and table.
'@
    Parameters  = @{
        DbSnapshotIdentifier = 'The snapshot to restore; binds from Get-DbSnapshot. Defaults to the newest available snapshot (automated or manual) of -DbInstanceId.'
        DbInstanceId = 'The instance whose newest snapshot is restored. Defaults to the context''s DbInstanceId.'
        ScratchInstanceClass = 'The scratch instance''s class (e.g. db.t3.medium, to keep the drill cheap). Defaults to the source''s class.'
        Export = 'Restores the newest export in the backups bucket (an object whose key ends in .dump, or a prefix whose manifest.json was written) instead of a snapshot.'
        BackupsBucket = 'The bucket -Export takes the newest export from. Defaults to the context''s BackupsBucket.'
        ExportPrefix = 'With -Export, only exports under this key prefix count.'
        Path = 'The export to restore: s3://bucket/key.dump, s3://bucket/prefix/ of a parallel export (Export-Database -Jobs), or a file. Binds from Export-Database''s Location.'
        HostName = 'For exports: the server the scratch database is made on. Defaults to the context''s DbHost.'
        Port = 'For exports: the server''s port. Defaults to the context''s DbPort.'
        Database = 'For exports: the database to connect to while making and dropping the scratch database. Defaults to the context''s DbName.'
        Jobs = 'For parallel exports (Export-Database -Jobs): how many workers restore it (1 to 32, at least 2 are used; default 2; binds from the piped export). A single-file export is restored by one pg_restore.'
        Credential = 'The login for the scratch copy (for a snapshot, the instance''s master user). Defaults to the context''s DbUser with the password from its DbPassFile.'
        SmokeQuery = 'The queries that must run on the restored copy, each read-only. Defaults to the platform''s: properties, listings with their properties, accepted proposals, embeddings with their properties, chat sessions.'
        Timeout = 'For snapshots: how long the scratch instance may take to become available (default 2h).'
        Region = 'The AWS region. Defaults to the context''s Region, then AWS_REGION, then the profile''s region.'
        ProfileName = 'The AWS profile (shared credentials/config files). Defaults to the context''s ProfileName, then AWS_PROFILE, then the default credential chain.'
        EndpointUrl = 'An endpoint override for RDS and S3 (the sandbox). Defaults to the context''s rds and s3 endpoints.'
        AllowInsecureEndpoint = 'Accepts an endpoint override on plain http:// to a host that is not this machine (for this command only). Without it such an endpoint is refused (EndpointInsecure). Plain http to localhost, 127.0.0.0/8 and ::1 needs no switch.'
        WhatIf = 'Names the backup and the scratch copy it would restore into, and restores nothing.'
        Confirm = 'Asks before the drill.'
    }
    Examples    = @(
        @{
            Title   = 'Drill the newest snapshot'
            Code    = 'Test-DbBackup -Timeout 10m'
            Remarks = 'Restores the newest snapshot of real-estate-ai-db into a scratch instance, checks it, deletes it, and shows one line: the verdict, the rows restored, how long it took.'
        }
        @{
            Title   = 'Export, then prove the export restores'
            Code    = 'Export-Database -Destination s3://real-estate-ai-backups/drill/weekly.dump -Overwrite | Test-DbBackup | Select-Object -ExpandProperty Tables'
            Remarks = 'Each table''s row count in the restored copy beside the count recorded when the export was taken.'
        }
        @{
            Title   = 'A weekly job that fails loudly'
            Code    = '$drill = Test-DbBackup -Export -ErrorAction Stop; $drill.Checks'
            Remarks = 'Restores the newest export in the backups bucket; a failed check stops the script with DbBackupDrillFailed (and is journaled as Failed).'
        }
        @{
            Title   = 'See what a drill would do'
            Code    = 'Test-DbBackup -WhatIf'
            Remarks = 'Names the snapshot and the scratch instance, and restores nothing.'
        }
    )
    Links       = @('Test-DbBackupPolicy', 'Export-Database', 'Import-Database', 'Restore-Database', 'Get-DbSnapshot')
}
