@{
    Synopsis    = 'Checks a bucket against the runbook''s S3 backup strategy: versioning, cross-region replication, lifecycle, public access block, encryption.'
    Description = @'
Test-S3BucketProtection turns the runbook's "S3 Backup Strategy" into a check a scheduled script can assert on. For each bucket it returns one S3BucketProtection object with a pass or fail per point and an overall verdict (Passed, FailedChecks):

- Versioning: must be Enabled (Suspended or never enabled fails).
- Replication: at least one enabled replication rule to a bucket in another region (replication within the region is not cross-region and fails); ReplicationDestinations says to which buckets, and the check's detail gives their regions.
- Lifecycle: at least one enabled lifecycle rule (LifecycleRules lists them).
- PublicAccessBlock: all four settings on.
- Encryption: a default encryption rule (EncryptionAlgorithm: AES256 or aws:kms).

Checks lists each point with its detail. A configuration that cannot be read (AccessDenied) fails its point and is also reported as an error with S3's code. A missing bucket is an error (NoSuchBucket); a bad name is S3BucketNameInvalid.
'@
    Parameters  = @{
        Bucket      = 'The bucket(s) to check; accepts pipeline input. Defaults to the context''s AssetsBucket.'
        Region      = 'The AWS region to resolve credentials and endpoint in. The bucket''s own region is looked up and used for its requests.'
        ProfileName = 'The AWS profile (shared credentials/config files). Defaults to the context''s ProfileName, then AWS_PROFILE, then the default credential chain.'
        EndpointUrl = 'An S3 endpoint override (the sandbox, an S3-compatible store). Defaults to the context''s s3 endpoint; path-style addressing is used.'
        AllowInsecureEndpoint = 'Accepts an endpoint override on plain http:// to a host that is not this machine (for this command only). Without it such an endpoint is refused (EndpointInsecure): signed requests and their data would cross the network unencrypted. Plain http to localhost, 127.0.0.0/8 and ::1 needs no switch.'
    }
    Examples    = @(
        @{
            Title   = 'Check the assets bucket'
            Code    = 'Test-S3BucketProtection'
            Remarks = 'Checks the assets bucket of the active context.'
        }
        @{
            Title   = 'Stop a scheduled script when the bucket is not protected'
            Code    = 'if (-not (Test-S3BucketProtection real-estate-ai-assets).Passed) { throw ''assets bucket is not protected'' }'
            Remarks = 'A scheduled script''s gate.'
        }
        @{
            Title   = 'Check several buckets'
            Code    = '''real-estate-ai-assets'', ''real-estate-ai-backups'' | Test-S3BucketProtection | Select-Object Bucket, Passed, FailedChecks'
            Remarks = 'Checks the buckets piped in and shows which checks each failed.'
        }
    )
    Links       = @('Sync-S3Bucket', 'Get-S3ObjectVersion')
}
