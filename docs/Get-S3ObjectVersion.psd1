@{
    Synopsis    = 'Lists the versions and delete markers of an S3 key or of every key under a prefix, streaming page by page.'
    Description = @'
Get-S3ObjectVersion is the runbook's "aws s3api list-object-versions --bucket real-estate-ai-assets --prefix path/to/object". It emits one S3Version object per version or delete marker (Bucket, Key, VersionId, IsLatest, IsDeleteMarker, LastModified, Size, ETag, StorageClass), in S3's order: keys ascending, each key's versions newest first (the one S3 marks IsLatest first, then by LastModified), also from S3-compatible servers that list every version of a page before every delete marker. Pages of 1,000 are requested with the key and version-id markers together and written as they arrive, so Select-Object -First 5 stops fetching early and memory stays flat on buckets with millions of versions.

-Deleted keeps only keys whose current version is a delete marker (one delete marker per key): what was deleted and can be restored. Pipe the result into Restore-S3Object to bring the keys back. -Before keeps only versions last modified before a time.

The bucket defaults to the context's assets bucket. The bucket is addressed in its own region, found with GetBucketLocation. -Verbose says where region, credentials and endpoint came from.

Errors: S3BucketNameInvalid and S3KeyInvalid for bad input (nothing is sent), S3Unreachable (connection refused, unknown host, dropped connection; ConnectionError) and S3Timeout (no answer in time; OperationTimeout), S3PagingLoop when S3 answers a truncated page with a next marker it already gave (the listing stops instead of repeating pages forever), and S3's own codes (NoSuchBucket, AccessDenied, ...) as error ids.
'@
    Parameters  = @{
        Bucket      = 'The bucket. Defaults to the context''s AssetsBucket (real-estate-ai-assets).'
        Key         = 'One key: only its versions are listed.'
        Prefix      = 'Lists every key under this prefix (the whole bucket when omitted).'
        Deleted     = 'Only keys whose current version is a delete marker; emits that delete marker.'
        Before      = 'Only versions and delete markers last modified before this time.'
        Region      = 'The AWS region to resolve credentials and endpoint in. The bucket''s own region is looked up and used for its requests.'
        ProfileName = 'The AWS profile (shared credentials/config files). Defaults to the context''s ProfileName, then AWS_PROFILE, then the default credential chain.'
        EndpointUrl = 'An S3 endpoint override (the sandbox, an S3-compatible store). Defaults to the context''s s3 endpoint; path-style addressing is used.'
        AllowInsecureEndpoint = 'Accepts an endpoint override on plain http:// to a host that is not this machine (for this command only). Without it such an endpoint is refused (EndpointInsecure): signed requests and their data would cross the network unencrypted. Plain http to localhost, 127.0.0.0/8 and ::1 needs no switch.'
    }
    Examples    = @(
        @{
            Title   = 'List the versions of one property''s documents'
            Code    = 'Get-S3ObjectVersion -Prefix properties/prop-0003/documents/'
            Remarks = 'Shows every version and delete marker of the documents of one property in the assets bucket.'
        }
        @{
            Title   = 'Find the documents deleted in the last day'
            Code    = 'Get-S3ObjectVersion -Prefix properties/ -Deleted | Where-Object LastModified -gt (Get-Date).AddDays(-1)'
            Remarks = 'Lists the delete markers on top of the keys deleted in the last day: what Restore-S3Object can bring back.'
        }
        @{
            Title   = 'List the versions of a document from before a week ago'
            Code    = 'Get-S3ObjectVersion -Bucket real-estate-ai-assets -Key properties/prop-0003/documents/inspection-report.pdf -Before (Get-Date).AddDays(-7)'
            Remarks = 'The versions of one document that existed a week ago.'
        }
    )
    Links       = @('Restore-S3Object', 'Sync-S3Bucket', 'Test-S3BucketProtection')
}
