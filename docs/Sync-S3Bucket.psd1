@{
    Synopsis    = 'Copies what is missing or different from one bucket (or prefix) to another, server-side and in parallel, like aws s3 sync.'
    Description = @'
Sync-S3Bucket is the runbook's disaster-recovery step "aws s3 sync s3://real-estate-ai-assets-dr/ s3://new-primary-bucket/ --source-region us-west-2 --region us-east-1". It lists both sides first (the plan, reads only), then asks, then copies each source object that the destination lacks or that differs, with server-side copies (CopyObject; a multipart copy with UploadPartCopy for objects over 64 MiB), so no data passes through the machine running it.

-Compare SizeAndTime (the default) copies when the sizes differ or the source is newer, as aws s3 sync does. -Compare Checksum compares the stored checksums (or plain MD5 ETags) of same-size objects, which catches the known blind spot of same-size changes. -Delete also deletes destination objects that the source does not have. Before it deletes anything, the question (and -WhatIf, and the journal entry) says how many: "Delete 3,211 objects under s3://dst/prefix/ that are not in the source (of 9,000 there), and copy 12 objects missing or older than in s3://src/". A deletion is refused, with nothing copied or deleted, when the source has no objects (SyncSourceEmpty: a wrong prefix or region would otherwise empty the destination) or when it would delete more than -MaxDeletePercent (default 50) of the destination's objects (SyncDeleteLimitExceeded). -AllowMassDelete allows both on purpose; -Force never does (it only skips the prompt).

Copies run in parallel (-ThrottleLimit, default 32, well above the aws CLI's 10), with progress by objects and bytes. The result is one summary: Copied, Skipped, Deleted, Failed, Bytes and Duration. Each copy is atomic, so an interrupted sync (Ctrl+C, a killed process) loses nothing, and running it again copies only what is still missing. After Ctrl+C, the journal entry (OperationStopped) and a warning on the host say how many objects were copied and deleted before the stop, naming the first 20 of each, and which were in flight (S3 may or may not have applied them).

The run asks for confirmation (ConfirmImpact High, so by default; -Force or -Confirm:$false skips the prompt, -WhatIf lists and changes nothing) and is recorded in the journal, with the counts. Each bucket is addressed in its own region: -SourceRegion and -DestinationRegion (or -Region) when given, else the region found with GetBucketLocation.

Errors: S3BucketNameInvalid and S3KeyInvalid for bad locations, S3SyncDestinationInsideSource when the destination overlaps the source (nothing is copied), SyncSourceEmpty and SyncDeleteLimitExceeded (nothing is copied or deleted), S3Unreachable (connection refused, unknown host, dropped connection) and S3Timeout (no answer in time), S3PagingLoop when S3 repeats a paging marker (the listing stops; nothing is changed), and S3's own codes (NoSuchBucket, AccessDenied, ...). An object that fails is counted in Failed and reported as a non-terminating error; the others go on.
'@
    Parameters  = @{
        Source            = 'The source: s3://bucket or s3://bucket/prefix.'
        Destination       = 'The destination: s3://bucket or s3://bucket/prefix. Must not overlap the source.'
        SourceRegion      = 'The source bucket''s region (like --source-region). Looked up when omitted.'
        DestinationRegion = 'The destination bucket''s region (like --region for aws s3 sync). Defaults to -Region when given, else looked up.'
        Compare           = 'SizeAndTime (default, like aws s3 sync) or Checksum (same-size objects are compared by stored checksum).'
        Delete            = 'Deletes destination objects that the source does not have. Refused when the source is empty or more than -MaxDeletePercent of the destination would go, unless -AllowMassDelete.'
        MaxDeletePercent  = 'With -Delete: the largest share of the destination''s objects, in percent (0 to 100), that a sync may delete. The default is 50.'
        AllowMassDelete   = 'With -Delete: deletes even when the source is empty or more than -MaxDeletePercent of the destination would go. A decision of its own: -Force does not imply it.'
        ThrottleLimit     = 'How many copies run at once. The default is 32.'
        Force             = 'Skips the confirmation prompt (never -WhatIf, and never the -Delete limits).'
        Region            = 'The AWS region to resolve credentials and endpoint in; also the destination region when -DestinationRegion is not given.'
        ProfileName       = 'The AWS profile (shared credentials/config files). Defaults to the context''s ProfileName, then AWS_PROFILE, then the default credential chain.'
        EndpointUrl       = 'An S3 endpoint override (the sandbox, an S3-compatible store). Defaults to the context''s s3 endpoint; path-style addressing is used.'
        AllowInsecureEndpoint = 'Accepts an endpoint override on plain http:// to a host that is not this machine (for this command only). Without it such an endpoint is refused (EndpointInsecure): signed requests and their data would cross the network unencrypted. Plain http to localhost, 127.0.0.0/8 and ::1 needs no switch.'
    }
    Examples    = @(
        @{
            Code    = 'Sync-S3Bucket s3://real-estate-ai-assets-dr/ s3://new-primary-bucket/ -SourceRegion us-west-2 -DestinationRegion us-east-1 -Force'
            Remarks = 'The runbook''s failover: fills a new primary bucket from the DR replica.'
        }
        @{
            Code    = 'Sync-S3Bucket s3://real-estate-ai-assets/properties/ s3://real-estate-ai-backups/assets-copy/ -Compare Checksum -Delete -WhatIf'
            Remarks = 'Shows what a checksum-exact mirror with deletion would do, with how many objects it would copy and delete, changing nothing.'
        }
        @{
            Code    = 'Sync-S3Bucket s3://real-estate-ai-assets/properties/ s3://real-estate-ai-backups/assets-copy/ -Delete -MaxDeletePercent 90 -WhatIf'
            Remarks = 'Allows a mirror to delete up to 90% of the destination (the default limit is 50%); -WhatIf shows the count first.'
        }
    )
    Links       = @('Test-S3BucketProtection', 'Restore-S3Object', 'Get-OpsJournal')
}
