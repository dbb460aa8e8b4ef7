@{
    Synopsis    = 'Checks a DB instance''s backups against the runbook''s policy: retention, window, transaction logs, copy-tags, deletion protection, encryption, and the age of the newest snapshots and export.'
    Description = @'
Test-DbBackupPolicy turns the Backup and Recovery runbook's "Automated Backups" into a check a scheduled job can assert on. For each instance it returns one DbBackupPolicyReport with a verdict per point (Checks) and one overall (Verdict: Pass, Warning or Fail; Passed; FailedChecks):

- Retention: automated backups kept at least the policy's days (14). 0 days means automated backups, and so point-in-time recovery, are off.
- BackupWindow: the instance's PreferredBackupWindow lies inside the policy's window (02:00-03:00 UTC).
- TransactionLogs: the instance reports a LatestRestorableTime no older than 15 minutes: its transaction logs reach the backups ("full snapshot + transaction logs"), so a point-in-time restore (Restore-Database -ToTime) is possible. The detail gives the restorable window.
- CopyTagsToSnapshot, DeletionProtection, Encryption: each must be on (the policy can waive one: Set-OpsContext -BackupRequireEncryption $false; a waived point is Info).
- NewestAutomatedSnapshot: the newest available automated snapshot is at most 26 hours old (a day and the window).
- NewestManualSnapshot and NewestExport: their ages are reported (Info) unless the context limits them (-BackupMaxManualSnapshotAgeDays, -BackupMaxExportAgeDays). An export is an object whose key ends in .dump, or a prefix whose manifest.json Export-Database -Jobs wrote last, in the context's BackupsBucket.

A point whose source cannot be read (an S3 listing refused, say) is Unknown with its ErrorId and makes the verdict Warning; the other points are still checked. A missing instance is an error (DBInstanceNotFound) and the next instance is checked. Ages are measured by this machine's clock; a time ahead of it reads as age 0.

Each point's expected value comes from this run's parameter, else the active context (Set-OpsContext -BackupWindow, -BackupRetentionDays, -BackupRequireCopyTags, -BackupRequireDeletionProtection, -BackupRequireEncryption, -BackupMaxSnapshotAgeHours, -BackupMaxManualSnapshotAgeDays, -BackupMaxExportAgeDays), else the runbook's value; -Verbose says which. With -Quiet the command writes only $true (every instance passed) or $false.
'@
    Parameters  = @{
        DbInstanceId = 'The instance(s) to check; accepts pipeline input (Get-DbInstance objects too). Defaults to the context''s DbInstanceId.'
        BackupsBucket = 'The bucket whose newest export is aged. Defaults to the context''s BackupsBucket; when neither is set the NewestExport point says it was not checked.'
        ExportPrefix = 'Only exports under this key prefix count (for a bucket shared by several databases).'
        BackupWindow = 'The window, hh:mm-hh:mm UTC, the instance''s backup window must lie in, for this run. Defaults to the context''s BackupWindow, then the runbook''s 02:00-03:00.'
        RetentionDays = 'The fewest days (1 to 35) automated backups must be kept, for this run. Defaults to the context''s BackupRetentionDays, then the runbook''s 14.'
        Quiet = 'Writes only $true when every instance passed, else $false (a failure to read an instance is $false too).'
        Region = 'The AWS region. Defaults to the context''s Region, then AWS_REGION, then the profile''s region.'
        ProfileName = 'The AWS profile (shared credentials/config files). Defaults to the context''s ProfileName, then AWS_PROFILE, then the default credential chain.'
        EndpointUrl = 'An endpoint override for RDS and S3 (the sandbox). Defaults to the context''s rds and s3 endpoints.'
        AllowInsecureEndpoint = 'Accepts an endpoint override on plain http:// to a host that is not this machine (for this command only). Without it such an endpoint is refused (EndpointInsecure). Plain http to localhost, 127.0.0.0/8 and ::1 needs no switch.'
    }
    Examples    = @(
        @{
            Title   = 'Check the platform database'
            Code    = 'Test-DbBackupPolicy'
            Remarks = 'Checks the context''s instance (real-estate-ai-db) and shows one line: the verdict, retention, window, the newest automated snapshot''s and export''s ages, and the points that did not pass.'
        }
        @{
            Title   = 'See every point'
            Code    = '(Test-DbBackupPolicy real-estate-ai-db).Checks'
            Remarks = 'One line per point: what the policy expects, what the instance has, and why.'
        }
        @{
            Title   = 'Gate a scheduled job'
            Code    = 'if (-not (Test-DbBackupPolicy -Quiet)) { Write-Warning ''The database''''s backups do not meet the policy'' }'
            Remarks = 'A nightly job''s check: $false when any point fails or cannot be read.'
        }
        @{
            Title   = 'Check against a stricter retention for this run'
            Code    = 'Test-DbBackupPolicy -RetentionDays 30 | Select-Object DbInstanceId, Verdict, FailedChecks'
            Remarks = 'The instance keeps 14 days, so Retention fails against 30.'
        }
    )
    Links       = @('Get-DbInstance', 'Get-DbSnapshot', 'Restore-Database', 'Test-DbBackup', 'Set-OpsContext')
}
