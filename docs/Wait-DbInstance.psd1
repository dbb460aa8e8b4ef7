@{
    Synopsis    = 'Waits until an RDS DB instance is available, with progress and a timeout.'
    Description = @'
Wait-DbInstance polls DescribeDBInstances through the module's one waiter until the instance is available, showing its status (creating, backing-up, modifying, ...) and elapsed time. A failed instance (failed, incompatible-restore, incompatible-parameters, storage-full, ...) is the error DbInstanceFailed; the timeout is DbInstanceWaitTimeout. Ctrl+C stops waiting at once; the instance's own work goes on at AWS, and a warning and the journal say so.
'@
    Parameters  = @{
        DbInstanceId         = 'The instance to wait for. Binds by property name (DbInstanceId, DBInstanceIdentifier), e.g. from Restore-Database.'
        Timeout              = 'How long to wait: seconds, or 30m, 2h. The default is 3 hours (restored instances can stay in backing-up for hours).'
        Region               = 'The AWS region. Defaults to the context''s Region, then AWS_REGION/AWS_DEFAULT_REGION, then the profile''s region. -Verbose says which was used.'
        ProfileName          = 'The AWS profile (shared config/credentials files; SSO, assume-role and web identity profiles work). Defaults to the context''s ProfileName, then AWS_PROFILE, then the SDK''s default credential chain.'
        EndpointUrl          = 'An endpoint URL that replaces AWS''s own (the sandbox, a VPC endpoint). Defaults to the context''s endpoint for the service, then AWS_ENDPOINT_URL_<SERVICE>/AWS_ENDPOINT_URL.'
        AllowInsecureEndpoint = 'Accepts an endpoint override on plain http:// to a host that is not this machine (for this command only). Without it such an endpoint is refused (EndpointInsecure): signed requests and their data would cross the network unencrypted. Plain http to localhost, 127.0.0.0/8 and ::1 needs no switch.'
    }
    Examples    = @(
        @{
            Title   = 'Restore, then wait through the pipeline'
            Code    = 'Get-DbSnapshot -Latest | Restore-Database -TargetInstanceId real-estate-ai-db-waited -Force | Wait-DbInstance -Timeout 4h'
            Remarks = 'Restores the latest snapshot without a prompt and waits, up to 4 hours, through the pipeline.'
        }
        @{
            Title   = 'Wait for an instance by name'
            Code    = 'Wait-DbInstance real-estate-ai-db -Timeout 30m'
            Remarks = 'Waits for an instance by name (e.g. one a restore in another session makes); returns it at once when it is already available.'
        }
    )
    Links       = @('Restore-Database', 'Get-DbInstance')
}
