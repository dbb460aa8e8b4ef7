@{
    Synopsis    = 'Deletes a manual RDS snapshot.'
    Description = @'
Remove-DbSnapshot calls DeleteDBSnapshot for a manual snapshot. It asks for confirmation (ConfirmImpact High); -Force skips the prompt, -WhatIf makes no call. Automated snapshots cannot be deleted (AWS's InvalidDBSnapshotState: they expire with the retention period), nor snapshots still being created. A missing snapshot is AWS's DBSnapshotNotFound. Every deletion is journaled.
'@
    Parameters  = @{
        SnapshotId           = 'The snapshot''s identifier (a manual name, or an automated one such as rds:real-estate-ai-db-2026-11-28-02-05). Binds by property name from piped objects with a SnapshotId or DBSnapshotIdentifier property. Tab completion lists live snapshots.'
        InputObject          = 'A DbSnapshot from New-DbSnapshot or Get-DbSnapshot, piped in.'
        Force                = 'Deletes without asking for confirmation. -WhatIf still makes no call.'
        Region               = 'The AWS region. Defaults to the context''s Region, then AWS_REGION/AWS_DEFAULT_REGION, then the profile''s region. -Verbose says which was used.'
        ProfileName          = 'The AWS profile (shared config/credentials files; SSO, assume-role and web identity profiles work). Defaults to the context''s ProfileName, then AWS_PROFILE, then the SDK''s default credential chain.'
        EndpointUrl          = 'An endpoint URL that replaces AWS''s own (the sandbox, a VPC endpoint). Defaults to the context''s endpoint for the service, then AWS_ENDPOINT_URL_<SERVICE>/AWS_ENDPOINT_URL.'
        AllowInsecureEndpoint = 'Accepts an endpoint override on plain http:// to a host that is not this machine (for this command only). Without it such an endpoint is refused (EndpointInsecure): signed requests and their data would cross the network unencrypted. Plain http to localhost, 127.0.0.0/8 and ::1 needs no switch.'
    }
    Examples    = @(
        @{
            Title   = 'Take a scratch snapshot, then delete it'
            Code    = 'New-DbSnapshot -SnapshotId scratch-20261128 -Wait | Remove-DbSnapshot'
            Remarks = 'Takes a scratch snapshot and, once it is available, deletes it after confirmation. By id: Remove-DbSnapshot scratch-20261128.'
        }
        @{
            Title   = 'Delete last October''s manual backups'
            Code    = 'Get-DbSnapshot ''manual-backup-202610*'' -SnapshotType manual | Remove-DbSnapshot -Force'
            Remarks = 'Deletes last October''s manual backups without prompting (none is nothing to delete, no error).'
        }
    )
    Links       = @('Get-DbSnapshot', 'New-DbSnapshot')
}
