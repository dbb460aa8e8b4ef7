using System.Buffers;
using System.Net;
using Amazon.S3;
using Amazon.S3.Model;
using RealEstateOps.Engine.Aws;
using RealEstateOps.Engine.Backup;
using RealEstateOps.Engine.Common;

namespace RealEstateOps.Engine.S3;

/// <summary>Backup archives in S3: streamed multipart uploads (no temporary file), size checks, streamed reads.</summary>
public sealed class S3ArtifactStore : IArtifactStore, IDisposable
{
    private readonly IAmazonS3 _s3;
    private readonly bool _ownsClient;

    public S3ArtifactStore(IAmazonS3 s3, bool ownsClient = false)
    {
        _s3 = s3;
        _ownsClient = ownsClient;
    }

    /// <summary>A store on its own S3 client for a resolved target (path-style for custom endpoints, our retries only).</summary>
    public static S3ArtifactStore Create(AwsTarget target, Action<HttpRequestMessage, int, string, TimeSpan>? onRetry = null)
    {
        var client = S3ClientFactory.Create(target, onRetry: onRetry);
        // Parts are SigV4-signed with their SHA-256 and the whole archive's SHA-256 is reported: no extra CRC pass per part.
        ((AmazonS3Config)client.Config).RequestChecksumCalculation = Amazon.Runtime.RequestChecksumCalculation.WHEN_REQUIRED;
        return new S3ArtifactStore(client, ownsClient: true);
    }

    public void Dispose()
    {
        if (_ownsClient) _s3.Dispose();
    }

    /// <summary>Size of each uploaded part (S3's minimum is 5 MiB for all parts but the last).</summary>
    public int PartSize { get; init; } = 8 * 1024 * 1024;

    /// <summary>Parts in flight at once, while pg_dump keeps writing the next.</summary>
    public int Concurrency { get; init; } = 4;

    public async Task<IArtifactSink> OpenUploadAsync(string bucket, string key, bool overwrite, IReadOnlyDictionary<string, string>? tags, CancellationToken ct)
    {
        if (!overwrite && await ExistsAsync(bucket, key, ct).ConfigureAwait(false))
            throw new OpsException("BackupObjectExists", OpsErrorCategory.ResourceExists,
                $"s3://{bucket}/{key} already exists; choose another -Destination, or give -Overwrite to replace it.", $"s3://{bucket}/{key}");
        var request = new InitiateMultipartUploadRequest { BucketName = bucket, Key = key, ContentType = ContentType };
        if (tags is { Count: > 0 })
        {
            // As object tags (lifecycle rules and IAM conditions use them) and as metadata (shown by a HEAD).
            request.TagSet = tags.Select(t => new Tag { Key = t.Key, Value = t.Value }).ToList();
            foreach (var (k, v) in tags) request.Metadata[k] = v;
        }
        try
        {
            var started = await _s3.InitiateMultipartUploadAsync(request, ct).ConfigureAwait(false);
            return new MultipartSink(this, bucket, key, started.UploadId, tags);
        }
        catch (AmazonS3Exception ex)
        {
            throw AwsErrors.From(ex, $"s3://{bucket}/{key}");
        }
    }

    public async Task DeleteAsync(string bucket, string key, CancellationToken ct)
    {
        try
        {
            await _s3.DeleteObjectAsync(bucket, key, ct).ConfigureAwait(false);
        }
        catch (AmazonS3Exception ex) when (ex.StatusCode == HttpStatusCode.NotFound && ex.ErrorCode != "NoSuchBucket")
        {
        }
        catch (AmazonS3Exception ex)
        {
            throw AwsErrors.From(ex, $"s3://{bucket}/{key}");
        }
    }

    public async Task<bool> ExistsAsync(string bucket, string key, CancellationToken ct)
    {
        try
        {
            await _s3.GetObjectMetadataAsync(bucket, key, ct).ConfigureAwait(false);
            return true;
        }
        catch (AmazonS3Exception ex) when (ex.StatusCode == HttpStatusCode.NotFound)
        {
            if (ex.ErrorCode == "NoSuchBucket") throw AwsErrors.From(ex, bucket);
            return false;
        }
        catch (AmazonS3Exception ex)
        {
            throw AwsErrors.From(ex, $"s3://{bucket}/{key}");
        }
    }

    private const string ContentType = "application/octet-stream";

    /// <summary>The metadata key (x-amz-meta-sha256) that carries the archive's SHA-256, lowercase hex.</summary>
    public const string Sha256MetadataKey = "sha256";

    /// <summary>CopyObject's limit: a larger object is re-written with a multipart copy.</summary>
    public long SingleCopyLimit { get; init; } = 5L * 1024 * 1024 * 1024;

    public async Task<ArtifactInfo> HeadAsync(string bucket, string key, CancellationToken ct)
    {
        try
        {
            var head = await _s3.GetObjectMetadataAsync(bucket, key, ct).ConfigureAwait(false);
            var sha = head.Metadata["x-amz-meta-" + Sha256MetadataKey];
            return new ArtifactInfo(head.ContentLength, head.ETag, string.IsNullOrWhiteSpace(sha) ? null : sha.Trim().ToLowerInvariant());
        }
        catch (AmazonS3Exception ex) when (ex.StatusCode == HttpStatusCode.NotFound)
        {
            throw new OpsException("BackupNotFound", OpsErrorCategory.ObjectNotFound, $"There is no backup object s3://{bucket}/{key} ({ex.ErrorCode ?? "NotFound"}).", $"s3://{bucket}/{key}");
        }
        catch (AmazonS3Exception ex)
        {
            throw AwsErrors.From(ex, $"s3://{bucket}/{key}");
        }
    }

    public async Task<Stream> OpenReadAsync(string bucket, string key, string? ifMatch, CancellationToken ct)
    {
        try
        {
            var request = new GetObjectRequest { BucketName = bucket, Key = key };
            if (!string.IsNullOrEmpty(ifMatch)) request.EtagToMatch = ifMatch;
            var response = await _s3.GetObjectAsync(request, ct).ConfigureAwait(false);
            return response.ResponseStream;
        }
        catch (AmazonS3Exception ex) when (ex.StatusCode == HttpStatusCode.PreconditionFailed)
        {
            throw new OpsException("BackupChecksumMismatch", OpsErrorCategory.InvalidData,
                $"s3://{bucket}/{key} changed while it was being imported (its ETag is no longer {ifMatch}): nothing was restored from it.", $"s3://{bucket}/{key}");
        }
        catch (AmazonS3Exception ex)
        {
            throw AwsErrors.From(ex, $"s3://{bucket}/{key}");
        }
    }

    private async Task<bool> HasSha256Async(string bucket, string key, string sha256)
    {
        try
        {
            return (await HeadAsync(bucket, key, CancellationToken.None).ConfigureAwait(false)).Sha256 == sha256;
        }
        catch (OpsException)
        {
            return false;
        }
    }

    /// <summary>
    /// Records the SHA-256 of a just-completed upload as its metadata. S3 takes metadata only when an object is
    /// written, and an upload's hash is known only at its end, so the object is copied onto itself with the same
    /// metadata plus sha256 (a server-side copy, no bytes through this machine; tags are kept), conditioned on the
    /// ETag of the upload, so another writer's object is never stamped with our hash. In a versioned bucket the
    /// upload stays as the previous (noncurrent) version.
    /// </summary>
    internal async Task RecordSha256Async(string bucket, string key, string etag, long size, IReadOnlyDictionary<string, string>? tags, string sha256, CancellationToken ct)
    {
        void Fill(MetadataCollection metadata)
        {
            foreach (var (k, v) in tags ?? new Dictionary<string, string>()) metadata[k] = v;
            metadata[Sha256MetadataKey] = sha256;
        }
        try
        {
            if (size <= SingleCopyLimit)
            {
                var copy = new CopyObjectRequest
                {
                    SourceBucket = bucket, SourceKey = key, DestinationBucket = bucket, DestinationKey = key, ETagToMatch = etag,
                    MetadataDirective = S3MetadataDirective.REPLACE, ContentType = ContentType,
                };
                Fill(copy.Metadata);
                await _s3.CopyObjectAsync(copy, ct).ConfigureAwait(false);
                return;
            }
            var start = new InitiateMultipartUploadRequest { BucketName = bucket, Key = key, ContentType = ContentType };
            if (tags is { Count: > 0 }) start.TagSet = tags.Select(t => new Tag { Key = t.Key, Value = t.Value }).ToList();
            Fill(start.Metadata);
            var uploadId = (await _s3.InitiateMultipartUploadAsync(start, ct).ConfigureAwait(false)).UploadId;
            try
            {
                const long part = 1L << 30;
                var parts = new List<PartETag>();
                for (long offset = 0, number = 1; offset < size; offset += part, number++)
                {
                    var copied = await _s3.CopyPartAsync(new CopyPartRequest
                    {
                        SourceBucket = bucket, SourceKey = key, DestinationBucket = bucket, DestinationKey = key, UploadId = uploadId,
                        PartNumber = (int)number, FirstByte = offset, LastByte = Math.Min(size, offset + part) - 1, ETagToMatch = new List<string> { etag },
                    }, ct).ConfigureAwait(false);
                    parts.Add(new PartETag((int)number, copied.ETag));
                }
                await _s3.CompleteMultipartUploadAsync(new CompleteMultipartUploadRequest { BucketName = bucket, Key = key, UploadId = uploadId, PartETags = parts }, ct).ConfigureAwait(false);
            }
            catch
            {
                try { await _s3.AbortMultipartUploadAsync(new AbortMultipartUploadRequest { BucketName = bucket, Key = key, UploadId = uploadId }, CancellationToken.None).ConfigureAwait(false); }
                catch (Exception ex) when (ex is AmazonS3Exception or HttpRequestException or Amazon.Runtime.AmazonClientException) { }
                throw;
            }
        }
        catch (AmazonS3Exception ex)
        {
            // A retried copy whose first attempt succeeded (its answer was lost): the ETag moved on, the hash is there.
            if (ex.StatusCode == HttpStatusCode.PreconditionFailed && await HasSha256Async(bucket, key, sha256).ConfigureAwait(false)) return;
            throw new OpsException("BackupChecksumNotRecorded", OpsErrorCategory.WriteError,
                $"s3://{bucket}/{key} is complete, but its SHA-256 {sha256} could not be recorded as object metadata ({ex.ErrorCode ?? ex.Message}); " +
                $"give -Sha256 {sha256} to Import-Database to have it checked.", $"s3://{bucket}/{key}", ex);
        }
    }

    /// <summary>
    /// Reads the source part by part into pooled buffers and uploads up to Concurrency parts at once;
    /// commit completes the upload, abort (failure, Ctrl+C) aborts it so no parts are left behind.
    /// </summary>
    private sealed class MultipartSink : IArtifactSink
    {
        private readonly S3ArtifactStore _store;
        private readonly IAmazonS3 _s3;
        private readonly string _bucket;
        private readonly string _key;
        private readonly string _uploadId;
        private readonly int _partSize;
        private readonly int _concurrency;
        private readonly IReadOnlyDictionary<string, string>? _tags;
        private readonly List<PartETag> _parts = new();
        private long _bytes;

        public MultipartSink(S3ArtifactStore store, string bucket, string key, string uploadId, IReadOnlyDictionary<string, string>? tags)
        {
            (_store, _s3, _bucket, _key, _uploadId, _partSize, _concurrency, _tags) = (store, store._s3, bucket, key, uploadId, store.PartSize, store.Concurrency, tags);
        }

        public async Task WriteAllAsync(Stream source, CancellationToken ct)
        {
            using var gate = new SemaphoreSlim(_concurrency);
            using var failed = CancellationTokenSource.CreateLinkedTokenSource(ct);
            var uploads = new List<Task>();
            var number = 0;
            try
            {
                while (true)
                {
                    await gate.WaitAsync(failed.Token).ConfigureAwait(false);
                    var buffer = ArrayPool<byte>.Shared.Rent(_partSize);
                    int length;
                    try
                    {
                        length = await source.ReadAtLeastAsync(buffer.AsMemory(0, _partSize), _partSize, throwOnEndOfStream: false, failed.Token).ConfigureAwait(false);
                    }
                    catch
                    {
                        ArrayPool<byte>.Shared.Return(buffer);
                        gate.Release();
                        throw;
                    }
                    if (length == 0 && number > 0)
                    {
                        ArrayPool<byte>.Shared.Return(buffer);
                        gate.Release();
                        break;
                    }
                    var partNumber = ++number;
                    // Off this loop at once (signing hashes the whole part): the loop goes back to draining pg_dump's pipe.
                    uploads.Add(Task.Run(() => UploadPartAsync(partNumber, buffer, length, gate, failed), CancellationToken.None));
                    if (length < _partSize) break;
                }
            }
            finally
            {
                await Task.WhenAll(uploads.Select(t => t.ContinueWith(_ => { }, TaskScheduler.Default))).ConfigureAwait(false);
            }
            await Task.WhenAll(uploads).ConfigureAwait(false);
        }

        private async Task UploadPartAsync(int partNumber, byte[] buffer, int length, SemaphoreSlim gate, CancellationTokenSource failed)
        {
            try
            {
                using var body = new MemoryStream(buffer, 0, length, writable: false);
                var response = await _s3.UploadPartAsync(new UploadPartRequest
                {
                    BucketName = _bucket, Key = _key, UploadId = _uploadId, PartNumber = partNumber, InputStream = body, PartSize = length,
                    UseChunkEncoding = false, // the part is in memory: one payload hash, no per-chunk signatures
                }, failed.Token).ConfigureAwait(false);
                lock (_parts)
                {
                    _parts.Add(new PartETag(partNumber, response.ETag));
                    _bytes += length;
                }
            }
            catch (AmazonS3Exception ex)
            {
                await failed.CancelAsync().ConfigureAwait(false);
                throw AwsErrors.From(ex, $"s3://{_bucket}/{_key}");
            }
            catch
            {
                await failed.CancelAsync().ConfigureAwait(false);
                throw;
            }
            finally
            {
                ArrayPool<byte>.Shared.Return(buffer);
                gate.Release();
            }
        }

        public async Task CommitAsync(string sha256, CancellationToken ct)
        {
            string? etag;
            try
            {
                etag = (await _s3.CompleteMultipartUploadAsync(new CompleteMultipartUploadRequest
                {
                    BucketName = _bucket, Key = _key, UploadId = _uploadId, PartETags = _parts.OrderBy(p => p.PartNumber).ToList(),
                }, ct).ConfigureAwait(false)).ETag;
            }
            catch (AmazonS3Exception ex)
            {
                // NoSuchUpload on a retried completion whose first attempt completed the upload (its answer was lost): done.
                if (ex.ErrorCode != "NoSuchUpload" || await CompletedAsync(ct).ConfigureAwait(false) is not { } completed) throw AwsErrors.From(ex, $"s3://{_bucket}/{_key}");
                etag = completed;
            }
            await _store.RecordSha256Async(_bucket, _key, etag, _bytes, _tags, sha256, ct).ConfigureAwait(false);
        }

        /// <summary>The object's ETag when it now is this upload: a multipart ETag with our part count and our total size.</summary>
        private async Task<string?> CompletedAsync(CancellationToken ct)
        {
            try
            {
                var head = await _s3.GetObjectMetadataAsync(_bucket, _key, ct).ConfigureAwait(false);
                return head.ETag.Trim('"').EndsWith($"-{_parts.Count}", StringComparison.Ordinal) && head.ContentLength == _bytes ? head.ETag : null;
            }
            catch (AmazonS3Exception)
            {
                return null;
            }
        }

        public async Task AbortAsync()
        {
            try
            {
                await _s3.AbortMultipartUploadAsync(new AbortMultipartUploadRequest { BucketName = _bucket, Key = _key, UploadId = _uploadId }, CancellationToken.None).ConfigureAwait(false);
            }
            catch (Exception ex) when (ex is AmazonS3Exception or HttpRequestException or Amazon.Runtime.AmazonClientException)
            {
                // Best effort: a lifecycle rule for incomplete uploads covers what is left.
            }
        }
    }
}
