@{
    Synopsis    = 'Lists RDS DB snapshots by name (wildcards), instance, type, or the latest one.'
    Description = @'
Get-DbSnapshot is the runbook's "aws rds describe-db-snapshots". It streams the snapshots page by page (DescribeDBSnapshots with Marker paging), so "Get-DbSnapshot | Select-Object -First 5" stops fetching after the first page. Its alias is Get-Snapshot.

Give snapshot ids (wildcards allowed, e.g. 'manual-backup-*'), -DbInstanceId, and -SnapshotType manual or automated. -Latest returns the most recent available snapshot (of the context's instance unless -DbInstanceId is given), which is what the recovery runbook restores.

A snapshot that does not exist is a non-terminating error with AWS's id DBSnapshotNotFound; the other ids still come. The output DbSnapshot objects pipe into Restore-Database, Wait-DbSnapshot and Remove-DbSnapshot.
'@
    Parameters  = @{
        SnapshotId           = 'Snapshot ids, wildcards allowed. Without it, all snapshots (of -DbInstanceId when given). Binds by property name (SnapshotId, DBSnapshotIdentifier).'
        DbInstanceId         = 'Only snapshots of this DB instance. Binds by property name, so Get-DbInstance x | Get-DbSnapshot lists that instance''s snapshots.'
        SnapshotType         = 'Only manual or only automated snapshots.'
        Latest               = 'Returns only the most recent available snapshot (of the context''s DbInstanceId when -DbInstanceId is not given). None is the error DbLatestSnapshotNotFound.'
        PageSize             = 'Snapshots per DescribeDBSnapshots page, 20 to 100 (default 100).'
        Region               = 'The AWS region. Defaults to the context''s Region, then AWS_REGION/AWS_DEFAULT_REGION, then the profile''s region. -Verbose says which was used.'
        ProfileName          = 'The AWS profile (shared config/credentials files; SSO, assume-role and web identity profiles work). Defaults to the context''s ProfileName, then AWS_PROFILE, then the SDK''s default credential chain.'
        EndpointUrl          = 'An endpoint URL that replaces AWS''s own (the sandbox, a VPC endpoint). Defaults to the context''s endpoint for the service, then AWS_ENDPOINT_URL_<SERVICE>/AWS_ENDPOINT_URL.'
        AllowInsecureEndpoint = 'Accepts an endpoint override on plain http:// to a host that is not this machine (for this command only). Without it such an endpoint is refused (EndpointInsecure): signed requests and their data would cross the network unencrypted. Plain http to localhost, 127.0.0.0/8 and ::1 needs no switch.'
    }
    Examples    = @(
        @{
            Title   = 'List an instance''s snapshots'
            Code    = 'Get-DbSnapshot -DbInstanceId real-estate-ai-db'
            Remarks = 'Lists the instance''s snapshots, automated and manual, as a table.'
        }
        @{
            Title   = 'Find manual backups by name, through the alias'
            Code    = 'Get-Snapshot ''manual-backup-*'' -SnapshotType manual'
            Remarks = 'Manual backups by name pattern.'
        }
        @{
            Title   = 'Restore the latest snapshot'
            Code    = 'Get-DbSnapshot -Latest | Restore-Database -TargetInstanceId real-estate-ai-db-latest -Wait'
            Remarks = 'The recovery runbook in one line: restore the latest snapshot, after confirmation, and wait.'
        }
    )
    Links       = @('New-DbSnapshot', 'Restore-Database', 'Remove-DbSnapshot')
}
