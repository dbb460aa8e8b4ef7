using System.Net.Http.Json;
using System.Net;
using System.Net.Sockets;
using System.Text;
using Amazon.Runtime;
using Amazon.S3;
using Amazon.S3.Model;
using RealEstateOps.Engine.Aws;
using RealEstateOps.Engine.Common;
using RetryPolicy = RealEstateOps.Engine.Http.RetryPolicy;
using RealEstateOps.Engine.S3;
using RealEstateOps.Engine.Tests.Support;
using S3Location = RealEstateOps.Engine.S3.S3Location;

namespace RealEstateOps.Engine.Tests.S3;

/// <summary>
/// A scripted S3 endpoint on loopback: each request is answered by the test's function (status, body),
/// so that a test can return a 503 once, repeat a paging marker, or never answer.
/// </summary>
public sealed class ScriptedS3 : IDisposable
{
    private readonly HttpListener _listener = new();
    private readonly Func<HttpListenerRequest, int, (int Status, string Body)?> _answer;
    private readonly CancellationTokenSource _stop = new();
    private int _count;

    public ScriptedS3(Func<HttpListenerRequest, int, (int Status, string Body)?> answer)
    {
        _answer = answer;
        var port = Ports.Free();
        Url = $"http://127.0.0.1:{port}/";
        _listener.Prefixes.Add(Url);
        _listener.Start();
        _ = Task.Run(LoopAsync);
    }

    public string Url { get; }
    public int Count => Volatile.Read(ref _count);
    public List<string> Requests { get; } = new();

    public AwsTarget Target => new("s3", new Resolved<string>("us-east-1", "test"), new Resolved<string>(Url, "test"),
        new BasicAWSCredentials("AKIASCRIPTED00000000", "scripted/secret/key/not/a/real/one/00000"), "test");

    private async Task LoopAsync()
    {
        while (!_stop.IsCancellationRequested)
        {
            HttpListenerContext context;
            try { context = await _listener.GetContextAsync(); }
            catch (Exception) { return; }
            var n = Interlocked.Increment(ref _count);
            lock (Requests) Requests.Add($"{context.Request.HttpMethod} {context.Request.Url?.PathAndQuery}");
            var answer = _answer(context.Request, n);
            if (answer is null) continue; // never answered: the client times out
            var (status, body) = answer.Value;
            var bytes = Encoding.UTF8.GetBytes(body);
            context.Response.StatusCode = status;
            context.Response.ContentType = "application/xml";
            context.Response.ContentLength64 = bytes.Length;
            try
            {
                await context.Response.OutputStream.WriteAsync(bytes);
                context.Response.Close();
            }
            catch (Exception) { /* the client went away */ }
        }
    }

    public const string Ns = "http://s3.amazonaws.com/doc/2006-03-01/";

    public static string Error(string code) => $"<?xml version=\"1.0\" encoding=\"UTF-8\"?><Error><Code>{code}</Code><Message>{code} (scripted)</Message><RequestId>R1</RequestId></Error>";

    public static string Buckets(params string[] names) =>
        $"<?xml version=\"1.0\" encoding=\"UTF-8\"?><ListAllMyBucketsResult xmlns=\"{Ns}\"><Owner><ID>o</ID><DisplayName>o</DisplayName></Owner><Buckets>" +
        string.Concat(names.Select(n => $"<Bucket><Name>{n}</Name><CreationDate>2026-01-01T00:00:00.000Z</CreationDate></Bucket>")) + "</Buckets></ListAllMyBucketsResult>";

    public void Dispose()
    {
        _stop.Cancel();
        try { _listener.Stop(); _listener.Close(); } catch (ObjectDisposedException) { }
    }
}

/// <summary>The S3 client cache, paging markers and transport failures, against a scripted endpoint (no sandbox).</summary>
public class S3TransportTests
{
    private static readonly RetryPolicy Quick = new() { MaxAttempts = 3, BaseDelay = TimeSpan.FromMilliseconds(1), MaxDelay = TimeSpan.FromMilliseconds(5) };

    [Fact]
    public async Task A_single_attempt_completer_client_does_not_turn_off_retries_for_the_next_client()
    {
        // Only the third request gets the bucket list; every other one a 503.
        using var server = new ScriptedS3((_, n) => n == 3 ? (200, ScriptedS3.Buckets("one", "two")) : (503, ScriptedS3.Error("SlowDown")));
        var completerNotes = new S3Events();
        using (var completer = new S3Client(server.Target, new RetryPolicy { MaxAttempts = 1 }, completerNotes))
        {
            var refused = await Assert.ThrowsAsync<OpsException>(() => completer.ListBucketNamesAsync(CancellationToken.None));
            Assert.Equal("SlowDown", refused.ErrorId);
        }
        Assert.Equal(1, server.Count);

        // A command's client after it: its own policy (the default: retries) and its own listener for notes.
        var commandNotes = new S3Events();
        using (var command = new S3Client(server.Target, events: commandNotes))
            Assert.Equal(new[] { "one", "two" }, await command.ListBucketNamesAsync(CancellationToken.None));
        Assert.Equal(3, server.Count);
        Assert.Contains(commandNotes.All, e => e is OpsNote { Level: OpsNoteLevel.Verbose } n && n.Message.Contains("attempt 1 failed (HTTP 503)"));
        Assert.Empty(completerNotes.All);

        // And the other way round: a retrying client first does not make a later single-attempt one retry.
        using (var again = new S3Client(server.Target, new RetryPolicy { MaxAttempts = 1 }))
            await Assert.ThrowsAsync<OpsException>(() => again.ListBucketNamesAsync(CancellationToken.None));
        Assert.Equal(4, server.Count);
    }

    [Fact]
    public async Task A_server_that_repeats_its_paging_marker_stops_the_listing_with_S3PagingLoop()
    {
        // Truncated pages whose next markers never advance; after 50 listings the script gives up with a 500 (so old code fails instead of hanging).
        var versionsPage = $"<?xml version=\"1.0\" encoding=\"UTF-8\"?><ListVersionsResult xmlns=\"{ScriptedS3.Ns}\"><Name>b</Name><Prefix></Prefix><KeyMarker></KeyMarker>" +
            "<VersionIdMarker></VersionIdMarker><NextKeyMarker>a</NextKeyMarker><NextVersionIdMarker>v1</NextVersionIdMarker><MaxKeys>1000</MaxKeys><IsTruncated>true</IsTruncated>" +
            "<Version><Key>a</Key><VersionId>v1</VersionId><IsLatest>true</IsLatest><LastModified>2026-01-01T00:00:00.000Z</LastModified><ETag>\"e\"</ETag><Size>1</Size><StorageClass>STANDARD</StorageClass></Version>" +
            "</ListVersionsResult>";
        var objectsPage = $"<?xml version=\"1.0\" encoding=\"UTF-8\"?><ListBucketResult xmlns=\"{ScriptedS3.Ns}\"><Name>b</Name><Prefix></Prefix><KeyCount>1</KeyCount><MaxKeys>1000</MaxKeys>" +
            "<IsTruncated>true</IsTruncated><NextContinuationToken>same-token</NextContinuationToken>" +
            "<Contents><Key>a</Key><LastModified>2026-01-01T00:00:00.000Z</LastModified><ETag>\"e\"</ETag><Size>1</Size><StorageClass>STANDARD</StorageClass></Contents></ListBucketResult>";
        using var server = new ScriptedS3((request, n) =>
            n > 50 ? (500, ScriptedS3.Error("InternalError")) :
            request.QueryString.AllKeys.Contains("versions") || (request.Url?.Query.Contains("versions") ?? false) ? (200, versionsPage) :
            request.HttpMethod == "GET" ? (200, objectsPage) : (400, ScriptedS3.Error("NotExpected")));
        using var client = new S3Client(server.Target, Quick);

        var loop = await Assert.ThrowsAsync<OpsException>(async () =>
        {
            await foreach (var _ in S3VersionLister.ListAsync(client.ForRegion(), new S3VersionQuery("b"))) { }
        });
        Assert.Equal(("S3PagingLoop", OpsErrorCategory.InvalidResult), (loop.ErrorId, loop.Category));
        Assert.Equal(2, server.Count);

        var sync = await Assert.ThrowsAsync<OpsException>(() => new S3BucketSyncer(client).SyncAsync(new S3SyncRequest
        {
            Source = new S3Location("src-bucket", ""), Destination = new S3Location("dst-bucket", ""), SourceRegion = "us-east-1", DestinationRegion = "us-east-1", Delete = true,
        }, S3Events.Throwing));
        Assert.Equal("S3PagingLoop", sync.ErrorId);
        Assert.Equal(4, server.Count);
        Assert.All(server.Requests, r => Assert.StartsWith("GET ", r)); // nothing was copied or deleted
    }

    [Fact]
    public async Task Connection_refused_is_S3Unreachable_no_answer_is_S3Timeout_and_a_cancel_stays_a_cancel()
    {
        var closed = new AwsTarget("s3", new Resolved<string>("us-east-1", "test"), new Resolved<string>($"http://127.0.0.1:{Ports.Free()}/", "test"),
            new BasicAWSCredentials("AKIASCRIPTED00000000", "scripted/secret/key/not/a/real/one/00000"), "test");
        using (var client = new S3Client(closed, Quick))
        {
            var refused = await Assert.ThrowsAsync<OpsException>(() => client.ForBucketAsync("some-bucket", null, CancellationToken.None));
            Assert.Equal(("S3Unreachable", OpsErrorCategory.ConnectionError), (refused.ErrorId, refused.Category));
            var listing = await Assert.ThrowsAsync<OpsException>(async () =>
            {
                await foreach (var _ in S3VersionLister.ListAsync(client.ForRegion(), new S3VersionQuery("some-bucket"))) { }
            });
            Assert.Equal("S3Unreachable", listing.ErrorId);
        }

        using var silent = new ScriptedS3((_, _) => null);
        using (var client = new S3Client(silent.Target, new RetryPolicy { MaxAttempts = 2, BaseDelay = TimeSpan.FromMilliseconds(1) }, attemptTimeout: TimeSpan.FromMilliseconds(300)))
        {
            var timeout = await Assert.ThrowsAsync<OpsException>(() => client.ListBucketNamesAsync(CancellationToken.None));
            Assert.Equal(("S3Timeout", OpsErrorCategory.OperationTimeout), (timeout.ErrorId, timeout.Category));
        }
        using (var client = new S3Client(silent.Target, attemptTimeout: TimeSpan.FromMinutes(5)))
        {
            using var cts = new CancellationTokenSource(TimeSpan.FromMilliseconds(200));
            await Assert.ThrowsAnyAsync<OperationCanceledException>(() => client.ListBucketNamesAsync(cts.Token));
        }
    }
}

/// <summary>Sync deletions and restores on Suspended buckets, on the sandbox: refused before anything changes.</summary>
[Collection(S3Collection.Name)]
public class S3DataSafetyTests : S3TestBase, IClassFixture<SandboxFixture>
{
    public S3DataSafetyTests(SandboxFixture sandbox) : base(sandbox) { }

    [Fact]
    public async Task A_sync_with_delete_refuses_an_empty_source_and_a_mass_delete_before_changing_anything()
    {
        using var client = NewClient();
        var s3 = client.ForRegion();
        var source = await BucketAsync("t-safe-src", versioned: false);
        var destination = await BucketAsync("t-safe-dst", versioned: false);
        await PutManyAsync(s3, destination, Enumerable.Range(0, 10).Select(i => ($"d/{i:00}", $"kept {i}")));
        var before = await CurrentAsync(s3, destination);
        S3SyncRequest Request(string sourcePrefix, int maxDeletePercent = 50, bool allow = false) => new()
        {
            Source = new S3Location(source, sourcePrefix), Destination = new S3Location(destination, "d/"), Delete = true,
            MaxDeletePercent = maxDeletePercent, AllowMassDelete = allow,
        };

        // The source prefix is empty (a typo, a wrong region's empty bucket): every destination object would go.
        var empty = await Assert.ThrowsAsync<OpsException>(() => new S3BucketSyncer(client).SyncAsync(Request("nothing-here/"), S3Events.Throwing));
        Assert.Equal(("SyncSourceEmpty", OpsErrorCategory.InvalidOperation), (empty.ErrorId, empty.Category));
        Assert.Contains("-AllowMassDelete", empty.Message);
        Assert.Equal(before, await CurrentAsync(s3, destination));

        // 3 of the 10 in the source (written later, so newer), plus 2 new ones: 7 of 10 would be deleted (70% > 50%), so nothing is copied either.
        await PutManyAsync(s3, source, Enumerable.Range(0, 3).Select(i => ($"s/{i:00}", $"kept {i}")).Concat(new[] { ("s/new1", "n1"), ("s/new2", "n2") }));
        var plan = await new S3BucketSyncer(client).PlanAsync(Request("s/"));
        Assert.Equal((5L, 10L, 7L, 5L), (plan.SourceCount, plan.DestinationCount, plan.DeleteCount, plan.ToCopy));
        Assert.StartsWith($"Delete 7 objects under s3://{destination}/d/ that are not in the source (of 10 there), and copy 5 objects", plan.Describe());
        var limit = Assert.Throws<OpsException>(() => plan.CheckDeletes());
        Assert.Equal(("SyncDeleteLimitExceeded", OpsErrorCategory.LimitsExceeded), (limit.ErrorId, limit.Category));
        Assert.Contains("-AllowMassDelete", limit.Message);
        await Assert.ThrowsAsync<OpsException>(() => new S3BucketSyncer(client).SyncAsync(Request("s/"), S3Events.Throwing));
        Assert.Equal(before, await CurrentAsync(s3, destination));

        // The operator raises the share on purpose: copies and deletes go through, and the log names them.
        var log = new S3ChangeLog();
        var done = await new S3BucketSyncer(client).SyncAsync(Request("s/", maxDeletePercent: 70), S3Events.Throwing, log);
        Assert.Equal((5L, 0L, 7L), (done.Copied, done.Skipped, done.Deleted));
        Assert.Equal(new[] { "copied", "deleted" }, log.Changes.Select(c => c.Change).OrderBy(c => c));
        Assert.Equal(5, (await CurrentAsync(s3, destination)).Count);

        // An empty source with -AllowMassDelete empties the destination: an explicit decision.
        var all = await new S3BucketSyncer(client).SyncAsync(Request("nothing-here/", allow: true), S3Events.Throwing);
        Assert.Equal(5L, all.Deleted);
        Assert.Empty(await CurrentAsync(s3, destination));
    }

    [Fact]
    public async Task A_stopped_restore_records_the_keys_it_restored_and_the_one_in_flight()
    {
        using var client = NewClient();
        var s3 = client.ForRegion();
        var bucket = await BucketAsync("t-rstop");
        var items = new List<S3Version>();
        for (var i = 0; i < 6; i++)
        {
            var v1 = await s3.PutObjectAsync(new PutObjectRequest { BucketName = bucket, Key = $"k{i}", ContentBody = $"v1 {i}" });
            await s3.PutObjectAsync(new PutObjectRequest { BucketName = bucket, Key = $"k{i}", ContentBody = $"v2 {i}" });
            items.Add(new S3Version { Bucket = bucket, Key = $"k{i}", VersionId = v1.VersionId!, LastModified = DateTimeOffset.UtcNow });
        }
        // The sandbox holds the copy onto k3, so the stop lands after k0..k2 with k3 in flight.
        var rule = await Sandbox.Http.PutAsJsonAsync("_sandbox/s3/faults", new { rules = new[] { new { bucket, operation = "CopyObject", key = "k3", latencyMs = 120000 } } });
        Assert.True(rule.IsSuccessStatusCode);
        var log = new S3ChangeLog();
        try
        {
            var before = await RequestsAsync("CopyObject");
            using var cts = new CancellationTokenSource();
            var restore = Task.Run(async () =>
            {
                await foreach (var _ in new S3Restorer(client).RestoreAsync(new S3RestoreRequest { Bucket = bucket, Items = items, ThrottleLimit = 1 }, S3Events.Throwing, log, cts.Token)) { }
            });
            var deadline = DateTime.UtcNow.AddSeconds(60);
            while (await RequestsAsync("CopyObject") < before + 4 && DateTime.UtcNow < deadline) await Task.Delay(50);
            cts.Cancel();
            await Assert.ThrowsAnyAsync<OperationCanceledException>(() => restore);
        }
        finally
        {
            await Sandbox.Http.DeleteAsync("_sandbox/s3/faults");
        }

        var (change, keys) = Assert.Single(log.Changes);
        Assert.Equal("made an earlier version current", change);
        Assert.Equal(new[] { "k0", "k1", "k2" }, keys);
        Assert.Equal(new[] { "k3" }, log.InFlight);
        Assert.Equal("Stopped before it finished: 3 keys made an earlier version current (k0, k1, k2); 1 key in flight when it stopped, which S3 may or may not have applied (k3). " +
            "Everything else is unchanged.", log.Describe("Stopped before it finished", "key"));
        var now = await CurrentAsync(s3, bucket);
        Assert.Equal(new[] { "v1 0", "v1 1", "v1 2", "v2 3", "v2 4", "v2 5" }, now.Values);
    }

    [Fact]
    public async Task A_restore_on_a_Suspended_bucket_is_refused_and_the_null_version_stays_the_only_copy()
    {
        using var client = NewClient();
        var s3 = client.ForRegion();
        var bucket = await BucketAsync("t-suspended");
        var v1 = await s3.PutObjectAsync(new PutObjectRequest { BucketName = bucket, Key = "doc.pdf", ContentBody = "first" });
        await s3.PutObjectAsync(new PutObjectRequest { BucketName = bucket, Key = "doc.pdf", ContentBody = "second" });
        await s3.PutBucketVersioningAsync(new PutBucketVersioningRequest { BucketName = bucket, VersioningConfig = new S3BucketVersioningConfig { Status = VersionStatus.Suspended } });
        var since = Sandbox.Host.Context.Clock.UtcNow;
        await Task.Delay(20);
        await s3.PutObjectAsync(new PutObjectRequest { BucketName = bucket, Key = "doc.pdf", ContentBody = "only copy" });
        await s3.PutObjectAsync(new PutObjectRequest { BucketName = bucket, Key = "new.pdf", ContentBody = "written while suspended" });

        // The sandbox keeps S3's Suspended semantics: the write got the version id "null".
        var versions = new List<S3Version>();
        await foreach (var v in S3VersionLister.ListAsync(s3, new S3VersionQuery(bucket))) versions.Add(v);
        var doc = versions.Where(v => v.Key == "doc.pdf").ToList();
        Assert.Equal(3, doc.Count);
        Assert.Equal(("null", v1.VersionId), (doc[0].VersionId, doc[2].VersionId));
        Assert.Equal("null", Assert.Single(versions, v => v.Key == "new.pdf").VersionId);
        var state = await CurrentAsync(s3, bucket);

        foreach (var request in new[]
        {
            new S3RestoreRequest { Bucket = bucket, Key = "doc.pdf", VersionId = v1.VersionId },
            new S3RestoreRequest { Bucket = bucket, Prefix = "", AsOf = since, RemoveNewer = true },
            new S3RestoreRequest { Bucket = bucket, Prefix = "" },
        })
        {
            var refused = await Assert.ThrowsAsync<OpsException>(() => RestoreAsync(client, request));
            Assert.Equal(("S3VersioningSuspended", OpsErrorCategory.InvalidOperation), (refused.ErrorId, refused.Category));
            Assert.Contains("Status=Enabled", refused.RecommendedAction);
        }
        Assert.Equal(state, await CurrentAsync(s3, bucket));
        Assert.Equal("only copy", state["doc.pdf"]);
        Assert.Equal(versions.Count, await VersionCountAsync(s3, bucket));
    }
}
