@{
    Synopsis    = 'Exports a database with pg_dump -Fc to a file or straight to S3, with size and SHA-256.'
    Description = @'
Export-Database is the runbook's optional long-term export ("pg_dump -F c" then "aws s3 cp"), in one step. pg_dump writes the custom format to its output, which is streamed as it comes: into a file (written as name.partial and renamed when complete), or to s3://bucket/key as a multipart upload with no temporary file, several parts in flight while pg_dump goes on. The S3 object is tagged with its source and time, and its SHA-256 is recorded as object metadata (x-amz-meta-sha256) so that Import-Database checks it without being told: S3 takes metadata only when an object is written and the hash is known only at the end, so the completed object is copied onto itself (server-side, conditioned on its ETag) with the hash added; in a versioned bucket the upload stays as the previous version. A dump file is created 0600 (owner only) from the start; its folder must exist and is left as it is.

Before anything is written it logs in (DbAuthenticationFailed, DbDatabaseNotFound, DbConnectionRefused, ...), finds pg_dump (PgDumpNotFound) and checks that its major version is at least the server's (PgDumpTooOld: pg_dump cannot dump a newer server). Connection settings reach pg_dump through its environment and the password through a password file; nothing secret is on its command line. A database host that is not this machine is reached with sslmode verify-full against the context's DbSslRootCert (DbSslRootCertMissing without one); an operator's own PGSSLMODE/PGSSLROOTCERT are never overridden. An existing file or object is an error (BackupFileExists, BackupObjectExists) unless -Overwrite, found before pg_dump starts, so a refused export never connects pg_dump; -Force only skips the confirmation prompt. A failure or Ctrl+C leaves no partial file and aborts the upload.

-Jobs N (2 or more) is a parallel export straight to S3, for databases where one pg_dump compressing on one core is the bottleneck. The destination is a prefix (s3://bucket/prefix). One transaction exports its snapshot (pg_export_snapshot); N workers share it (SET TRANSACTION SNAPSHOT), so the whole export is consistent as of one moment. The workers cut tables into chunks of blocks (so one large table is split too) and stream each chunk as COPY (FORMAT binary), gzip'd at -CompressionLevel on the worker, into its own multipart upload as it is read: no local copy. The schema is pg_dump -Fc --section=pre-data and --section=post-data with the same --snapshot. manifest.json is written last: format and version, source, server and pg_dump versions, snapshot and its time, compression, every file's key, size and SHA-256, each table's exact row count in the snapshot (counted as the rows are written) and the sequences' values. A failure or Ctrl+C aborts the open uploads, removes the files already written and writes no manifest, so an incomplete prefix is never taken for an export; a prefix that already has a manifest is BackupObjectExists unless -Overwrite (which deletes the old manifest first). With -Jobs, -CompressionLevel is zlib's 0, 1, 6 or 9 (ExportCompressionUnsupported otherwise) and the destination must be S3 (ExportJobsNeedS3). Import-Database -Jobs restores it.

A single-file export also records each table's exact row count, taken in pg_dump's own snapshot (pg_dump --snapshot of a transaction that counts the tables meanwhile), in a sidecar manifest beside it: <key>.manifest.json in S3, <file>.manifest.json (0600) for a file.

The output is a BackupArtifact (location, size, SHA-256, duration, server and pg_dump versions, tables), which Import-Database accepts from the pipeline.
'@
    Parameters  = @{
        CompressionLevel = 'pg_dump''s gzip level for the custom-format archive, from 0 (no compression, fastest) to 9 (smallest, slowest). The default is 1, not pg_dump''s own 6: pg_dump compresses on one core, and on the platform database level 1 took about half the time for about 5% more bytes (bench/Rds.Bench.ps1 prints both). Use 6 or 9 for archives kept long, where size matters more than time.'
        HostName             = 'The database server. Defaults to the context''s DbHost. Binds by property name (HostName, Address, DbHost), e.g. from Get-DbInstance.'
        Port                 = 'The server port. Defaults to the context''s DbPort.'
        Credential           = 'User name and password. Without it, the context''s DbUser and password file (DbPassFile) are used. The password reaches pg_dump/pg_restore through a password file of its own, never the command line.'
        Destination          = 'A local file path, or s3://bucket/key (e.g. s3://real-estate-ai-backups/backup-20261128.dump). Any other URL (http://, https://, ...) is BackupLocationInvalid.'
        Database             = 'The database to dump. Defaults to the context''s DbName. Binds by property name (Database, DbName).'
        DbInstanceId         = 'The instance named as the source in the S3 object''s tags. Defaults to the context''s DbInstanceId.'
        PgDumpPath           = 'The pg_dump to use. By default the newest under /usr/lib/postgresql/N/bin, REALESTATEOPS_PG_BIN, or pg_dump on PATH.'
        Jobs                 = 'Workers of a parallel export: 1 (the default) writes one pg_dump -Fc archive; 2 or more write a prefix of files straight to S3 (s3://bucket/prefix): the schema by pg_dump, the rows in chunks by that many workers sharing one snapshot, then manifest.json last with each file''s SHA-256 and each table''s row count. -CompressionLevel must then be 0, 1, 6 or 9. On the platform database -Jobs 2 at gzip 6 takes about half the time of pg_dump -Fc plus aws s3 cp (bench/Rds.Bench.ps1).'
        Overwrite            = 'Replaces an existing file or object. Without it, an existing one is an error (BackupFileExists, BackupObjectExists) and nothing is written.'
        Force                = 'Skips the confirmation prompt. It never overrides -WhatIf and never replaces an existing file or object (that is -Overwrite).'
        Region               = 'The AWS region. Defaults to the context''s Region, then AWS_REGION/AWS_DEFAULT_REGION, then the profile''s region. -Verbose says which was used.'
        ProfileName          = 'The AWS profile (shared config/credentials files; SSO, assume-role and web identity profiles work). Defaults to the context''s ProfileName, then AWS_PROFILE, then the SDK''s default credential chain.'
        EndpointUrl          = 'An endpoint URL that replaces AWS''s own (the sandbox, a VPC endpoint). Defaults to the context''s endpoint for the service, then AWS_ENDPOINT_URL_<SERVICE>/AWS_ENDPOINT_URL.'
        AllowInsecureEndpoint = 'Accepts an endpoint override on plain http:// to a host that is not this machine (for this command only). Without it such an endpoint is refused (EndpointInsecure): signed requests and their data would cross the network unencrypted. Plain http to localhost, 127.0.0.0/8 and ::1 needs no switch.'
    }
    Examples    = @(
        @{
            Title   = 'Export to a local file'
            Code    = 'Export-Database -Destination ./backup-$(Get-Date -Format yyyyMMdd).dump'
            Remarks = 'Dumps the context''s database to a local file.'
        }
        @{
            Title   = 'Export straight to S3'
            Code    = 'Export-Database s3://real-estate-ai-backups/backup-$(Get-Date -Format yyyyMMdd).dump'
            Remarks = 'Streams the dump straight into the backups bucket, tagged with source and time. Any other URL (http://, https://) is BackupLocationInvalid: a destination is a local path or s3://bucket/key.'
        }
        @{
            Title   = 'A parallel export to an S3 prefix'
            Code    = 'Export-Database s3://real-estate-ai-backups/exports/platform-$(Get-Date -Format yyyyMMdd) -Jobs 2 -CompressionLevel 6 -Overwrite | Select-Object Location, Jobs, SizeMB, TableCount, RowCounts'
            Remarks = 'Two workers in one snapshot, each chunk gzip''d (level 6) straight into S3, then manifest.json with the files'' SHA-256 and the row counts; -Overwrite replaces an export already under that prefix.'
        }
        @{
            Title   = 'Check that a dump restores'
            Code    = 'Get-DbSnapshot -Latest | Restore-Database -TargetInstanceId restore-check -Force -Wait | Out-Null; Export-Database ./check.dump -Overwrite | Import-Database -Database restore-check -Replace -WhatIf'
            Remarks = 'A restore test: a scratch instance restore-check (restored from the latest snapshot; its database is restore-check, owned by the master user as on RDS), a dump (replacing the file an earlier check left, -Overwrite), and everything Import-Database checks before it changes anything (archive, SHA-256, login, target). Without -WhatIf the dump replaces what restore-check holds (-Replace), after confirmation.'
        }
    )
    Links       = @('Import-Database', 'New-DbSnapshot')
}
