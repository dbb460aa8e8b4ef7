using System.Net.Http.Json;
using System.Text;
using System.Text.Json.Nodes;
using Amazon.S3;
using Amazon.S3.Model;
using RealEstateOps.Engine.Common;
using RealEstateOps.Engine.S3;
using RealEstateOps.Engine.Tests.Support;
using RealEstateOps.Sandbox.S3;
using S3Location = RealEstateOps.Engine.S3.S3Location;

namespace RealEstateOps.Engine.Tests.S3;

/// <summary>Shared set-up for the recovery tests: buckets filled through the SDK, and their state read back for comparison.</summary>
public abstract class S3TestBase
{
    protected S3TestBase(SandboxFixture sandbox) => Sandbox = sandbox;
    protected SandboxFixture Sandbox { get; }

    protected S3Client NewClient(string region = "us-east-1") => new(S3Sandbox.Target(Sandbox.Host, region));
    protected AmazonS3Client Client(string region = "us-east-1") => S3Sandbox.Client(Sandbox.Host, region);

    protected async Task<string> BucketAsync(string stem, bool versioned = true, string region = "us-east-1")
    {
        using var s3 = Client(region);
        var bucket = S3Sandbox.NewBucket(stem);
        await s3.PutBucketAsync(new PutBucketRequest { BucketName = bucket, BucketRegionName = region == "us-east-1" ? null : region });
        if (versioned)
            await s3.PutBucketVersioningAsync(new PutBucketVersioningRequest { BucketName = bucket, VersioningConfig = new S3BucketVersioningConfig { Status = VersionStatus.Enabled } });
        return bucket;
    }

    protected static async Task PutManyAsync(IAmazonS3 s3, string bucket, IEnumerable<(string Key, string Body)> objects) =>
        await Parallel.ForEachAsync(objects, new ParallelOptions { MaxDegreeOfParallelism = 8 }, async (o, ct) =>
            await s3.PutObjectAsync(new PutObjectRequest { BucketName = bucket, Key = o.Key, ContentBody = o.Body }, ct));

    /// <summary>The bucket's current objects: key to content.</summary>
    protected static async Task<SortedDictionary<string, string>> CurrentAsync(IAmazonS3 s3, string bucket, string? prefix = null)
    {
        var result = new SortedDictionary<string, string>(StringComparer.Ordinal);
        var request = new ListObjectsV2Request { BucketName = bucket, Prefix = prefix };
        do
        {
            var page = await s3.ListObjectsV2Async(request);
            foreach (var o in page.S3Objects ?? new())
            {
                using var get = await s3.GetObjectAsync(bucket, o.Key);
                using var reader = new StreamReader(get.ResponseStream);
                result[o.Key] = await reader.ReadToEndAsync();
            }
            request.ContinuationToken = page.NextContinuationToken;
        } while (request.ContinuationToken is not null);
        return result;
    }

    protected static async Task<int> VersionCountAsync(IAmazonS3 s3, string bucket)
    {
        var n = 0;
        await foreach (var _ in S3VersionLister.ListAllAsync(s3, bucket, null, null)) n++;
        return n;
    }

    protected async Task<long> RequestsAsync(string operation)
    {
        var counts = JsonNode.Parse(await Sandbox.Http.GetStringAsync("_sandbox/requests"))!;
        return (long?)counts["operations"]?["s3:" + operation] ?? 0;
    }

    /// <summary>
    /// The orders a ListObjectVersions answer comes in: S3's own (each key's versions and delete markers interleaved, newest
    /// first) and the one of some S3-compatible servers (every version of a page before every delete marker).
    /// </summary>
    public static TheoryData<string> VersionOrders => new() { "Interleaved", "VersionsFirst" };

    /// <summary>Has the sandbox answer ListObjectVersions in <paramref name="order"/> until the result is disposed (then S3's own order again).</summary>
    protected async Task<IAsyncDisposable> VersionOrderAsync(string order)
    {
        var set = await Sandbox.Http.PutAsJsonAsync("_sandbox/s3/version-order", new { order });
        Assert.True(set.IsSuccessStatusCode, await set.Content.ReadAsStringAsync());
        return new OrderReset(Sandbox.Http);
    }

    private sealed class OrderReset(HttpClient http) : IAsyncDisposable
    {
        public async ValueTask DisposeAsync() => (await http.PutAsJsonAsync("_sandbox/s3/version-order", new { order = "Interleaved" })).EnsureSuccessStatusCode();
    }

    protected static async Task<List<S3RestoreResult>> RestoreAsync(S3Client client, S3RestoreRequest request, List<OpsException>? errors = null)
    {
        var results = new List<S3RestoreResult>();
        var events = new S3Events();
        await foreach (var r in new S3Restorer(client).RestoreAsync(request, events)) results.Add(r);
        errors?.AddRange(events.Failures);
        return results;
    }
}

[Collection(S3Collection.Name)]
public class S3RecoveryTests : S3TestBase, IClassFixture<SandboxFixture>
{
    public S3RecoveryTests(SandboxFixture sandbox) : base(sandbox) { }

    [Theory]
    [MemberData(nameof(VersionOrders))]
    public async Task Deleted_lists_exactly_the_seeded_deleted_documents(string order)
    {
        await using var listing = await VersionOrderAsync(order);
        using var client = NewClient();
        var deleted = new List<S3Version>();
        await foreach (var v in S3VersionLister.ListAsync(client.ForRegion(), new S3VersionQuery(S3Seed.AssetsBucket, "properties/", DeletedOnly: true))) deleted.Add(v);
        Assert.Equal(S3Seed.RecentlyDeleted.Append(S3Seed.LongDeleted).Order(StringComparer.Ordinal), deleted.Select(d => d.Key));
        Assert.All(deleted, d => Assert.True(d.IsDeleteMarker && d.IsLatest));

        var one = new List<S3Version>();
        await foreach (var v in S3VersionLister.ListAsync(client.ForRegion(), new S3VersionQuery(S3Seed.AssetsBucket, Key: "properties/prop-0001/images/front.jpg"))) one.Add(v);
        Assert.Equal(2, one.Count);
        Assert.True(one[0].IsLatest && one[0].LastModified > one[1].LastModified);
    }

    [Fact]
    public async Task Listing_pages_with_both_markers_and_stops_fetching_when_the_consumer_stops()
    {
        using var client = NewClient();
        var s3 = client.ForRegion();
        var bucket = await BucketAsync("t-pages");
        await PutManyAsync(s3, bucket, Enumerable.Range(0, 420).SelectMany(k => Enumerable.Range(0, 3).Select(v => ($"k/{k:0000}", $"{k}.{v}"))));
        var all = new List<S3Version>();
        await foreach (var v in S3VersionLister.ListAsync(s3, new S3VersionQuery(bucket))) all.Add(v);
        Assert.Equal(1260, all.Count);
        Assert.Equal(1260, all.Select(v => v.VersionId).Distinct().Count());

        await Sandbox.Http.DeleteAsync("_sandbox/requests");
        var first = new List<S3Version>();
        await foreach (var v in S3VersionLister.ListAsync(s3, new S3VersionQuery(bucket)))
        {
            first.Add(v);
            if (first.Count == 5) break;
        }
        Assert.Equal(1, await RequestsAsync("ListObjectVersions"));
    }

    [Theory]
    [MemberData(nameof(VersionOrders))]
    public async Task Undelete_under_a_prefix_removes_delete_markers_and_copies_nothing(string order)
    {
        await using var listing = await VersionOrderAsync(order);
        using var client = NewClient();
        var s3 = client.ForRegion();
        var bucket = await BucketAsync("t-undelete");
        await PutManyAsync(s3, bucket, Enumerable.Range(0, 30).Select(i => ($"docs/{i:00}.pdf", $"doc {i}")));
        var before = await CurrentAsync(s3, bucket);
        foreach (var i in Enumerable.Range(0, 10)) await s3.DeleteObjectAsync(bucket, $"docs/{i * 3:00}.pdf");
        await s3.DeleteObjectAsync(bucket, "docs/03.pdf"); // a second delete marker on the same key
        Assert.Equal(20, (await CurrentAsync(s3, bucket)).Count);

        await Sandbox.Http.DeleteAsync("_sandbox/requests");
        var results = await RestoreAsync(client, new S3RestoreRequest { Bucket = bucket, Prefix = "docs/" });
        Assert.Equal(10, results.Count);
        Assert.All(results, r => Assert.Equal((S3RestoreStatus.Restored, S3RestoreAction.RemovedDeleteMarker), (r.Status, r.Action)));
        Assert.Equal(2, results.Single(r => r.Key == "docs/03.pdf").DeleteMarkersRemoved);
        Assert.Equal(before, await CurrentAsync(s3, bucket));
        Assert.Equal(0, await RequestsAsync("CopyObject"));
        Assert.Equal(1, await RequestsAsync("DeleteObjects"));

        var again = await RestoreAsync(client, new S3RestoreRequest { Bucket = bucket, Key = "docs/00.pdf" });
        Assert.Equal(S3RestoreStatus.AlreadyCurrent, Assert.Single(again).Status);
        var none = await RestoreAsync(client, new S3RestoreRequest { Bucket = bucket, Key = "docs/never.pdf" });
        Assert.Equal(S3RestoreStatus.NotFound, Assert.Single(none).Status);
    }

    /// <summary>A key's versions, newest first, as (version id, is a delete marker).</summary>
    private static async Task<List<(string VersionId, bool IsDeleteMarker)>> HistoryAsync(IAmazonS3 s3, string bucket, string key)
    {
        var list = new List<(string, bool)>();
        await foreach (var v in S3VersionLister.ListAllAsync(s3, bucket, key, key)) list.Add((v.VersionId, v.IsDeleteMarker));
        return list;
    }

    private static async Task<List<string>> DeleteTimesAsync(IAmazonS3 s3, string bucket, string key, int times)
    {
        var markers = new List<string>();
        for (var i = 0; i < times; i++)
        {
            var marker = await s3.DeleteObjectAsync(bucket, key);
            Assert.Equal("true", marker.DeleteMarker);
            markers.Add(marker.VersionId);
        }
        return markers;
    }

    [Theory]
    [MemberData(nameof(VersionOrders))]
    public async Task Undelete_removes_every_stacked_delete_marker_and_the_newest_version_becomes_current(string order)
    {
        await using var listing = await VersionOrderAsync(order);
        using var client = NewClient();
        var s3 = client.ForRegion();
        var bucket = await BucketAsync("t-stacked");
        // s/a.pdf: two versions under three markers. s/b.pdf: a version, a marker, a newer version, then four markers.
        // s/ghost.pdf: three markers and no version at all.
        var a1 = await s3.PutObjectAsync(new PutObjectRequest { BucketName = bucket, Key = "s/a.pdf", ContentBody = "a1" });
        var a2 = await s3.PutObjectAsync(new PutObjectRequest { BucketName = bucket, Key = "s/a.pdf", ContentBody = "a2" });
        var aMarkers = await DeleteTimesAsync(s3, bucket, "s/a.pdf", 3);
        var b1 = await s3.PutObjectAsync(new PutObjectRequest { BucketName = bucket, Key = "s/b.pdf", ContentBody = "b1" });
        var bOld = Assert.Single(await DeleteTimesAsync(s3, bucket, "s/b.pdf", 1));
        var b2 = await s3.PutObjectAsync(new PutObjectRequest { BucketName = bucket, Key = "s/b.pdf", ContentBody = "b2" });
        var bMarkers = await DeleteTimesAsync(s3, bucket, "s/b.pdf", 4);
        var ghostMarkers = await DeleteTimesAsync(s3, bucket, "s/ghost.pdf", 3);
        Assert.Empty(await CurrentAsync(s3, bucket));

        await Sandbox.Http.DeleteAsync("_sandbox/requests");
        var results = await RestoreAsync(client, new S3RestoreRequest { Bucket = bucket, Prefix = "s/" });
        Assert.Equal(new[] { "s/a.pdf", "s/b.pdf", "s/ghost.pdf" }, results.Select(r => r.Key).OrderBy(k => k, StringComparer.Ordinal));
        var a = results.Single(r => r.Key == "s/a.pdf");
        Assert.Equal((S3RestoreStatus.Restored, S3RestoreAction.RemovedDeleteMarker, 3, a2.VersionId), (a.Status, a.Action, a.DeleteMarkersRemoved, a.VersionId));
        var b = results.Single(r => r.Key == "s/b.pdf");
        Assert.Equal((S3RestoreStatus.Restored, S3RestoreAction.RemovedDeleteMarker, 4, b2.VersionId), (b.Status, b.Action, b.DeleteMarkersRemoved, b.VersionId));
        var ghost = results.Single(r => r.Key == "s/ghost.pdf");
        Assert.Equal((S3RestoreStatus.NotFound, 0), (ghost.Status, ghost.DeleteMarkersRemoved));

        // Nothing copied: the newest real versions are current again, by their own version ids.
        Assert.Equal(0, await RequestsAsync("CopyObject"));
        Assert.Equal(1, await RequestsAsync("DeleteObjects"));
        Assert.Equal(new SortedDictionary<string, string>(StringComparer.Ordinal) { ["s/a.pdf"] = "a2", ["s/b.pdf"] = "b2" }, await CurrentAsync(s3, bucket));
        Assert.Equal(new[] { (a2.VersionId, false), (a1.VersionId, false) }, await HistoryAsync(s3, bucket, "s/a.pdf"));
        // Only the markers above the newest version went; the older marker stays in the history.
        Assert.Equal(new[] { (b2.VersionId, false), (bOld, true), (b1.VersionId, false) }, await HistoryAsync(s3, bucket, "s/b.pdf"));
        Assert.Equal(ghostMarkers.AsEnumerable().Reverse().Select(m => (m, true)), await HistoryAsync(s3, bucket, "s/ghost.pdf"));
        Assert.Equal(3, aMarkers.Distinct().Count());
        Assert.Equal(4, bMarkers.Distinct().Count());
    }

    [Theory]
    [MemberData(nameof(VersionOrders))]
    public async Task AsOf_over_stacked_delete_markers_restores_what_was_current_then(string order)
    {
        await using var listing = await VersionOrderAsync(order);
        using var client = NewClient();
        var s3 = client.ForRegion();
        var bucket = await BucketAsync("t-asof-stacked");
        var keys = new[] { "m/between", "m/after-v2", "m/after-v1" }; // one key per restore, each with the same history
        var clock = Sandbox.Host.Context.Clock;
        async Task<DateTimeOffset> PauseAsync()
        {
            await Task.Delay(30);
            var at = clock.UtcNow;
            await Task.Delay(30);
            return at;
        }
        var v1 = new Dictionary<string, string>();
        var v2 = new Dictionary<string, string>();
        foreach (var k in keys) v1[k] = (await s3.PutObjectAsync(new PutObjectRequest { BucketName = bucket, Key = k, ContentBody = "one" })).VersionId;
        var afterV1 = await PauseAsync();
        foreach (var k in keys) v2[k] = (await s3.PutObjectAsync(new PutObjectRequest { BucketName = bucket, Key = k, ContentBody = "two" })).VersionId;
        var beforeMarkers = await PauseAsync();
        foreach (var k in keys) await DeleteTimesAsync(s3, bucket, k, 1);
        var betweenFirstAndSecond = await PauseAsync();
        foreach (var k in keys) await DeleteTimesAsync(s3, bucket, k, 1);
        var betweenSecondAndThird = await PauseAsync();
        foreach (var k in keys) await DeleteTimesAsync(s3, bucket, k, 1);
        var history = new Dictionary<string, List<(string, bool)>>();
        foreach (var k in keys)
        {
            history[k] = await HistoryAsync(s3, bucket, k);
            Assert.Equal(new[] { true, true, true, false, false }, history[k].Select(h => h.Item2));
        }

        // A time between markers: the key was deleted then and is deleted now, so nothing changes.
        await Sandbox.Http.DeleteAsync("_sandbox/requests");
        foreach (var at in new[] { betweenFirstAndSecond, betweenSecondAndThird })
        {
            var same = Assert.Single(await RestoreAsync(client, new S3RestoreRequest { Bucket = bucket, Key = "m/between", AsOf = at }));
            Assert.Equal((S3RestoreStatus.AlreadyCurrent, S3RestoreAction.None, 0), (same.Status, same.Action, same.DeleteMarkersRemoved));
        }
        Assert.Equal(history["m/between"], await HistoryAsync(s3, bucket, "m/between"));
        Assert.Equal(0, await RequestsAsync("CopyObject") + await RequestsAsync("DeleteObjects") + await RequestsAsync("DeleteObject"));

        // Before all markers, with the newest version current then: the three markers go, nothing is copied.
        var undeleted = Assert.Single(await RestoreAsync(client, new S3RestoreRequest { Bucket = bucket, Key = "m/after-v2", AsOf = beforeMarkers }));
        Assert.Equal((S3RestoreStatus.Restored, S3RestoreAction.RemovedDeleteMarker, 3, v2["m/after-v2"]), (undeleted.Status, undeleted.Action, undeleted.DeleteMarkersRemoved, undeleted.VersionId));
        Assert.Equal(new[] { (v2["m/after-v2"], false), (v1["m/after-v2"], false) }, await HistoryAsync(s3, bucket, "m/after-v2"));
        Assert.Equal(0, await RequestsAsync("CopyObject"));

        // Before all markers, with an older version current then: that version is copied on top, the markers stay as history.
        var copied = Assert.Single(await RestoreAsync(client, new S3RestoreRequest { Bucket = bucket, Key = "m/after-v1", AsOf = afterV1 }));
        Assert.Equal((S3RestoreStatus.Restored, S3RestoreAction.CopiedVersion, v1["m/after-v1"]), (copied.Status, copied.Action, copied.SourceVersionId));
        var after = await HistoryAsync(s3, bucket, "m/after-v1");
        Assert.Equal(6, after.Count);
        Assert.Equal((copied.VersionId!, false), after[0]);
        Assert.Equal(history["m/after-v1"], after.Skip(1));
        Assert.Equal(1, await RequestsAsync("CopyObject"));

        var now = await CurrentAsync(s3, bucket);
        Assert.Equal(new SortedDictionary<string, string>(StringComparer.Ordinal) { ["m/after-v1"] = "one", ["m/after-v2"] = "two" }, now);
    }

    [Theory]
    [MemberData(nameof(VersionOrders))]
    public async Task A_version_restore_copies_it_on_top_and_keeps_history_bad_versions_change_nothing(string order)
    {
        await using var listing = await VersionOrderAsync(order);
        using var client = NewClient();
        var s3 = client.ForRegion();
        var bucket = await BucketAsync("t-version");
        var old = await s3.PutObjectAsync(new PutObjectRequest { BucketName = bucket, Key = "k.pdf", ContentBody = "first" });
        await s3.PutObjectAsync(new PutObjectRequest { BucketName = bucket, Key = "k.pdf", ContentBody = "second" });

        var result = Assert.Single(await RestoreAsync(client, new S3RestoreRequest { Bucket = bucket, Key = "k.pdf", VersionId = old.VersionId }));
        Assert.Equal((S3RestoreStatus.Restored, S3RestoreAction.CopiedVersion, old.VersionId), (result.Status, result.Action, result.SourceVersionId));
        Assert.Equal("first", (await CurrentAsync(s3, bucket))["k.pdf"]);
        Assert.Equal(3, await VersionCountAsync(s3, bucket));

        // The newest version of a deleted key is not current: the delete marker on top is. Making it current copies it on top.
        var deleted = await BucketAsync("t-version-deleted");
        await s3.PutObjectAsync(new PutObjectRequest { BucketName = deleted, Key = "d.pdf", ContentBody = "d1" });
        var newest = await s3.PutObjectAsync(new PutObjectRequest { BucketName = deleted, Key = "d.pdf", ContentBody = "d2" });
        await s3.DeleteObjectAsync(deleted, "d.pdf");
        var undeleted = Assert.Single(await RestoreAsync(client, new S3RestoreRequest { Bucket = deleted, Key = "d.pdf", VersionId = newest.VersionId }));
        Assert.Equal((S3RestoreStatus.Restored, S3RestoreAction.CopiedVersion, newest.VersionId), (undeleted.Status, undeleted.Action, undeleted.SourceVersionId));
        Assert.Equal("d2", (await CurrentAsync(s3, deleted))["d.pdf"]);
        Assert.Equal(4, await VersionCountAsync(s3, deleted));

        var missing = await Assert.ThrowsAsync<OpsException>(() => RestoreAsync(client, new S3RestoreRequest { Bucket = bucket, Key = "k.pdf", VersionId = "A".PadRight(32, 'x') }));
        Assert.Equal("S3VersionNotFound", missing.ErrorId);
        Assert.Equal(3, await VersionCountAsync(s3, bucket));

        var plain = await BucketAsync("t-plain", versioned: false);
        await s3.PutObjectAsync(new PutObjectRequest { BucketName = plain, Key = "k", ContentBody = "x" });
        var unversioned = await Assert.ThrowsAsync<OpsException>(() => RestoreAsync(client, new S3RestoreRequest { Bucket = plain, Key = "k", VersionId = "null" }));
        Assert.Equal("S3BucketNotVersioned", unversioned.ErrorId);

        var badName = await Assert.ThrowsAsync<OpsException>(() => RestoreAsync(client, new S3RestoreRequest { Bucket = "Bad_Bucket", Key = "k" }));
        Assert.Equal("S3BucketNameInvalid", badName.ErrorId);
        var badKey = await Assert.ThrowsAsync<OpsException>(() => RestoreAsync(client, new S3RestoreRequest { Bucket = bucket, Key = new string('k', 1100) }));
        Assert.Equal("S3KeyInvalid", badKey.ErrorId);

        using var readOnly = new S3Client(S3Sandbox.Target(Sandbox.Host, accessKey: S3Service.ReadOnlyAccessKey));
        var errors = new List<OpsException>();
        var denied = Assert.Single(await RestoreAsync(readOnly, new S3RestoreRequest { Bucket = bucket, Key = "k.pdf", VersionId = old.VersionId }, errors));
        Assert.Equal((S3RestoreStatus.Failed, "AccessDenied"), (denied.Status, denied.ErrorId));
        Assert.Equal("AccessDenied", Assert.Single(errors).ErrorId);
        Assert.Equal(3, await VersionCountAsync(s3, bucket));
    }

    [Theory]
    [MemberData(nameof(VersionOrders))]
    public async Task AsOf_returns_a_folder_to_a_point_in_time(string order)
    {
        await using var listing = await VersionOrderAsync(order);
        using var client = NewClient();
        var s3 = client.ForRegion();
        var bucket = await BucketAsync("t-asof");
        await PutManyAsync(s3, bucket, Enumerable.Range(0, 6).Select(i => ($"f/{i}", $"v1 {i}")));
        var then = await CurrentAsync(s3, bucket);
        await Task.Delay(30);
        var asOf = Sandbox.Host.Context.Clock.UtcNow;
        await Task.Delay(30);
        await PutManyAsync(s3, bucket, new[] { ("f/0", "v2 0"), ("f/1", "v2 1"), ("f/new", "new") });
        await s3.DeleteObjectAsync(bucket, "f/2");

        var results = await RestoreAsync(client, new S3RestoreRequest { Bucket = bucket, Prefix = "f/", AsOf = asOf });
        Assert.Equal(7, results.Count);
        Assert.Equal(S3RestoreStatus.NotFound, results.Single(r => r.Key == "f/new").Status);
        Assert.Equal(S3RestoreAction.RemovedDeleteMarker, results.Single(r => r.Key == "f/2").Action);
        Assert.Equal(S3RestoreAction.CopiedVersion, results.Single(r => r.Key == "f/0").Action);
        Assert.Equal(3, results.Count(r => r.Status == S3RestoreStatus.AlreadyCurrent));

        var now = await CurrentAsync(s3, bucket);
        Assert.Equal("new", now["f/new"]);
        now.Remove("f/new");
        Assert.Equal(then, now);

        var removed = await RestoreAsync(client, new S3RestoreRequest { Bucket = bucket, Prefix = "f/", AsOf = asOf, RemoveNewer = true });
        Assert.Equal(S3RestoreAction.DeletedNewer, removed.Single(r => r.Key == "f/new").Action);
        Assert.Equal(then, await CurrentAsync(s3, bucket));
    }

    [Theory]
    [MemberData(nameof(VersionOrders))]
    public async Task A_key_that_begins_another_keys_name_lists_and_restores_by_its_own_entries(string order)
    {
        await using var listing = await VersionOrderAsync(order);
        using var client = NewClient();
        var s3 = client.ForRegion();
        var bucket = await BucketAsync("t-key-prefix");
        // r/a.pdf and r/a.pdf.bak are listed together (one is a prefix of the other); only r/a.pdf is deleted.
        var kept = await s3.PutObjectAsync(new PutObjectRequest { BucketName = bucket, Key = "r/a.pdf", ContentBody = "a" });
        await s3.PutObjectAsync(new PutObjectRequest { BucketName = bucket, Key = "r/a.pdf.bak", ContentBody = "bak" });
        var marker = await s3.DeleteObjectAsync(bucket, "r/a.pdf");

        var one = new List<S3Version>();
        await foreach (var v in S3VersionLister.ListAsync(s3, new S3VersionQuery(bucket, Key: "r/a.pdf"))) one.Add(v);
        Assert.Equal(new[] { (marker.VersionId, true, true), (kept.VersionId, false, false) }, one.Select(v => (v.VersionId, v.IsDeleteMarker, v.IsLatest)));
        var deleted = new List<S3Version>();
        await foreach (var v in S3VersionLister.ListAsync(s3, new S3VersionQuery(bucket, Key: "r/a.pdf", DeletedOnly: true))) deleted.Add(v);
        Assert.Equal(marker.VersionId, Assert.Single(deleted).VersionId);

        var restored = Assert.Single(await RestoreAsync(client, new S3RestoreRequest { Bucket = bucket, Key = "r/a.pdf" }));
        Assert.Equal((S3RestoreStatus.Restored, S3RestoreAction.RemovedDeleteMarker, kept.VersionId), (restored.Status, restored.Action, restored.VersionId));
        Assert.Equal(new SortedDictionary<string, string>(StringComparer.Ordinal) { ["r/a.pdf"] = "a", ["r/a.pdf.bak"] = "bak" }, await CurrentAsync(s3, bucket));
    }

    [Theory]
    [MemberData(nameof(VersionOrders))]
    public async Task Undelete_of_keys_whose_versions_and_delete_markers_fall_on_two_pages(string order)
    {
        await using var listing = await VersionOrderAsync(order);
        using var client = NewClient();
        var s3 = client.ForRegion();
        // 600 keys, each with two versions under a delete marker: 1,800 entries, so the first page (1,000) ends inside key 333,
        // whose delete marker is on the first page and whose versions are on the second.
        var bucket = S3Sandbox.NewBucket("t-two-pages");
        var populate = await Sandbox.Http.PostAsJsonAsync("_sandbox/s3/populate", new { bucket, keys = 600, versions = 2, deleted = true });
        Assert.True(populate.IsSuccessStatusCode, await populate.Content.ReadAsStringAsync());

        var results = await RestoreAsync(client, new S3RestoreRequest { Bucket = bucket, Prefix = "" });
        Assert.Equal(600, results.Count);
        Assert.All(results, r => Assert.Equal((S3RestoreStatus.Restored, S3RestoreAction.RemovedDeleteMarker, 1), (r.Status, r.Action, r.DeleteMarkersRemoved)));
        var deleted = 0;
        await foreach (var _ in S3VersionLister.ListAsync(s3, new S3VersionQuery(bucket, DeletedOnly: true))) deleted++;
        Assert.Equal(0, deleted);
        Assert.Equal(1200, await VersionCountAsync(s3, bucket));
        var split = new List<S3Version>();
        await foreach (var v in S3VersionLister.ListAsync(s3, new S3VersionQuery(bucket, Key: "0000333"))) split.Add(v);
        Assert.Equal((2, true), (split.Count, split[0].IsLatest && split[0].LastModified > split[1].LastModified));
        Assert.Equal(split[0].VersionId, results.Single(r => r.Key == "0000333").VersionId);
    }

    [Fact]
    public async Task Sync_copies_across_regions_then_only_what_changed_and_deletes_extras()
    {
        using var client = NewClient();
        var s3 = client.ForRegion();
        using var west = Client("us-west-2");
        var source = await BucketAsync("t-src", region: "us-west-2");
        var destination = await BucketAsync("t-dst");
        await PutManyAsync(west, source, Enumerable.Range(0, 40).Select(i => ($"a/{i:00}", $"object {i:00}")));
        var request = new S3SyncRequest { Source = new S3Location(source, ""), Destination = new S3Location(destination, "") };

        var first = await new S3BucketSyncer(client).SyncAsync(request, S3Events.Throwing);
        Assert.Equal((40, 0, 0), (first.Copied, first.Skipped, first.Failed));
        Assert.Equal(await CurrentAsync(west, source), await CurrentAsync(s3, destination));

        var second = await new S3BucketSyncer(client).SyncAsync(request, S3Events.Throwing);
        Assert.Equal((0, 40), (second.Copied, second.Skipped));

        // Same size, destination newer: size-and-time misses it, checksums catch it.
        await s3.PutObjectAsync(new PutObjectRequest { BucketName = destination, Key = "a/05", ContentBody = "OBJECT 05" });
        await s3.PutObjectAsync(new PutObjectRequest { BucketName = destination, Key = "extra", ContentBody = "not in source" });
        var blind = await new S3BucketSyncer(client).SyncAsync(request, S3Events.Throwing);
        Assert.Equal(0, blind.Copied);
        var exact = await new S3BucketSyncer(client).SyncAsync(new S3SyncRequest { Source = request.Source, Destination = request.Destination, Compare = S3SyncCompare.Checksum, Delete = true },
            S3Events.Throwing);
        Assert.Equal((1, 39, 1), (exact.Copied, exact.Skipped, exact.Deleted));
        Assert.Equal(await CurrentAsync(west, source), await CurrentAsync(s3, destination));
    }

    [Fact]
    public async Task Sync_names_a_missing_bucket_and_its_side_and_says_what_a_location_takes()
    {
        using var client = NewClient();
        var bucket = await BucketAsync("t-named");
        var missing = S3Sandbox.NewBucket("t-missing");
        var here = new S3Location(bucket, "");
        var there = new S3Location(missing, "in/");
        // Found missing by the region lookup, and (with the region given) by the listing itself.
        foreach (var region in new[] { null, "us-east-1" })
        {
            var noDestination = await Assert.ThrowsAsync<OpsException>(() =>
                new S3BucketSyncer(client).SyncAsync(new S3SyncRequest { Source = here, Destination = there, DestinationRegion = region }, S3Events.Throwing));
            Assert.Equal(("NoSuchBucket", OpsErrorCategory.ObjectNotFound), (noDestination.ErrorId, noDestination.Category));
            Assert.StartsWith($"The destination bucket '{missing}' (-Destination s3://{missing}/in/) does not exist. Nothing was copied.", noDestination.Message);
            Assert.Contains("-CreateDestination", noDestination.RecommendedAction);
        }
        var noSource = await Assert.ThrowsAsync<OpsException>(() =>
            new S3BucketSyncer(client).SyncAsync(new S3SyncRequest { Source = there, Destination = here, SourceRegion = "us-west-2" }, S3Events.Throwing));
        Assert.Equal("NoSuchBucket", noSource.ErrorId);
        Assert.StartsWith($"The source bucket '{missing}' (-Source s3://{missing}/in/) does not exist in us-west-2. Nothing was copied.", noSource.Message);

        // What -Source and -Destination take, and what was given.
        foreach (var text in new[] { "/tmp", "/tmp2/", "./exports", @"C:\data", "http://host/x.dump", "~/backups" })
        {
            var ex = Assert.Throws<OpsException>(() => S3Location.Parse(text, "Source"));
            Assert.Equal(("S3LocationInvalid", OpsErrorCategory.InvalidArgument), (ex.ErrorId, ex.Category));
            Assert.StartsWith($"'{text}' (-Source) is not an S3 location. -Source takes an s3://bucket/ or s3://bucket/prefix/ URI", ex.Message);
            Assert.Contains("Local folders and other URLs are not supported", ex.Message);
        }
        var upper = Assert.Throws<OpsException>(() => S3Location.Parse("s3://UPPER/x", "Destination"));
        Assert.Equal("S3BucketNameInvalid", upper.ErrorId);
        Assert.Contains("-Destination takes an s3://bucket/ or s3://bucket/prefix/ URI", upper.Message);
        Assert.Equal(new S3Location("real-estate-ai-assets", "properties/"), S3Location.Parse("real-estate-ai-assets/properties/", "Source"));
    }

    [Fact]
    public async Task CreateDestination_makes_the_bucket_like_the_source_in_its_region_and_refuses_one_that_holds_objects()
    {
        using var client = NewClient();
        var s3 = client.ForRegion();
        using var west = Client("us-west-2");
        var source = await BucketAsync("t-like-src");
        await PutManyAsync(s3, source, Enumerable.Range(0, 12).Select(i => ($"o/{i:00}", $"object {i}")));
        await s3.PutBucketEncryptionAsync(new PutBucketEncryptionRequest
        {
            BucketName = source,
            ServerSideEncryptionConfiguration = new ServerSideEncryptionConfiguration
            {
                ServerSideEncryptionRules = new List<ServerSideEncryptionRule>
                {
                    new() { ServerSideEncryptionByDefault = new ServerSideEncryptionByDefault { ServerSideEncryptionAlgorithm = ServerSideEncryptionMethod.AWSKMS,
                        ServerSideEncryptionKeyManagementServiceKeyId = "arn:aws:kms:us-east-1:123456789012:alias/assets" }, BucketKeyEnabled = true },
                },
            },
        });
        await s3.PutPublicAccessBlockAsync(new PutPublicAccessBlockRequest
        {
            BucketName = source,
            PublicAccessBlockConfiguration = new PublicAccessBlockConfiguration { BlockPublicAcls = true, IgnorePublicAcls = true, BlockPublicPolicy = true, RestrictPublicBuckets = true },
        });
        await s3.PutLifecycleConfigurationAsync(new PutLifecycleConfigurationRequest
        {
            BucketName = source,
            Configuration = new LifecycleConfiguration
            {
                Rules = new List<LifecycleRule>
                {
                    new() { Id = "expire-noncurrent", Status = LifecycleRuleStatus.Enabled, Filter = new LifecycleFilter { Prefix = "o/" },
                        NoncurrentVersionExpiration = new LifecycleRuleNoncurrentVersionExpiration { NoncurrentDays = 30 } },
                },
            },
        });

        var destination = S3Sandbox.NewBucket("t-like-dst");
        var request = new S3SyncRequest { Source = new S3Location(source, "o/"), Destination = new S3Location(destination, "o/"), DestinationRegion = "us-west-2", CreateDestination = true };
        var plan = await new S3BucketSyncer(client).PlanAsync(request);
        Assert.Equal((S3DestinationSetup.Create, "us-west-2", 12L, 0L), (plan.DestinationSetup, plan.DestinationRegion, plan.ToCopy, plan.DestinationCount));
        Assert.Equal($"Create bucket '{destination}' in us-west-2 like s3://{source}: versioning Enabled, default encryption aws:kms with key arn:aws:kms:us-east-1:123456789012:alias/assets, " +
                     "public access block (all four settings on), lifecycle rule expire-noncurrent", plan.DescribeSetup());
        // The plan made nothing: the copies may not run before the bucket is made.
        Assert.DoesNotContain(destination, (await s3.ListBucketsAsync()).Buckets.Select(b => b.BucketName));
        await Assert.ThrowsAsync<InvalidOperationException>(() => new S3BucketSyncer(client).ExecuteAsync(plan));

        var events = new S3Events();
        var result = await new S3BucketSyncer(client).SyncAsync(request, events);
        Assert.Empty(events.Failures);
        Assert.Equal((S3DestinationSetup.Create, 12L, 0L), (result.DestinationSetup, result.Copied, result.Failed));
        Assert.Contains(events.Notes, n => n == $"Created bucket '{destination}' in us-west-2.");
        // The source's key is of us-east-1: the bucket in us-west-2 cannot use it, and that is said.
        Assert.Contains(events.All.OfType<OpsNote>(), n => n.Level == OpsNoteLevel.Warning && n.Message.Contains("arn:aws:kms:us-east-1:123456789012:alias/assets of us-east-1"));

        Assert.Equal("us-west-2", (await s3.GetBucketLocationAsync(destination)).Location.Value);
        Assert.Equal(VersionStatus.Enabled, (await west.GetBucketVersioningAsync(new GetBucketVersioningRequest { BucketName = destination })).VersioningConfig.Status);
        var encryption = (await west.GetBucketEncryptionAsync(new GetBucketEncryptionRequest { BucketName = destination })).ServerSideEncryptionConfiguration.ServerSideEncryptionRules.Single();
        Assert.Equal(("aws:kms", "arn:aws:kms:us-east-1:123456789012:alias/assets", true),
            (encryption.ServerSideEncryptionByDefault.ServerSideEncryptionAlgorithm.Value, encryption.ServerSideEncryptionByDefault.ServerSideEncryptionKeyManagementServiceKeyId, encryption.BucketKeyEnabled));
        var block = (await west.GetPublicAccessBlockAsync(new GetPublicAccessBlockRequest { BucketName = destination })).PublicAccessBlockConfiguration;
        Assert.True(block.BlockPublicAcls == true && block.IgnorePublicAcls == true && block.BlockPublicPolicy == true && block.RestrictPublicBuckets == true);
        var rule = (await west.GetLifecycleConfigurationAsync(new GetLifecycleConfigurationRequest { BucketName = destination })).Configuration.Rules.Single();
        Assert.Equal(("expire-noncurrent", "o/", 30), (rule.Id, rule.Filter?.Prefix ?? (rule.Filter?.LifecycleFilterPredicate as LifecyclePrefixPredicate)?.Prefix, rule.NoncurrentVersionExpiration.NoncurrentDays));
        Assert.Equal(await CurrentAsync(s3, source), await CurrentAsync(west, destination));

        // Again: the bucket exists and holds objects. Refused, nothing changed; without the switch it syncs as usual.
        var again = await Assert.ThrowsAsync<OpsException>(() => new S3BucketSyncer(client).SyncAsync(request, S3Events.Throwing));
        Assert.Equal(("S3DestinationBucketNotEmpty", OpsErrorCategory.ResourceExists), (again.ErrorId, again.Category));
        Assert.Contains("without -CreateDestination", again.RecommendedAction);
        var plain = await new S3BucketSyncer(client).SyncAsync(new S3SyncRequest { Source = request.Source, Destination = request.Destination }, S3Events.Throwing);
        Assert.Equal((S3DestinationSetup.None, 0L, 12L), (plain.DestinationSetup, plain.Copied, plain.Skipped));

        // An existing bucket that holds nothing is given the source's settings; a source without any gives none.
        var bare = await BucketAsync("t-like-bare", versioned: false);
        var empty = await BucketAsync("t-like-empty", versioned: false);
        var configured = await new S3BucketSyncer(client).SyncAsync(new S3SyncRequest { Source = new S3Location(source, ""), Destination = new S3Location(empty, ""), CreateDestination = true },
            S3Events.Throwing);
        Assert.Equal((S3DestinationSetup.Configure, 12L), (configured.DestinationSetup, configured.Copied));
        Assert.Equal(VersionStatus.Enabled, (await s3.GetBucketVersioningAsync(new GetBucketVersioningRequest { BucketName = empty })).VersioningConfig.Status);
        var fromBare = await new S3BucketSyncer(client).PlanAsync(new S3SyncRequest { Source = new S3Location(bare, ""), Destination = new S3Location(S3Sandbox.NewBucket("t-like-none"), ""), CreateDestination = true });
        Assert.EndsWith("versioning never enabled (left off), default encryption AES256, no public access block, no lifecycle rules", fromBare.DescribeSetup());
    }

    [Fact]
    public async Task Sync_refuses_overlapping_locations_and_copies_large_objects_in_parts()
    {
        using var client = NewClient();
        var s3 = client.ForRegion();
        var bucket = await BucketAsync("t-large");
        var overlap = await Assert.ThrowsAsync<OpsException>(() => new S3BucketSyncer(client).SyncAsync(
            new S3SyncRequest { Source = new S3Location(bucket, "data/"), Destination = new S3Location(bucket, "data/copy/") }, S3Events.Throwing));
        Assert.Equal("S3SyncDestinationInsideSource", overlap.ErrorId);
        Assert.Equal("S3BucketNameInvalid", Assert.Throws<OpsException>(() => S3Location.Parse("s3://UPPER/x", "Source")).ErrorId);

        var big = new byte[11 * 1024 * 1024 + 7];
        new Random(3).NextBytes(big);
        await s3.PutObjectAsync(new PutObjectRequest { BucketName = bucket, Key = "data/big.bin", InputStream = new MemoryStream(big) });
        await Sandbox.Http.DeleteAsync("_sandbox/requests");
        var result = await new S3BucketSyncer(client).SyncAsync(new S3SyncRequest
        {
            Source = new S3Location(bucket, "data/"), Destination = new S3Location(bucket, "copy/"), MultipartThreshold = 5 * 1024 * 1024, PartSize = 5 * 1024 * 1024,
        }, S3Events.Throwing);
        Assert.Equal((1, big.LongLength), (result.Copied, result.Bytes));
        Assert.Equal(3, await RequestsAsync("UploadPartCopy"));
        using var get = await s3.GetObjectAsync(bucket, "copy/big.bin");
        var ms = new MemoryStream();
        await get.ResponseStream.CopyToAsync(ms);
        Assert.Equal(big, ms.ToArray());
    }

    [Fact]
    public async Task An_interrupted_sync_loses_nothing_and_the_rerun_completes_it()
    {
        using var client = NewClient();
        var s3 = client.ForRegion();
        var source = await BucketAsync("t-isrc");
        var destination = await BucketAsync("t-idst");
        await PutManyAsync(s3, source, Enumerable.Range(0, 120).Select(i => ($"o/{i:000}", $"payload {i}")));
        var request = new S3SyncRequest { Source = new S3Location(source, ""), Destination = new S3Location(destination, ""), ThrottleLimit = 4 };

        using var cts = new CancellationTokenSource();
        var log = new S3ChangeLog();
        var progress = new S3Events(e => { if (e is OpsProgress && log.ChangedCount >= 30) cts.Cancel(); }, throwOnFailure: true);
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => new S3BucketSyncer(client).SyncAsync(request, progress, log, cts.Token));
        var partial = await CurrentAsync(s3, destination);
        Assert.InRange(partial.Count, 30, 119);
        var sourceState = await CurrentAsync(s3, source);
        Assert.All(partial, kv => Assert.Equal(sourceState[kv.Key], kv.Value)); // what was copied is whole

        var rerun = await new S3BucketSyncer(client).SyncAsync(request, S3Events.Throwing);
        Assert.Equal(120 - partial.Count, rerun.Copied);
        Assert.Equal(sourceState, await CurrentAsync(s3, destination));
    }

    [Fact]
    public async Task Protection_check_passes_for_the_seeded_assets_and_names_what_fails()
    {
        using var client = NewClient();
        var assets = await new S3ProtectionChecker(client).CheckAsync(S3Seed.AssetsBucket, S3Events.Throwing);
        Assert.True(assets.Passed, string.Join(", ", assets.FailedChecks));
        Assert.Equal(new[] { S3Seed.DrBucket }, assets.ReplicationDestinations);
        Assert.Equal("aws:kms", assets.EncryptionAlgorithm);

        var dr = await new S3ProtectionChecker(client).CheckAsync(S3Seed.DrBucket, S3Events.Throwing);
        Assert.Equal("us-west-2", dr.Region);
        Assert.Equal(new[] { "Replication" }, dr.FailedChecks);

        var plain = await BucketAsync("t-unprotected", versioned: false);
        var bare = await new S3ProtectionChecker(client).CheckAsync(plain, S3Events.Throwing);
        Assert.False(bare.Passed);
        Assert.Equal(new[] { "Versioning", "Replication", "Lifecycle", "PublicAccessBlock" }, bare.FailedChecks);
        Assert.Equal("AES256", bare.EncryptionAlgorithm); // S3's default encryption applies to every bucket

        // Replication to a bucket in the same region is not cross-region replication.
        using var s3 = Client();
        var source = await BucketAsync("t-srr-src");
        var sameRegion = await BucketAsync("t-srr-dst");
        await s3.PutBucketReplicationAsync(new PutBucketReplicationRequest
        {
            BucketName = source,
            Configuration = new ReplicationConfiguration
            {
                Role = "arn:aws:iam::123456789012:role/replication",
                Rules = new List<ReplicationRule> { new() { Id = "srr", Status = ReplicationRuleStatus.Enabled, Filter = new ReplicationRuleFilter { Prefix = "" }, Priority = 1,
                    DeleteMarkerReplication = new DeleteMarkerReplication { Status = DeleteMarkerReplicationStatus.Disabled },
                    Destination = new ReplicationDestination { BucketArn = "arn:aws:s3:::" + sameRegion } } },
            },
        });
        var srr = await new S3ProtectionChecker(client).CheckAsync(source, S3Events.Throwing);
        var replication = srr.Checks.Single(c => c.Name == S3ProtectionPoint.Replication);
        Assert.False(replication.Passed);
        Assert.Contains("same region", replication.Detail);
        Assert.Contains("us-west-2", assets.Checks.Single(c => c.Name == S3ProtectionPoint.Replication).Detail);

        var missing = await Assert.ThrowsAsync<OpsException>(() => new S3ProtectionChecker(client).CheckAsync("no-such-bucket-anywhere", S3Events.Throwing));
        Assert.Equal("NoSuchBucket", missing.ErrorId);
    }

}

/// <summary>With 20% of S3 requests failing (throttling, 503, 500), restore and sync end in the same state as without faults.</summary>
[Collection(S3Collection.Name)]
public class S3ReliabilityTests : S3TestBase, IClassFixture<SandboxFixture>
{
    public S3ReliabilityTests(SandboxFixture sandbox) : base(sandbox) { }

    private async Task<(string Restored, string Synced, string Source)> PrepareAsync(AmazonS3Client s3)
    {
        var restored = await BucketAsync("t-rel-r");
        var source = await BucketAsync("t-rel-s");
        var synced = await BucketAsync("t-rel-d");
        await PutManyAsync(s3, restored, Enumerable.Range(0, 60).Select(i => ($"p/{i:00}", $"r {i}")));
        foreach (var i in Enumerable.Range(0, 20)) await s3.DeleteObjectAsync(restored, $"p/{i * 3:00}");
        await PutManyAsync(s3, source, Enumerable.Range(0, 80).Select(i => ($"s/{i:00}", $"s {i}")));
        await PutManyAsync(s3, synced, Enumerable.Range(0, 10).Select(i => ($"s/{i:00}", $"s {i}")));
        await PutManyAsync(s3, synced, new[] { ("s/extra", "x") });
        return (restored, synced, source);
    }

    private static async Task RunAsync(S3Client client, (string Restored, string Synced, string Source) b)
    {
        var errors = new List<OpsException>();
        var results = await RestoreAsync(client, new S3RestoreRequest { Bucket = b.Restored, Prefix = "p/" }, errors);
        Assert.Empty(errors);
        Assert.Equal(20, results.Count(r => r.Status == S3RestoreStatus.Restored));
        var events = new S3Events();
        var sync = await new S3BucketSyncer(client).SyncAsync(new S3SyncRequest { Source = new S3Location(b.Source, ""), Destination = new S3Location(b.Synced, ""), Delete = true },
            events);
        Assert.Empty(events.Failures);
        Assert.Equal((70, 0, 1), (sync.Copied, sync.Failed, sync.Deleted));
    }

    [Fact]
    public async Task Restore_and_sync_reach_the_same_state_with_twenty_percent_faults()
    {
        using var s3 = Client();
        var calm = await PrepareAsync(s3);
        var stormy = await PrepareAsync(s3);
        using (var client = NewClient()) await RunAsync(client, calm);

        await Sandbox.Http.DeleteAsync("_sandbox/requests");
        await Sandbox.Http.PutAsJsonAsync("_sandbox/faults/s3", new { errorRate = 0.2 });
        try
        {
            var quick = new RealEstateOps.Engine.Http.RetryPolicy { MaxAttempts = 10, BaseDelay = TimeSpan.FromMilliseconds(5), MaxDelay = TimeSpan.FromMilliseconds(100) };
            using var client = new S3Client(S3Sandbox.Target(Sandbox.Host), quick);
            await RunAsync(client, stormy);
            // The SDK's own uploads (aws-chunked streams) survive faults too, through the one retry handler.
            using var sdk = S3ClientFactory.Create(S3Sandbox.Target(Sandbox.Host), quick);
            for (var i = 0; i < 10; i++)
                await sdk.PutObjectAsync(new PutObjectRequest { BucketName = stormy.Synced, Key = $"up/{i}", InputStream = new MemoryStream(Encoding.UTF8.GetBytes($"uploaded {i}")) });
        }
        finally
        {
            await Sandbox.Http.DeleteAsync("_sandbox/faults");
        }
        var counts = JsonNode.Parse(await Sandbox.Http.GetStringAsync("_sandbox/requests"))!;
        Assert.True((long)counts["faultsInjected"]! > 10, counts.ToJsonString());

        Assert.Equal(await CurrentAsync(s3, calm.Restored), await CurrentAsync(s3, stormy.Restored));
        var stormySynced = await CurrentAsync(s3, stormy.Synced);
        Assert.Equal(Enumerable.Range(0, 10).Select(i => $"uploaded {i}"), Enumerable.Range(0, 10).Select(i => stormySynced[$"up/{i}"]));
        foreach (var i in Enumerable.Range(0, 10)) stormySynced.Remove($"up/{i}");
        Assert.Equal(await CurrentAsync(s3, calm.Synced), stormySynced);
    }
}
