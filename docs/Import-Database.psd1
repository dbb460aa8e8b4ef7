@{
    Synopsis    = 'Restores an Export-Database archive (file or S3) into a database with pg_restore.'
    Description = @'
Import-Database is the way to prove a backup restores. It streams the archive (a file, or s3://bucket/key) into pg_restore, in one transaction that stops at the first error, so a failed import changes nothing (PgRestoreFailed, with pg_restore's message).

Before any change it checks that the archive exists (BackupNotFound) and, when its SHA-256 is known (piped from Export-Database or given with -Sha256), that it still matches (BackupChecksumMismatch); that the target database accepts a login; and that it is empty. A target that already has tables is refused (DbTargetNotEmpty) unless -Force, which replaces them (pg_restore --clean --if-exists). It asks for confirmation (ConfirmImpact High); -Force also skips the prompt, -WhatIf makes no change.

The target database must exist and is always named explicitly with -Database, never taken from a piped artifact or the context.
'@
    Parameters  = @{
        HostName             = 'The target server. Defaults to the context''s DbHost.'
        Port                 = 'The server port. Defaults to the context''s DbPort.'
        Credential           = 'User name and password. Without it, the context''s DbUser and password file (DbPassFile) are used. The password reaches pg_dump/pg_restore through a password file of its own, never the command line.'
        Source               = 'The archive: a file path or s3://bucket/key. Binds by property name (Source, Location) from Export-Database''s output.'
        Sha256               = 'The archive''s expected SHA-256; binds from a piped BackupArtifact. Checked before anything is restored.'
        Database             = 'The target database (must exist). Always explicit.'
        PgRestorePath        = 'The pg_restore to use. By default the newest under /usr/lib/postgresql/N/bin, REALESTATEOPS_PG_BIN, or pg_restore on PATH.'
        Force                = 'Replaces the tables of a non-empty target, and skips the confirmation prompt.'
        Region               = 'The AWS region. Defaults to the context''s Region, then AWS_REGION/AWS_DEFAULT_REGION, then the profile''s region. -Verbose says which was used.'
        ProfileName          = 'The AWS profile (shared config/credentials files; SSO, assume-role and web identity profiles work). Defaults to the context''s ProfileName, then AWS_PROFILE, then the SDK''s default credential chain.'
        EndpointUrl          = 'An endpoint URL that replaces AWS''s own (the sandbox, a VPC endpoint). Defaults to the context''s endpoint for the service, then AWS_ENDPOINT_URL_<SERVICE>/AWS_ENDPOINT_URL.'
        AllowInsecureEndpoint = 'Accepts an endpoint override on plain http:// to a host that is not this machine (for this command only). Without it such an endpoint is refused (EndpointInsecure): signed requests and their data would cross the network unencrypted. Plain http to localhost, 127.0.0.0/8 and ::1 needs no switch.'
    }
    Examples    = @(
        @{
            Code    = 'Import-Database ./backup-20261128.dump -Database restore_check'
            Remarks = 'Restores a file into the empty database restore_check, after confirmation.'
        }
        @{
            Code    = 'Import-Database s3://real-estate-ai-backups/backup-20261128.dump -Database restore_check -Force'
            Remarks = 'Restores straight from S3, replacing what restore_check held.'
        }
    )
    Links       = @('Export-Database', 'Restore-Database')
}
