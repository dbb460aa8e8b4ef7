@{
    Synopsis    = 'Restores an Export-Database archive (file or S3) into a database with pg_restore.'
    Description = @'
Import-Database is the way to prove a backup restores. It streams the archive (a file, or s3://bucket/key) into pg_restore, in one transaction that stops at the first error, so a failed import changes nothing (PgRestoreFailed, with pg_restore's message).

Before any change it checks that the archive exists (BackupNotFound) and, when its SHA-256 is known, that it still matches (BackupChecksumMismatch), reading the whole archive first: the hash is piped from Export-Database or given with -Sha256, and an S3 object written by Export-Database carries it as metadata (x-amz-meta-sha256), so an import from S3 is checked without the caller knowing it; a -Sha256 that disagrees with the recorded one is an error (BackupChecksumConflict). The restore then reads the same bytes (an S3 object pinned by its ETag), hashes them again as it streams, and holds the last block back until that hash matches, so an archive that changed in between is stopped before pg_restore commits: nothing is restored. It also checks that the target database accepts a login and that it is empty.

A target that already has tables is refused (DbTargetNotEmpty) unless -Replace, which drops and replaces every object the archive holds (pg_restore --clean --if-exists). It asks for confirmation (ConfirmImpact High); -Force only skips the prompt and never replaces anything; -WhatIf makes no change (the checks still run).

Database connections to a host that is not this machine verify the server's certificate (sslmode verify-full against the context's DbSslRootCert; see Set-OpsContext); an operator's own PGSSLMODE/PGSSLROOTCERT are never overridden.

-Jobs N (2 or more) restores an Export-Database -Jobs prefix (s3://bucket/prefix), and binds from a piped BackupArtifact. It reads the prefix's manifest.json (ExportManifestNotFound: no export there, or one that did not finish) and first verifies every file against the SHA-256 the manifest records, N at once, each read pinned to its ETag: a damaged or changed file is ExportChecksumMismatch before the target is touched. Then the schema's pre-data is restored (pg_restore, one transaction); N workers stream the data files (gunzip'd on the way) into COPY FROM STDIN, each in one transaction, hashing and counting the rows again, and commit together only when all finished (any failure rolls all of them back: the target then has the export's schema with empty tables, which the error says); the sequences are set; indexes and constraints are built last with pg_restore -j N from a private 0700 temporary folder (pg_restore -j needs a file), removed after. With -Replace the export's tables are dropped first (CASCADE, which also drops other tables' foreign keys to them) and the pre-data is restored with --clean --if-exists; unlike -Jobs 1 that is not one transaction with the rows. -Sha256 (or a piped artifact's) is then the manifest's SHA-256.

The target database must exist and is always named explicitly with -Database, never taken from a piped artifact or the context.
'@
    Parameters  = @{
        IgnoreMaintenanceWindow = 'Goes ahead outside the Database maintenance window when the context enforces windows (Set-OpsContext -EnforceMaintenanceWindow $true); without it such a run is refused before anything is sent (OutsideMaintenanceWindow). Needs -Reason; the journal entry records it. For a change that cannot wait, such as an incident fix.'
        Reason = 'Why the change cannot wait for the Database window (an incident or change id); required with -IgnoreMaintenanceWindow and journaled with the change.'
        HostName             = 'The target server. Defaults to the context''s DbHost.'
        Port                 = 'The server port. Defaults to the context''s DbPort.'
        Credential           = 'User name and password. Without it, the context''s DbUser and password file (DbPassFile) are used. The password reaches pg_dump/pg_restore through a password file of its own, never the command line.'
        Source               = 'The archive: a file path or s3://bucket/key. Binds by property name (Source, Location) from Export-Database''s output.'
        Sha256               = 'The archive''s expected SHA-256; binds from a piped BackupArtifact. Checked before anything is restored, for files and s3:// objects alike. An S3 object written by Export-Database is checked against its recorded x-amz-meta-sha256 without it; when both are known they must agree (BackupChecksumConflict).'
        Database             = 'The target database (must exist). Always explicit.'
        PgRestorePath        = 'The pg_restore to use. By default the newest under /usr/lib/postgresql/N/bin, REALESTATEOPS_PG_BIN, or pg_restore on PATH.'
        Replace              = 'Allows a target that already has tables: every object the archive holds (tables with their rows, views, sequences, functions, ...) is dropped and restored from the archive (pg_restore --clean --if-exists), in the one transaction. Objects the archive does not hold stay. Without it a non-empty target is refused (DbTargetNotEmpty).'
        Jobs                 = 'Workers of a parallel import: 1 (the default) restores one archive with pg_restore in one transaction; 2 or more restore an Export-Database -Jobs prefix (s3://bucket/prefix): every file verified against the manifest''s SHA-256 first, the rows loaded by that many workers whose transactions commit together, then indexes and constraints with pg_restore -j. Binds by property name from a piped BackupArtifact.'
        Force                = 'Skips the confirmation prompt. It never replaces a non-empty target: that is -Replace.'
        Region               = 'The AWS region. Defaults to the context''s Region, then AWS_REGION/AWS_DEFAULT_REGION, then the profile''s region. -Verbose says which was used.'
        ProfileName          = 'The AWS profile (shared config/credentials files; SSO, assume-role and web identity profiles work). Defaults to the context''s ProfileName, then AWS_PROFILE, then the SDK''s default credential chain.'
        EndpointUrl          = 'An endpoint URL that replaces AWS''s own (the sandbox, a VPC endpoint). Defaults to the context''s endpoint for the service, then AWS_ENDPOINT_URL_<SERVICE>/AWS_ENDPOINT_URL.'
        AllowInsecureEndpoint = 'Accepts an endpoint override on plain http:// to a host that is not this machine (for this command only). Without it such an endpoint is refused (EndpointInsecure): signed requests and their data would cross the network unencrypted. Plain http to localhost, 127.0.0.0/8 and ::1 needs no switch.'
    }
    Examples    = @(
        @{
            Title   = 'Check that a dump file would restore'
            Code    = 'Import-Database ./check.dump -Database restore-check -Replace -WhatIf'
            Remarks = 'Checks that the file Export-Database''s third example wrote would restore into restore-check (the scratch instance that example restored): the archive, the login and the target; -WhatIf changes nothing. Into an empty database the user owns, Import-Database ./backup-20261128.dump -Database restore_check restores it, after confirmation.'
        }
        @{
            Title   = 'Export to S3, then restore from there'
            Code    = 'Export-Database s3://real-estate-ai-backups/check.dump -Overwrite | Import-Database -Database restore-check -Replace -Force'
            Remarks = 'Dumps the context''s database to S3 and imports that object into restore-check, replacing what it holds without a prompt: read straight from S3 and checked against the SHA-256 recorded at export.'
        }
        @{
            Title   = 'A parallel export, checked for a parallel restore'
            Code    = 'Export-Database s3://real-estate-ai-backups/exports/check -Jobs 2 -Overwrite | Import-Database -Database restore-check -Replace -WhatIf'
            Remarks = 'Exports with two workers to a prefix and runs every check of the parallel import (the manifest, each file''s SHA-256, the login, the target) without changing anything. Without -WhatIf, -Jobs 2 (bound from the piped artifact) restores it with two workers, after confirmation.'
        }
    )
    Links       = @('Export-Database', 'Restore-Database')
}
