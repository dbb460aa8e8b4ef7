@{
    Synopsis    = 'Restores deleted S3 objects, makes an earlier version current, or returns a whole prefix to a point in time.'
    Description = @'
Restore-S3Object is the runbook's "Restore Deleted Object" section. It works on one key (-Key), every key under a prefix (-Prefix) or the versions piped from Get-S3ObjectVersion, and writes one S3RestoreResult per key: Status Restored, AlreadyCurrent, NotFound or Failed, the Action taken (RemovedDeleteMarker, CopiedVersion, DeletedNewer), the version now current and a Reason.

- By default a deleted key is restored by removing its delete marker(s). That copies nothing and the previous version becomes current again. Under a prefix the markers are removed with DeleteObjects, up to 1,000 per request; only deleted keys are reported.
- -VersionId makes that version current by a server-side copy onto the key (the runbook's copy-object with ?versionId=), which keeps the full history.
- -AsOf returns every key (under the prefix, or the one key) to its newest version at or before that time: a point-in-time restore of a folder. Keys that did not exist then are left alone and reported NotFound, unless -RemoveNewer is given, which deletes them (a delete marker, so history stays).
- Piped delete markers are undeleted; piped versions become current.

Which version of a key is current, and which came before it, is decided by what S3 says of each entry (IsLatest, then LastModified), never by the order of the listing: S3 interleaves versions and delete markers newest first, while some S3-compatible servers list every version before every delete marker; the result is the same.
A bucket whose versioning is Suspended is refused (S3VersioningSuspended) before anything changes: there, every write (a copy, a delete marker) gets the version id "null" and replaces the key's "null" version, which S3 keeps only once and is often the only copy of what was written while versioning was suspended. Enable versioning again first; the "null" version then stays in the history.

Work runs with bounded parallelism (-ThrottleLimit), with progress. Each run asks for confirmation (ConfirmImpact High; -Force skips the prompt, -WhatIf changes nothing) and is recorded in the journal. After Ctrl+C, the journal entry (OperationStopped) and a warning on the host say which keys were restored before the stop (the first 20 of each kind, with counts) and which were in flight.

Errors, with nothing changed: S3BucketNameInvalid, S3KeyInvalid, S3BucketNotVersioned (the bucket never had versioning, so there is nothing to restore from), S3VersioningSuspended (versioning is suspended: a restore would overwrite the "null" version), S3VersionNotFound (the key has no such version), S3VersionIsDeleteMarker, S3RestoreModeConflict, S3Unreachable and S3Timeout (the endpoint cannot be reached or does not answer), S3PagingLoop (S3 repeated a paging marker), and S3's own codes such as AccessDenied and NoSuchBucket. A key that fails while others succeed gets a Failed result and a non-terminating error.
'@
    Parameters  = @{
        Bucket        = 'The bucket. Defaults to the context''s AssetsBucket (real-estate-ai-assets).'
        Key           = 'The key to restore.'
        Prefix        = 'Restores every key under this prefix ("" for the whole bucket).'
        VersionId     = 'With -Key: the version to make current, by server-side copy.'
        AsOf          = 'Returns the key(s) to the newest version at or before this time.'
        RemoveNewer   = 'With -AsOf: deletes keys that did not exist at that time (adds a delete marker).'
        InputObject   = 'S3Version objects from Get-S3ObjectVersion: delete markers are undeleted, versions become current.'
        ThrottleLimit = 'How many S3 requests run at once. The default is 16.'
        Force         = 'Skips the confirmation prompt (never -WhatIf).'
        Region        = 'The AWS region to resolve credentials and endpoint in. The bucket''s own region is looked up and used for its requests.'
        ProfileName   = 'The AWS profile (shared credentials/config files). Defaults to the context''s ProfileName, then AWS_PROFILE, then the default credential chain.'
        EndpointUrl   = 'An S3 endpoint override (the sandbox, an S3-compatible store). Defaults to the context''s s3 endpoint; path-style addressing is used.'
        AllowInsecureEndpoint = 'Accepts an endpoint override on plain http:// to a host that is not this machine (for this command only). Without it such an endpoint is refused (EndpointInsecure): signed requests and their data would cross the network unencrypted. Plain http to localhost, 127.0.0.0/8 and ::1 needs no switch.'
    }
    Examples    = @(
        @{
            Title   = 'Undelete a document'
            Code    = 'Restore-S3Object -Key properties/prop-0003/documents/inspection-report.pdf'
            Remarks = 'Brings back a deleted document by removing its delete marker.'
        }
        @{
            Title   = 'Make an earlier version current'
            Code    = @'
$previous = Get-S3ObjectVersion -Key properties/prop-0001/images/front.jpg | Where-Object { -not $_.IsLatest } | Select-Object -First 1
Restore-S3Object -Key $previous.Key -VersionId $previous.VersionId
'@
            Remarks = 'Makes the version before the current one current again, by copying it onto the key; the history is kept.'
        }
        @{
            Title   = 'Restore everything deleted in the last day'
            Code    = 'Get-S3ObjectVersion -Prefix properties/ -Deleted | Where-Object LastModified -gt (Get-Date).AddDays(-1) | Restore-S3Object -Force'
            Remarks = 'Restores everything deleted under properties/ in the last day, without a prompt.'
        }
        @{
            Title   = 'Preview a point-in-time restore of a folder'
            Code    = 'Restore-S3Object -Prefix properties/prop-0007/ -AsOf (Get-Date).AddHours(-12) -RemoveNewer -WhatIf'
            Remarks = 'Shows what a point-in-time restore of one property folder to twelve hours ago would do.'
        }
    )
    Links       = @('Get-S3ObjectVersion', 'Sync-S3Bucket', 'Get-OpsJournal')
}
