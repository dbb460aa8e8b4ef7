@{
    Synopsis    = 'Shows RDS DB instances: status, endpoint, class, network settings, backup policy and restorable window.'
    Description = @'
Get-DbInstance is the runbooks' "aws rds describe-db-instances", the first step of "Database Connection Issues". Without ids it lists every instance, page by page, each page asked for only when the pipeline has taken the last one (Get-DbInstance | Select-Object -First 1 makes one request); ids may contain wildcards. A missing instance is AWS's DBInstanceNotFound (non-terminating). The DbInstance output has Address and Port, which bind by property name into Test-DbConnection.

The backup policy is on each instance: BackupRetentionPeriod (days; 0 means no automated backups and no point-in-time restore), PreferredBackupWindow (UTC), StorageEncrypted and KmsKeyId. The restorable window a point-in-time restore (Restore-Database -ToTime) must fall in runs from EarliestRestorableTime to LatestRestorableTime: the latest comes with the instance (typically five minutes ago), the earliest from its automated backups (DescribeDBInstanceAutomatedBackups, one request per page of instances); a service that does not answer that request leaves EarliestRestorableTime empty, without an error. The list view shows the window.
'@
    Parameters  = @{
        DbInstanceId         = 'Instance ids, wildcards allowed. Without it, all instances. Binds by property name (DbInstanceId, DBInstanceIdentifier).'
        PageSize             = 'Instances per DescribeDBInstances page, 20 to 100 (default 100).'
        Region               = 'The AWS region. Defaults to the context''s Region, then AWS_REGION/AWS_DEFAULT_REGION, then the profile''s region. -Verbose says which was used.'
        ProfileName          = 'The AWS profile (shared config/credentials files; SSO, assume-role and web identity profiles work). Defaults to the context''s ProfileName, then AWS_PROFILE, then the SDK''s default credential chain.'
        EndpointUrl          = 'An endpoint URL that replaces AWS''s own (the sandbox, a VPC endpoint). Defaults to the context''s endpoint for the service, then AWS_ENDPOINT_URL_<SERVICE>/AWS_ENDPOINT_URL.'
        AllowInsecureEndpoint = 'Accepts an endpoint override on plain http:// to a host that is not this machine (for this command only). Without it such an endpoint is refused (EndpointInsecure): signed requests and their data would cross the network unencrypted. Plain http to localhost, 127.0.0.0/8 and ::1 needs no switch.'
    }
    Examples    = @(
        @{
            Title   = 'Show the platform database''s instance'
            Code    = 'Get-DbInstance real-estate-ai-db'
            Remarks = 'Status and endpoint of the platform database.'
        }
        @{
            Title   = 'Test a login on an instance''s endpoint'
            Code    = 'Get-DbInstance real-estate-ai-db | Test-DbConnection'
            Remarks = 'Checks that the instance''s endpoint accepts a login (Address, Port and DbName bind by property name).'
        }
        @{
            Title   = 'Show the backup policy and the restorable window'
            Code    = 'Get-DbInstance real-estate-ai-db | Format-List DbInstanceId, BackupRetentionPeriod, PreferredBackupWindow, StorageEncrypted, EarliestRestorableTime, LatestRestorableTime'
            Remarks = 'How long automated backups are kept, when they run, whether the storage is encrypted, and the times a point-in-time restore can reach.'
        }
    )
    Links       = @('Wait-DbInstance', 'Restore-Database', 'Test-DbConnection')
}
