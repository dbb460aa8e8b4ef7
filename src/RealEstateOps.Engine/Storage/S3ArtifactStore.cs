using System.Buffers;
using System.Net;
using Amazon.S3;
using Amazon.S3.Model;
using RealEstateOps.Engine.Aws;
using RealEstateOps.Engine.Backup;
using RealEstateOps.Engine.Common;

namespace RealEstateOps.Engine.Storage;

/// <summary>Backup archives in S3: streamed multipart uploads (no temporary file), size checks, streamed reads.</summary>
public sealed class S3ArtifactStore : IS3ArtifactStore, IDisposable
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
                $"s3://{bucket}/{key} already exists; choose another -Destination, or give -Force to replace it.", $"s3://{bucket}/{key}");
        var request = new InitiateMultipartUploadRequest { BucketName = bucket, Key = key, ContentType = "application/octet-stream" };
        if (tags is { Count: > 0 })
        {
            // As object tags (lifecycle rules and IAM conditions use them) and as metadata (shown by a HEAD).
            request.TagSet = tags.Select(t => new Tag { Key = t.Key, Value = t.Value }).ToList();
            foreach (var (k, v) in tags) request.Metadata[k] = v;
        }
        try
        {
            var started = await _s3.InitiateMultipartUploadAsync(request, ct).ConfigureAwait(false);
            return new MultipartSink(_s3, bucket, key, started.UploadId, PartSize, Concurrency);
        }
        catch (AmazonS3Exception ex)
        {
            throw AwsErrors.From(ex, $"s3://{bucket}/{key}");
        }
    }

    private async Task<bool> ExistsAsync(string bucket, string key, CancellationToken ct)
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

    public async Task<long> SizeOfAsync(string bucket, string key, CancellationToken ct)
    {
        try
        {
            return (await _s3.GetObjectMetadataAsync(bucket, key, ct).ConfigureAwait(false)).ContentLength;
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

    public async Task<Stream> OpenReadAsync(string bucket, string key, CancellationToken ct)
    {
        try
        {
            var response = await _s3.GetObjectAsync(bucket, key, ct).ConfigureAwait(false);
            return response.ResponseStream;
        }
        catch (AmazonS3Exception ex)
        {
            throw AwsErrors.From(ex, $"s3://{bucket}/{key}");
        }
    }

    /// <summary>
    /// Reads the source part by part into pooled buffers and uploads up to Concurrency parts at once;
    /// commit completes the upload, abort (failure, Ctrl+C) aborts it so no parts are left behind.
    /// </summary>
    private sealed class MultipartSink : IArtifactSink
    {
        private readonly IAmazonS3 _s3;
        private readonly string _bucket;
        private readonly string _key;
        private readonly string _uploadId;
        private readonly int _partSize;
        private readonly int _concurrency;
        private readonly List<PartETag> _parts = new();
        private long _bytes;

        public MultipartSink(IAmazonS3 s3, string bucket, string key, string uploadId, int partSize, int concurrency)
        {
            (_s3, _bucket, _key, _uploadId, _partSize, _concurrency) = (s3, bucket, key, uploadId, partSize, concurrency);
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

        public async Task CommitAsync(CancellationToken ct)
        {
            try
            {
                await _s3.CompleteMultipartUploadAsync(new CompleteMultipartUploadRequest
                {
                    BucketName = _bucket, Key = _key, UploadId = _uploadId, PartETags = _parts.OrderBy(p => p.PartNumber).ToList(),
                }, ct).ConfigureAwait(false);
            }
            catch (AmazonS3Exception ex)
            {
                // NoSuchUpload on a retried completion whose first attempt completed the upload (its answer was lost): done.
                if (ex.ErrorCode == "NoSuchUpload" && await CompletedAsync(ct).ConfigureAwait(false)) return;
                throw AwsErrors.From(ex, $"s3://{_bucket}/{_key}");
            }
        }

        /// <summary>Whether the object now is this upload: a multipart ETag with our part count and our total size.</summary>
        private async Task<bool> CompletedAsync(CancellationToken ct)
        {
            try
            {
                var head = await _s3.GetObjectMetadataAsync(_bucket, _key, ct).ConfigureAwait(false);
                return head.ETag.Trim('"').EndsWith($"-{_parts.Count}", StringComparison.Ordinal) && head.ContentLength == _bytes;
            }
            catch (AmazonS3Exception)
            {
                return false;
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
