using System.Text;
using Amazon.S3;
using Amazon.S3.Model;
using RealEstateOps.Engine.Aws;
using RealEstateOps.Engine.Tests.Support;
using RealEstateOps.Sandbox.S3;

namespace RealEstateOps.Engine.Tests.S3;

/// <summary>The S3 emulation driven by AWSSDK.S3 (aws-chunked uploads with trailing checksums, as the SDK sends them).</summary>
[Collection(S3Collection.Name)]
public class S3SandboxTests : IClassFixture<SandboxFixture>
{
    private readonly SandboxFixture _sandbox;
    public S3SandboxTests(SandboxFixture sandbox) => _sandbox = sandbox;

    private AmazonS3Client Client(string region = "us-east-1") => S3Sandbox.Client(_sandbox.Host, region);

    private async Task<string> VersionedBucketAsync(AmazonS3Client s3)
    {
        var bucket = S3Sandbox.NewBucket("t-versioned");
        await s3.PutBucketAsync(bucket);
        await s3.PutBucketVersioningAsync(new PutBucketVersioningRequest { BucketName = bucket, VersioningConfig = new S3BucketVersioningConfig { Status = VersionStatus.Enabled } });
        return bucket;
    }

    private static async Task<string> ReadAsync(AmazonS3Client s3, string bucket, string key, string? versionId = null)
    {
        using var response = await s3.GetObjectAsync(new GetObjectRequest { BucketName = bucket, Key = key, VersionId = versionId });
        using var reader = new StreamReader(response.ResponseStream);
        return await reader.ReadToEndAsync();
    }

    [Fact]
    public async Task Seeded_platform_buckets_are_in_their_regions_with_versions_and_delete_markers()
    {
        using var s3 = Client();
        var buckets = (await s3.ListBucketsAsync()).Buckets.Select(b => b.BucketName).ToList();
        Assert.Contains(S3Seed.AssetsBucket, buckets);
        Assert.Contains(S3Seed.BackupsBucket, buckets);
        Assert.Contains(S3Seed.DrBucket, buckets);
        Assert.Equal("us-west-2", (await s3.GetBucketLocationAsync(S3Seed.DrBucket)).Location.Value);

        var versions = await s3.ListVersionsAsync(new ListVersionsRequest { BucketName = S3Seed.AssetsBucket, Prefix = "properties/prop-0003/" });
        var deleted = versions.Versions.Single(v => v.Key == S3Seed.RecentlyDeleted[0] && v.IsLatest == true);
        Assert.True(deleted.IsDeleteMarker);
        Assert.Equal(3, versions.Versions.Count(v => v.Key == S3Seed.RecentlyDeleted[0] && v.IsDeleteMarker != true));

        var missing = await Assert.ThrowsAnyAsync<AmazonS3Exception>(() => s3.GetObjectAsync(S3Seed.AssetsBucket, S3Seed.RecentlyDeleted[0]));
        Assert.Equal("NoSuchKey", missing.ErrorCode);

        using var dr = Client("us-west-2");
        var replica = await dr.ListObjectsV2Async(new ListObjectsV2Request { BucketName = S3Seed.DrBucket, Prefix = "properties/prop-0003/" });
        Assert.Equal(4, replica.S3Objects.Count);
    }

    [Fact]
    public async Task Put_get_head_delete_follow_versioning_with_delete_markers()
    {
        using var s3 = Client();
        var bucket = await VersionedBucketAsync(s3);
        var v1 = await s3.PutObjectAsync(new PutObjectRequest { BucketName = bucket, Key = "docs/a b+c.txt", ContentBody = "one" });
        var v2 = await s3.PutObjectAsync(new PutObjectRequest { BucketName = bucket, Key = "docs/a b+c.txt", ContentBody = "two", ChecksumAlgorithm = ChecksumAlgorithm.SHA256 });
        Assert.NotEqual(v1.VersionId, v2.VersionId);
        Assert.Equal("two", await ReadAsync(s3, bucket, "docs/a b+c.txt"));
        Assert.Equal("one", await ReadAsync(s3, bucket, "docs/a b+c.txt", v1.VersionId));

        var head = await s3.GetObjectMetadataAsync(new GetObjectMetadataRequest { BucketName = bucket, Key = "docs/a b+c.txt", VersionId = v1.VersionId });
        Assert.Equal(3, head.ContentLength);

        var del = await s3.DeleteObjectAsync(bucket, "docs/a b+c.txt");
        Assert.Equal("true", del.DeleteMarker);
        var gone = await Assert.ThrowsAnyAsync<AmazonS3Exception>(() => s3.GetObjectAsync(bucket, "docs/a b+c.txt"));
        Assert.Equal("NoSuchKey", gone.ErrorCode);

        // Removing the delete marker brings the key back.
        await s3.DeleteObjectAsync(new DeleteObjectRequest { BucketName = bucket, Key = "docs/a b+c.txt", VersionId = del.VersionId });
        Assert.Equal("two", await ReadAsync(s3, bucket, "docs/a b+c.txt"));

        var noVersion = await Assert.ThrowsAnyAsync<AmazonS3Exception>(() => s3.GetObjectAsync(new GetObjectRequest { BucketName = bucket, Key = "docs/a b+c.txt", VersionId = "A".PadRight(32, 'b') }));
        Assert.Equal("NoSuchVersion", noVersion.ErrorCode);
        var badVersion = await Assert.ThrowsAnyAsync<AmazonS3Exception>(() => s3.GetObjectAsync(new GetObjectRequest { BucketName = bucket, Key = "docs/a b+c.txt", VersionId = "nope" }));
        Assert.Equal("InvalidArgument", badVersion.ErrorCode);
    }

    [Fact]
    public async Task Unversioned_buckets_keep_one_null_version_and_refuse_version_ids()
    {
        using var s3 = Client();
        var bucket = S3Sandbox.NewBucket("t-plain");
        await s3.PutBucketAsync(bucket);
        await s3.PutObjectAsync(new PutObjectRequest { BucketName = bucket, Key = "k", ContentBody = "1" });
        await s3.PutObjectAsync(new PutObjectRequest { BucketName = bucket, Key = "k", ContentBody = "2" });
        var versions = await s3.ListVersionsAsync(bucket);
        Assert.Equal("null", Assert.Single(versions.Versions).VersionId);
        var ex = await Assert.ThrowsAnyAsync<AmazonS3Exception>(() => s3.GetObjectAsync(new GetObjectRequest { BucketName = bucket, Key = "k", VersionId = "A".PadRight(32, 'b') }));
        Assert.Equal("InvalidArgument", ex.ErrorCode);
        await s3.DeleteObjectAsync(bucket, "k");
        Assert.Empty((await s3.ListVersionsAsync(bucket)).Versions ?? new());
    }

    [Fact]
    public async Task Listing_versions_pages_with_key_and_version_markers()
    {
        using var s3 = Client();
        var bucket = await VersionedBucketAsync(s3);
        for (var k = 0; k < 7; k++)
            for (var v = 0; v < 3; v++)
                await s3.PutObjectAsync(new PutObjectRequest { BucketName = bucket, Key = $"p/{k:00}", ContentBody = $"{k}.{v}" });
        await s3.DeleteObjectAsync(bucket, "p/03");

        var seen = new List<(string Key, string Id, bool Marker)>();
        var request = new ListVersionsRequest { BucketName = bucket, MaxKeys = 4 };
        var pages = 0;
        while (true)
        {
            var page = await s3.ListVersionsAsync(request);
            pages++;
            seen.AddRange(page.Versions.Select(v => (v.Key, v.VersionId, v.IsDeleteMarker == true)));
            if (page.IsTruncated != true) break;
            request.KeyMarker = page.NextKeyMarker;
            request.VersionIdMarker = page.NextVersionIdMarker;
        }
        Assert.Equal(22, seen.Count);
        Assert.Equal(6, pages);
        Assert.Equal(seen.Count, seen.Select(s => s.Id).Distinct().Count());
        Assert.Single(seen, s => s.Marker);

        var v2 = new List<string>();
        var list = new ListObjectsV2Request { BucketName = bucket, MaxKeys = 2 };
        do
        {
            var page = await s3.ListObjectsV2Async(list);
            v2.AddRange(page.S3Objects.Select(o => o.Key));
            list.ContinuationToken = page.NextContinuationToken;
        } while (list.ContinuationToken is not null);
        Assert.Equal(new[] { "p/00", "p/01", "p/02", "p/04", "p/05", "p/06" }, v2);
    }

    [Fact]
    public async Task Version_listings_can_put_every_version_before_every_delete_marker_with_the_same_pages()
    {
        using var s3 = Client();
        var bucket = await VersionedBucketAsync(s3);
        foreach (var k in new[] { "a", "b", "c" })
        {
            await s3.PutObjectAsync(new PutObjectRequest { BucketName = bucket, Key = k, ContentBody = k + "1" });
            await s3.DeleteObjectAsync(bucket, k);
            await s3.PutObjectAsync(new PutObjectRequest { BucketName = bucket, Key = k, ContentBody = k + "2" });
            await s3.DeleteObjectAsync(bucket, k);
        }
        async Task<(List<string> Document, List<string> Markers)> PagesAsync()
        {
            var document = new List<string>();
            var markers = new List<string>();
            var request = new ListVersionsRequest { BucketName = bucket, MaxKeys = 5 };
            while (true)
            {
                var page = await s3.ListVersionsAsync(request);
                document.AddRange(page.Versions.Select(v => $"{v.Key}:{(v.IsDeleteMarker == true ? "marker" : "version")}:{v.VersionId}:{v.IsLatest}"));
                document.Add("|");
                if (page.IsTruncated != true) break;
                markers.Add($"{page.NextKeyMarker}/{page.NextVersionIdMarker}");
                request.KeyMarker = page.NextKeyMarker;
                request.VersionIdMarker = page.NextVersionIdMarker;
            }
            return (document, markers);
        }

        var interleaved = await PagesAsync();
        Assert.Equal("Interleaved", (string?)System.Text.Json.Nodes.JsonNode.Parse(await _sandbox.Http.GetStringAsync("_sandbox/s3/version-order"))!["order"]);
        // S3's order: each key newest first, markers and versions interleaved (here marker, version, marker, version).
        Assert.Equal(new[] { "a:marker", "a:version", "a:marker", "a:version", "b:marker" }, interleaved.Document.Take(5).Select(e => string.Join(':', e.Split(':').Take(2))));
        try
        {
            var set = await _sandbox.Http.PutAsync("_sandbox/s3/version-order", new StringContent("{\"order\":\"VersionsFirst\"}", Encoding.UTF8, "application/json"));
            Assert.True(set.IsSuccessStatusCode, await set.Content.ReadAsStringAsync());
            var versionsFirst = await PagesAsync();
            // The same entries on the same pages, with the same paging markers; in each page every version comes first.
            Assert.Equal(interleaved.Markers, versionsFirst.Markers);
            Assert.Equal(Pages(interleaved.Document).Select(p => string.Join(",", p.Order(StringComparer.Ordinal))), Pages(versionsFirst.Document).Select(p => string.Join(",", p.Order(StringComparer.Ordinal))));
            foreach (var page in Pages(versionsFirst.Document))
            {
                var kinds = page.Select(e => e.Split(':')[1]).ToList();
                Assert.Equal(kinds.OrderByDescending(k => k == "version"), kinds);
            }
            Assert.Equal(new[] { "a:version", "a:version", "a:marker", "a:marker", "b:marker" }, versionsFirst.Document.Take(5).Select(e => string.Join(':', e.Split(':').Take(2))));

            using var anonymous = new HttpClient { BaseAddress = _sandbox.Host.BaseUrl };
            var refused = await anonymous.PutAsync("_sandbox/s3/version-order", new StringContent("{\"order\":\"Interleaved\"}", Encoding.UTF8, "application/json"));
            Assert.Equal(System.Net.HttpStatusCode.Unauthorized, refused.StatusCode);
            var bad = await _sandbox.Http.PutAsync("_sandbox/s3/version-order", new StringContent("{\"order\":\"Sideways\"}", Encoding.UTF8, "application/json"));
            Assert.Equal(System.Net.HttpStatusCode.BadRequest, bad.StatusCode);
            Assert.Contains("InvalidVersionOrder", await bad.Content.ReadAsStringAsync());
            Assert.Equal("VersionsFirst", (string?)System.Text.Json.Nodes.JsonNode.Parse(await _sandbox.Http.GetStringAsync("_sandbox/s3/version-order"))!["order"]);
        }
        finally
        {
            await _sandbox.Http.PutAsync("_sandbox/s3/version-order", new StringContent("{\"order\":\"Interleaved\"}", Encoding.UTF8, "application/json"));
        }

        static IEnumerable<List<string>> Pages(List<string> document)
        {
            var page = new List<string>();
            foreach (var e in document)
            {
                if (e != "|") { page.Add(e); continue; }
                yield return page;
                page = new List<string>();
            }
        }
    }

    [Fact]
    public async Task A_keys_versions_written_one_after_the_other_never_tie_at_the_listings_millisecond()
    {
        using var s3 = Client();
        var bucket = await VersionedBucketAsync(s3);
        for (var i = 0; i < 10; i++)
        {
            await s3.PutObjectAsync(new PutObjectRequest { BucketName = bucket, Key = "k", ContentBody = $"{i}" });
            await s3.DeleteObjectAsync(bucket, "k");
        }
        var listed = (await s3.ListVersionsAsync(new ListVersionsRequest { BucketName = bucket })).Versions;
        Assert.Equal(20, listed.Count);
        var times = listed.Select(v => v.LastModified!.Value).ToList();
        Assert.Equal(times.OrderByDescending(t => t), times);
        Assert.Equal(20, times.Distinct().Count());
    }

    [Fact]
    public async Task Multipart_upload_assembles_parts_and_checks_them()
    {
        using var s3 = Client();
        var bucket = await VersionedBucketAsync(s3);
        var part1 = new byte[5 * 1024 * 1024];
        new Random(1).NextBytes(part1);
        var part2 = Encoding.UTF8.GetBytes("tail of the dump");
        var init = await s3.InitiateMultipartUploadAsync(new InitiateMultipartUploadRequest { BucketName = bucket, Key = "db/dump.bin", ChecksumAlgorithm = ChecksumAlgorithm.CRC32 });
        var etags = new List<PartETag>();
        var n = 1;
        foreach (var part in new[] { part1, part2 })
        {
            var up = await s3.UploadPartAsync(new UploadPartRequest { BucketName = bucket, Key = "db/dump.bin", UploadId = init.UploadId, PartNumber = n, InputStream = new MemoryStream(part), ChecksumAlgorithm = ChecksumAlgorithm.CRC32 });
            etags.Add(new PartETag(n++, up.ETag) { ChecksumCRC32 = up.ChecksumCRC32 });
        }
        var done = await s3.CompleteMultipartUploadAsync(new CompleteMultipartUploadRequest { BucketName = bucket, Key = "db/dump.bin", UploadId = init.UploadId, PartETags = etags });
        Assert.EndsWith("-2\"", done.ETag);
        Assert.NotNull(done.VersionId);

        using var get = await s3.GetObjectAsync(bucket, "db/dump.bin");
        var ms = new MemoryStream();
        await get.ResponseStream.CopyToAsync(ms);
        Assert.Equal(part1.Concat(part2).ToArray(), ms.ToArray());

        // Parts below 5 MiB (but the last) are refused; an unknown upload id is NoSuchUpload.
        var small = await s3.InitiateMultipartUploadAsync(bucket, "db/small.bin");
        var p1 = await s3.UploadPartAsync(new UploadPartRequest { BucketName = bucket, Key = "db/small.bin", UploadId = small.UploadId, PartNumber = 1, InputStream = new MemoryStream(part2) });
        var p2 = await s3.UploadPartAsync(new UploadPartRequest { BucketName = bucket, Key = "db/small.bin", UploadId = small.UploadId, PartNumber = 2, InputStream = new MemoryStream(part2) });
        var tooSmall = await Assert.ThrowsAnyAsync<AmazonS3Exception>(() => s3.CompleteMultipartUploadAsync(new CompleteMultipartUploadRequest
        { BucketName = bucket, Key = "db/small.bin", UploadId = small.UploadId, PartETags = new() { new PartETag(1, p1.ETag), new PartETag(2, p2.ETag) } }));
        Assert.Equal("EntityTooSmall", tooSmall.ErrorCode);
        await s3.AbortMultipartUploadAsync(bucket, "db/small.bin", small.UploadId);
        var aborted = await Assert.ThrowsAnyAsync<AmazonS3Exception>(() => s3.UploadPartAsync(new UploadPartRequest { BucketName = bucket, Key = "db/small.bin", UploadId = small.UploadId, PartNumber = 3, InputStream = new MemoryStream(part2) }));
        Assert.Equal("NoSuchUpload", aborted.ErrorCode);
    }

    [Fact]
    public async Task Copy_with_version_id_makes_an_old_version_current_and_part_copy_works()
    {
        using var s3 = Client();
        var bucket = await VersionedBucketAsync(s3);
        var old = await s3.PutObjectAsync(new PutObjectRequest { BucketName = bucket, Key = "k", ContentBody = "old" });
        await s3.PutObjectAsync(new PutObjectRequest { BucketName = bucket, Key = "k", ContentBody = "new" });
        var copy = await s3.CopyObjectAsync(new CopyObjectRequest { SourceBucket = bucket, SourceKey = "k", SourceVersionId = old.VersionId, DestinationBucket = bucket, DestinationKey = "k" });
        Assert.Equal("old", await ReadAsync(s3, bucket, "k"));
        Assert.Equal(3, (await s3.ListVersionsAsync(bucket)).Versions.Count);
        Assert.NotEqual(old.VersionId, copy.VersionId);

        var self = await Assert.ThrowsAnyAsync<AmazonS3Exception>(() => s3.CopyObjectAsync(bucket, "k", bucket, "k"));
        Assert.Equal("InvalidRequest", self.ErrorCode);

        var init = await s3.InitiateMultipartUploadAsync(bucket, "k-copy");
        var part = await s3.CopyPartAsync(new CopyPartRequest { SourceBucket = bucket, SourceKey = "k", SourceVersionId = old.VersionId, DestinationBucket = bucket, DestinationKey = "k-copy", UploadId = init.UploadId, PartNumber = 1 });
        await s3.CompleteMultipartUploadAsync(new CompleteMultipartUploadRequest { BucketName = bucket, Key = "k-copy", UploadId = init.UploadId, PartETags = new() { new PartETag(1, part.ETag) } });
        Assert.Equal("old", await ReadAsync(s3, bucket, "k-copy"));
    }

    [Fact]
    public async Task Errors_carry_S3_codes_wrong_region_bad_names_and_read_only_keys()
    {
        using var s3 = Client();
        var noBucket = await Assert.ThrowsAnyAsync<AmazonS3Exception>(() => s3.ListObjectsV2Async(new ListObjectsV2Request { BucketName = "no-such-bucket-here" }));
        Assert.Equal("NoSuchBucket", noBucket.ErrorCode);
        var badName = await Assert.ThrowsAnyAsync<AmazonS3Exception>(() => s3.PutBucketAsync("Bad_Name"));
        Assert.Equal("InvalidBucketName", badName.ErrorCode);
        var wrongRegion = await Assert.ThrowsAnyAsync<AmazonS3Exception>(() => s3.ListObjectsV2Async(new ListObjectsV2Request { BucketName = S3Seed.DrBucket }));
        Assert.Equal("AuthorizationHeaderMalformed", wrongRegion.ErrorCode);

        using var readOnly = S3Sandbox.Client(_sandbox.Host, accessKey: S3Service.ReadOnlyAccessKey);
        await readOnly.ListObjectsV2Async(new ListObjectsV2Request { BucketName = S3Seed.AssetsBucket, MaxKeys = 1 });
        var denied = await Assert.ThrowsAnyAsync<AmazonS3Exception>(() => readOnly.PutObjectAsync(new PutObjectRequest { BucketName = S3Seed.AssetsBucket, Key = "x", ContentBody = "x" }));
        Assert.Equal("AccessDenied", denied.ErrorCode);
    }

    [Fact]
    public async Task Populate_fills_a_bucket_in_bulk_for_benchmarks()
    {
        var bucket = S3Sandbox.NewBucket("t-populate");
        var response = await _sandbox.Http.PostAsync("_sandbox/s3/populate",
            new StringContent($"{{\"bucket\":\"{bucket}\",\"region\":\"us-west-2\",\"prefix\":\"p/\",\"keys\":3,\"versions\":2,\"deleted\":true}}", Encoding.UTF8, "application/json"));
        Assert.True(response.IsSuccessStatusCode, await response.Content.ReadAsStringAsync());
        using var s3 = Client("us-west-2");
        var versions = await s3.ListVersionsAsync(bucket);
        Assert.Equal(9, versions.Versions.Count);
        Assert.Equal(3, versions.Versions.Count(v => v.IsDeleteMarker == true && v.IsLatest == true));
        var bad = await _sandbox.Http.PostAsync("_sandbox/s3/populate", new StringContent("{\"bucket\":\"Bad_Name\",\"keys\":1}", Encoding.UTF8, "application/json"));
        Assert.Equal(System.Net.HttpStatusCode.BadRequest, bad.StatusCode);
    }

    [Fact]
    public async Task Aws_chunked_bodies_with_trailing_checksums_are_decoded_and_verified()
    {
        using var s3 = Client();
        var bucket = await VersionedBucketAsync(s3);
        // Signed by the SDK's SigV4 handler; the given x-amz-content-sha256 is signed as the payload's hash. (No
        // x-amz-decoded-content-length: given one, that handler signs it as the Content-Length, which S3 refuses too.)
        using var signed = AwsHttp.CreateSignedClient(_sandbox.Target("s3"));
        HttpRequestMessage Chunked(string key, string trailer) => new(HttpMethod.Put, $"{bucket}/{key}")
        {
            Headers =
            {
                { "x-amz-content-sha256", "STREAMING-UNSIGNED-PAYLOAD-TRAILER" },
                { "x-amz-trailer", "x-amz-checksum-crc32" },
            },
            // "hello" + " world" in two chunks, then the trailer; CRC32("hello world") = 0x0d4a1185.
            Content = new StringContent($"5\r\nhello\r\n6\r\n world\r\n0\r\nx-amz-checksum-crc32:{trailer}\r\n\r\n") { Headers = { ContentEncoding = { "aws-chunked" } } },
        };
        var ok = await signed.SendAsync(Chunked("chunked.txt", "DUoRhQ=="));
        Assert.True(ok.IsSuccessStatusCode, await ok.Content.ReadAsStringAsync());
        Assert.Equal("hello world", await ReadAsync(s3, bucket, "chunked.txt"));
        var head = await s3.GetObjectMetadataAsync(new GetObjectMetadataRequest { BucketName = bucket, Key = "chunked.txt", ChecksumMode = ChecksumMode.ENABLED });
        Assert.Equal("DUoRhQ==", head.ChecksumCRC32);

        var bad = await signed.SendAsync(Chunked("bad.txt", "AAAAAA=="));
        Assert.Equal(System.Net.HttpStatusCode.BadRequest, bad.StatusCode);
        Assert.Contains("<Code>BadDigest</Code>", await bad.Content.ReadAsStringAsync());
        Assert.Empty((await s3.ListVersionsAsync(new ListVersionsRequest { BucketName = bucket, Prefix = "bad" })).Versions ?? new());
    }

    [Fact]
    public async Task Writes_to_the_assets_bucket_replicate_to_the_DR_bucket_with_their_version_ids_but_delete_markers_do_not()
    {
        using var s3 = Client();
        using var dr = Client("us-west-2");
        var key = $"replication-test/{Guid.NewGuid():N}.pdf";
        var put = await s3.PutObjectAsync(new PutObjectRequest { BucketName = S3Seed.AssetsBucket, Key = key, ContentBody = "replicated" });
        var replica = (await dr.ListVersionsAsync(new ListVersionsRequest { BucketName = S3Seed.DrBucket, Prefix = key })).Versions.Single();
        Assert.Equal(put.VersionId, replica.VersionId);
        Assert.Equal("replicated", await ReadAsync(dr, S3Seed.DrBucket, key));

        await s3.DeleteObjectAsync(S3Seed.AssetsBucket, key);
        Assert.Equal("replicated", await ReadAsync(dr, S3Seed.DrBucket, key)); // DeleteMarkerReplication is Disabled
        var seeded = (await dr.ListVersionsAsync(new ListVersionsRequest { BucketName = S3Seed.DrBucket, Prefix = "properties/prop-0002/images/front.jpg" })).Versions.Single();
        var source = (await s3.ListVersionsAsync(new ListVersionsRequest { BucketName = S3Seed.AssetsBucket, Prefix = "properties/prop-0002/images/front.jpg" })).Versions.First();
        Assert.Equal(source.VersionId, seeded.VersionId);
    }
}
