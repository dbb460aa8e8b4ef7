@{
    Synopsis    = 'Copies what is missing or different from one bucket (or prefix) to another, server-side and in parallel, like aws s3 sync.'
    Description = @'
Sync-S3Bucket is the runbook's disaster-recovery step "aws s3 sync s3://real-estate-ai-assets-dr/ s3://new-primary-bucket/ --source-region us-west-2 --region us-east-1". It lists both sides first (the plan, reads only), then asks, then copies each source object that the destination lacks or that differs, with server-side copies (CopyObject; a multipart copy with UploadPartCopy for objects over 64 MiB), so no data passes through the machine running it.

-Compare SizeAndTime (the default) copies when the sizes differ or the source is newer, as aws s3 sync does. -Compare Checksum compares the stored checksums (or plain MD5 ETags) of same-size objects, which catches the known blind spot of same-size changes. -Delete also deletes destination objects that the source does not have. Before it deletes anything, the question (and -WhatIf, and the journal entry) says how many: "Delete 3,211 objects under s3://dst/prefix/ that are not in the source (of 9,000 there), and copy 12 objects missing or older than in s3://src/". A deletion is refused, with nothing copied or deleted, when the source has no objects (SyncSourceEmpty: a wrong prefix or region would otherwise empty the destination) or when it would delete more than -MaxDeletePercent (default 50) of the destination's objects (SyncDeleteLimitExceeded). -AllowMassDelete allows both on purpose; -Force never does (it only skips the prompt).

Copies run in parallel (-ThrottleLimit, default 32, well above the aws CLI's 10), with progress by objects and bytes. The result is one summary: Copied, Skipped, Deleted, Failed, Bytes and Duration. Each copy is atomic, so an interrupted sync (Ctrl+C, a killed process) loses nothing, and running it again copies only what is still missing. After Ctrl+C, the journal entry (OperationStopped) and a warning on the host say how many objects were copied and deleted before the stop, naming the first 20 of each, and which were in flight (S3 may or may not have applied them).

-Source and -Destination take s3://bucket/ or s3://bucket/prefix/ URIs. Local folders and other URLs are not supported (the copy runs inside S3; for a local folder use aws s3 sync): such a location is refused with S3LocationInvalid, saying what was given and what is accepted. A bucket that does not exist is NoSuchBucket, and the error says which one: "The destination bucket 'new-primary-bucket' (-Destination s3://new-primary-bucket/) does not exist. Nothing was copied."

-CreateDestination is for the failover, where the new primary does not exist yet. When the destination bucket does not exist, it is created first, in -DestinationRegion (or -Region, else the context's region), and given the source bucket's versioning, default encryption, public access block and lifecycle rules, each copied as the source has it. Replication is not copied (its rules name the old primary's own destination and role), nor are bucket policies, tags or ACLs: add them before traffic moves (Test-S3BucketProtection says what is still missing). A KMS key that belongs to another region than the new bucket's is copied as it is, with a warning, since S3 uses a KMS key only in its own region. Making the bucket is a change of its own: asked for, shown by -WhatIf (which creates nothing and still shows the sync's plan, the destination counted as empty) and journaled as its own entry ("Create bucket 'new-primary-bucket' in us-east-1 like s3://real-estate-ai-assets-dr: versioning Enabled, ..."), before the sync's. When the bucket already exists and holds nothing (no object, version or delete marker; for example made by hand, or left by an earlier run that stopped before copying), it is given the source's settings the same way. When it exists and holds anything, -CreateDestination is refused with S3DestinationBucketNotEmpty and nothing changes: its settings are not overwritten; run the command without -CreateDestination to sync into it as it is.

The run asks for confirmation (ConfirmImpact High, so by default; -Force or -Confirm:$false skips the prompt, -WhatIf lists and changes nothing) and is recorded in the journal, with the counts. Each bucket is addressed in its own region: -SourceRegion and -DestinationRegion (or -Region) when given, else the region found with GetBucketLocation.

Errors: S3LocationInvalid for a location that is not an s3:// URI (a local folder, another URL), S3BucketNameInvalid and S3KeyInvalid for bad locations, NoSuchBucket naming the missing bucket and its side (-Source or -Destination), S3DestinationBucketNotEmpty (-CreateDestination on a bucket that holds objects; nothing changes), S3SyncDestinationInsideSource when the destination overlaps the source (nothing is copied), SyncSourceEmpty and SyncDeleteLimitExceeded (nothing is copied or deleted), S3Unreachable (connection refused, unknown host, dropped connection) and S3Timeout (no answer in time), S3PagingLoop when S3 repeats a paging marker (the listing stops; nothing is changed), and S3's own codes (NoSuchBucket, AccessDenied, ...). An object that fails is counted in Failed and reported as a non-terminating error; the others go on.
'@
    Parameters  = @{
        Source            = 'The source: an s3://bucket/ or s3://bucket/prefix/ URI. Local folders are not supported.'
        Destination       = 'The destination: an s3://bucket/ or s3://bucket/prefix/ URI. Must not overlap the source. Local folders are not supported.'
        CreateDestination = 'Creates the destination bucket when it does not exist, in -DestinationRegion (or -Region, else the context''s region), with the source''s versioning, default encryption, public access block and lifecycle rules; asked and journaled on its own before the sync. An existing bucket that holds nothing is given those settings; one that holds anything is refused (S3DestinationBucketNotEmpty).'
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
            Title   = 'Fail over to a new primary bucket made like the DR replica'
            Code    = 'Sync-S3Bucket s3://real-estate-ai-assets-dr/ s3://new-primary-bucket/ -SourceRegion us-west-2 -DestinationRegion us-east-1 -CreateDestination -Force'
            Remarks = 'The runbook''s failover: creates new-primary-bucket in us-east-1 with the replica''s versioning, encryption, public access block and lifecycle rules, then fills it from the replica. Both steps are journaled.'
        }
        @{
            Title   = 'Preview a checksum-exact mirror with deletion'
            Code    = 'Sync-S3Bucket s3://real-estate-ai-assets/properties/ s3://real-estate-ai-backups/assets-copy/ -Compare Checksum -Delete -WhatIf'
            Remarks = 'Shows what a checksum-exact mirror with deletion would do, with how many objects it would copy and delete, changing nothing.'
        }
        @{
            Title   = 'Allow a mirror to delete more of the destination'
            Code    = 'Sync-S3Bucket s3://real-estate-ai-assets/properties/ s3://real-estate-ai-backups/assets-copy/ -Delete -MaxDeletePercent 90 -WhatIf'
            Remarks = 'Allows a mirror to delete up to 90% of the destination (the default limit is 50%); -WhatIf shows the count first.'
        }
    )
    Links       = @('Test-S3BucketProtection', 'Restore-S3Object', 'Get-OpsJournal')
}
