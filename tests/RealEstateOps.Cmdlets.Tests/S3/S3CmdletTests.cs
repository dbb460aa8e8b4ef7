using Amazon.Runtime;
using Amazon.S3;
using Amazon.S3.Model;
using RealEstateOps.Cmdlets.Tests.Support;
using RealEstateOps.Engine.Aws;
using RealEstateOps.Engine.Common;
using RealEstateOps.Engine.Journal;
using RealEstateOps.Engine.Sandbox;
using RealEstateOps.Engine.S3;

namespace RealEstateOps.Cmdlets.Tests.S3;

/// <summary>One sandbox for the class, started with Start-OpsSandbox and selected with Use-OpsContext sandbox.</summary>
public sealed class S3SandboxSession : OpsSandboxSession
{
    public PsSession Session => Shell;

    /// <summary>An SDK client on the same sandbox, for set-up and checks the cmdlets under test do not do themselves.</summary>
    public AmazonS3Client Client(string region = "us-east-1") => S3ClientFactory.Create(new AwsTarget("s3", new Resolved<string>(region, "test"),
        new Resolved<string>(Url, "test"), SandboxClients.Credentials(Instance), "test"));
}

public class S3CmdletTests : IClassFixture<S3SandboxSession>
{
    private readonly S3SandboxSession _f;
    private PsSession S => _f.Session;
    public S3CmdletTests(S3SandboxSession fixture) => _f = fixture;

    private async Task<string> BucketAsync(string stem, bool versioned = true)
    {
        using var s3 = _f.Client();
        var bucket = $"{stem}-{Guid.NewGuid():N}"[..(stem.Length + 13)];
        await s3.PutBucketAsync(bucket);
        if (versioned) await s3.PutBucketVersioningAsync(new PutBucketVersioningRequest { BucketName = bucket, VersioningConfig = new S3BucketVersioningConfig { Status = VersionStatus.Enabled } });
        return bucket;
    }

    [Fact]
    public void Get_S3ObjectVersion_streams_typed_versions_and_says_where_settings_came_from()
    {
        var r = S.Run("Get-S3ObjectVersion -Prefix properties/ -Deleted -Verbose");
        Assert.Empty(r.Errors);
        var deleted = r.Objects<S3Version>().ToList();
        Assert.Equal(4, deleted.Count);
        Assert.All(deleted, d => Assert.True(d.IsDeleteMarker && d.IsLatest && d.Bucket == "real-estate-ai-assets"));
        Assert.Contains(r.Verbose, v => v.StartsWith("AWS s3: region us-east-1 (from context 'sandbox')"));
        Assert.Contains(r.Verbose, v => v.StartsWith("AWS s3: credentials from profile 'sandbox'"));
        Assert.Contains(r.Verbose, v => v.StartsWith("AWS s3: endpoint " + _f.Url.TrimEnd('/')));
        Assert.Contains(r.Verbose, v => v.StartsWith("Bucket: real-estate-ai-assets (from"));

        var first = S.Run("Get-S3ObjectVersion -Prefix properties/ | Select-Object -First 3");
        Assert.Empty(first.Errors);
        Assert.Equal(3, first.Objects<S3Version>().Count());

        var dr = S.Run("Get-S3ObjectVersion -Bucket real-estate-ai-assets-dr -Key properties/prop-0001/images/front.jpg -Verbose");
        Assert.Single(dr.Objects<S3Version>());
        Assert.Contains(dr.Verbose, v => v.Contains("is in region us-west-2"));
    }

    [Fact]
    public async Task Listing_streams_pages_so_select_first_stops_fetching()
    {
        // More than one page of versions (S3 answers at most 1,000 a page).
        var bucket = await BucketAsync("c-pages");
        using var s3 = _f.Client();
        await Parallel.ForEachAsync(Enumerable.Range(0, 1100), new ParallelOptions { MaxDegreeOfParallelism = 8 }, async (i, ct) =>
            await s3.PutObjectAsync(new PutObjectRequest { BucketName = bucket, Key = $"p/{i:0000}", ContentBody = $"object {i}" }, ct));
        using var http = SandboxClients.Control(_f.Instance);
        async Task<long> ListingsAsync() =>
            (long?)System.Text.Json.Nodes.JsonNode.Parse(await http.GetStringAsync("_sandbox/requests"))!["operations"]?["s3:ListObjectVersions"] ?? 0;

        await http.DeleteAsync("_sandbox/requests");
        var all = S.Run($"Get-S3ObjectVersion -Bucket {bucket} -Prefix p/");
        Assert.Empty(all.Errors);
        Assert.Equal(1100, all.Objects<S3Version>().Count());
        Assert.Equal(2, await ListingsAsync());

        // The pipeline takes one version and stops: the second page is never asked for.
        var open = RealEstateOps.Commands.S3.S3CommandBase.OpenClients;
        await http.DeleteAsync("_sandbox/requests");
        var first = S.Run($"Get-S3ObjectVersion -Bucket {bucket} -Prefix p/ | Select-Object -First 1");
        Assert.Empty(first.Errors);
        Assert.Equal("p/0000", Assert.Single(first.Objects<S3Version>()).Key);
        Assert.Equal(1, await ListingsAsync());
        // The stopped command's client is disposed with it.
        var deadline = DateTime.UtcNow.AddSeconds(20);
        while (RealEstateOps.Commands.S3.S3CommandBase.OpenClients != open && DateTime.UtcNow < deadline) await Task.Delay(100);
        Assert.Equal(open, RealEstateOps.Commands.S3.S3CommandBase.OpenClients);
    }

    [Fact]
    public async Task Restore_S3Object_WhatIf_changes_nothing_then_piped_deleted_versions_are_restored()
    {
        var bucket = await BucketAsync("c-restore");
        using var s3 = _f.Client();
        for (var i = 0; i < 5; i++) await s3.PutObjectAsync(new PutObjectRequest { BucketName = bucket, Key = $"docs/{i}.pdf", ContentBody = $"doc {i}" });
        for (var i = 0; i < 3; i++) await s3.DeleteObjectAsync(bucket, $"docs/{i}.pdf");

        var whatIf = S.Run($"Restore-S3Object -Bucket {bucket} -Prefix docs/ -WhatIf");
        Assert.Empty(whatIf.Errors);
        Assert.Empty(whatIf.Output);
        Assert.Equal(3, S.Run($"Get-S3ObjectVersion -Bucket {bucket} -Deleted").Objects<S3Version>().Count());

        var restored = S.Run($"Get-S3ObjectVersion -Bucket {bucket} -Deleted | Restore-S3Object -Force");
        Assert.Empty(restored.Errors);
        Assert.Equal(3, restored.Objects<S3RestoreResult>().Count(x => x.Status == S3RestoreStatus.Restored && x.Action == S3RestoreAction.RemovedDeleteMarker));
        Assert.Empty(S.Run($"Get-S3ObjectVersion -Bucket {bucket} -Deleted").Output);

        var journal = S.Run("Get-OpsJournal -Command Restore-S3Object").Objects<JournalEntry>().Where(e => e.Target.Contains(bucket)).ToList();
        Assert.Equal(new[] { JournalOutcome.WhatIf, JournalOutcome.Succeeded }, journal.Select(e => e.Outcome));
    }

    [Fact]
    public async Task A_version_restore_keeps_history_and_bad_input_gets_specific_ids_with_nothing_changed()
    {
        var bucket = await BucketAsync("c-version");
        using var s3 = _f.Client();
        var old = await s3.PutObjectAsync(new PutObjectRequest { BucketName = bucket, Key = "k.pdf", ContentBody = "first" });
        await s3.PutObjectAsync(new PutObjectRequest { BucketName = bucket, Key = "k.pdf", ContentBody = "second" });

        var r = S.Run($"Restore-S3Object -Bucket {bucket} -Key k.pdf -VersionId {old.VersionId} -Force");
        Assert.Empty(r.Errors);
        var result = Assert.Single(r.Objects<S3RestoreResult>());
        Assert.Equal((S3RestoreStatus.Restored, S3RestoreAction.CopiedVersion), (result.Status, result.Action));
        Assert.Equal(3, S.Run($"Get-S3ObjectVersion -Bucket {bucket} -Key k.pdf").Output.Count);

        Assert.Equal("S3VersionNotFound", Assert.Single(S.Run($"Restore-S3Object -Bucket {bucket} -Key k.pdf -VersionId {new string('Q', 32)} -Force").ErrorIds));
        Assert.Equal("S3BucketNameInvalid", Assert.Single(S.Run("Restore-S3Object -Bucket Not_A_Bucket -Key k -Force").ErrorIds));
        Assert.Equal("S3KeyInvalid", Assert.Single(S.Run($"Get-S3ObjectVersion -Bucket {bucket} -Key ('x' * 1100)").ErrorIds));
        Assert.Equal("NoSuchBucket", Assert.Single(S.Run("Get-S3ObjectVersion -Bucket no-such-bucket-at-all").ErrorIds));
        var plain = await BucketAsync("c-plain", versioned: false);
        Assert.Equal("S3BucketNotVersioned", Assert.Single(S.Run($"Restore-S3Object -Bucket {plain} -Key k -VersionId null -Force").ErrorIds));
        Assert.Equal(3, S.Run($"Get-S3ObjectVersion -Bucket {bucket} -Key k.pdf").Output.Count);

        var failed = S.Run("Get-OpsJournal -Command Restore-S3Object").Objects<JournalEntry>().Where(e => e.Target.Contains(bucket) && e.Outcome == JournalOutcome.Failed);
        Assert.Equal("S3VersionNotFound", Assert.Single(failed).ErrorId);
    }

    [Fact]
    public async Task Sync_S3Bucket_fails_over_from_the_DR_replica_and_a_rerun_copies_nothing()
    {
        var bucket = await BucketAsync("c-new-primary", versioned: false);
        var r = S.Run($"Sync-S3Bucket s3://real-estate-ai-assets-dr/ s3://{bucket}/ -SourceRegion us-west-2 -DestinationRegion us-east-1 -Force");
        Assert.Empty(r.Errors);
        var sync = Assert.Single(r.Objects<S3SyncResult>());
        Assert.Equal((80L, 0L, 0L), (sync.Copied, sync.Skipped, sync.Failed));

        var again = Assert.Single(S.Run($"Sync-S3Bucket s3://real-estate-ai-assets-dr/ s3://{bucket}/ -Force -Compare Checksum").Objects<S3SyncResult>());
        Assert.Equal((0L, 80L), (again.Copied, again.Skipped));

        Assert.Equal("S3SyncDestinationInsideSource", Assert.Single(S.Run($"Sync-S3Bucket s3://{bucket}/a/ s3://{bucket}/a/b/ -Force").ErrorIds));
        var whatIf = S.Run($"Sync-S3Bucket s3://real-estate-ai-assets/ s3://{bucket}/copy/ -WhatIf");
        Assert.Empty(whatIf.Output);
        Assert.Empty(S.Run($"Get-S3ObjectVersion -Bucket {bucket} -Prefix copy/").Output);

        var protection = Assert.Single(S.Run($"Test-S3BucketProtection {bucket}").Objects<S3BucketProtection>());
        Assert.False(protection.Passed);
        Assert.Contains("Versioning", protection.FailedChecks);
    }

    [Fact]
    public async Task Sync_S3Bucket_says_what_its_locations_take_and_names_a_missing_bucket_and_its_side()
    {
        var local = S.Run("Sync-S3Bucket /tmp /tmp2 -Force");
        Assert.Equal("S3LocationInvalid", Assert.Single(local.ErrorIds));
        Assert.StartsWith("'/tmp' (-Source) is not an S3 location. -Source takes an s3://bucket/ or s3://bucket/prefix/ URI", local.Errors[0].Exception.Message);
        Assert.Contains("Local folders and other URLs are not supported", local.Errors[0].Exception.Message);
        Assert.Equal("S3LocationInvalid", Assert.Single(S.Run("Sync-S3Bucket s3://real-estate-ai-assets/ ./copy -Force").ErrorIds));

        var missing = $"c-missing-{Guid.NewGuid():N}"[..23];
        var r = S.Run($"Sync-S3Bucket s3://real-estate-ai-assets-dr/ s3://{missing}/ -SourceRegion us-west-2 -Force");
        Assert.Equal("NoSuchBucket", Assert.Single(r.ErrorIds));
        Assert.StartsWith($"The destination bucket '{missing}' (-Destination s3://{missing}/) does not exist. Nothing was copied.", r.Errors[0].Exception.Message);
        Assert.Contains("-CreateDestination", r.Errors[0].ErrorDetails.RecommendedAction);
        Assert.Empty(r.Output);
        var journal = S.Run("Get-OpsJournal -Command Sync-S3Bucket").Objects<JournalEntry>().Single(e => e.Target == $"s3://{missing}/");
        Assert.Equal((JournalOutcome.Failed, "NoSuchBucket"), (journal.Outcome, journal.ErrorId));
        using var s3 = _f.Client();
        Assert.DoesNotContain(missing, (await s3.ListBucketsAsync()).Buckets.Select(b => b.BucketName));
    }

    [Fact]
    public async Task Sync_S3Bucket_CreateDestination_WhatIf_makes_nothing_then_makes_the_bucket_like_the_source_and_journals_it()
    {
        using var s3 = _f.Client();
        var bucket = $"c-new-primary-{Guid.NewGuid():N}"[..27];
        var line = $"Sync-S3Bucket s3://real-estate-ai-assets-dr/ s3://{bucket}/ -SourceRegion us-west-2 -DestinationRegion us-east-1 -CreateDestination";
        var whatIf = S.Run(line + " -WhatIf -Verbose");
        Assert.Empty(whatIf.Errors);
        Assert.Empty(whatIf.Output);
        Assert.Contains(whatIf.Verbose, v => v.StartsWith($"Plan: Create bucket '{bucket}' in us-east-1 like s3://real-estate-ai-assets-dr: versioning Enabled"));
        Assert.Contains(whatIf.Verbose, v => v.StartsWith("Plan: Copy 80 objects missing or older than in s3://real-estate-ai-assets-dr/"));
        Assert.DoesNotContain(bucket, (await s3.ListBucketsAsync()).Buckets.Select(b => b.BucketName));

        var done = S.Run(line + " -Force");
        Assert.Empty(done.Errors);
        var result = Assert.Single(done.Objects<S3SyncResult>());
        Assert.Equal((S3DestinationSetup.Create, 80L, 0L), (result.DestinationSetup, result.Copied, result.Failed));
        var protection = Assert.Single(S.Run($"Test-S3BucketProtection {bucket}").Objects<S3BucketProtection>());
        Assert.Equal(new[] { "Replication" }, protection.FailedChecks); // like the DR replica: versioning, lifecycle, public access block, encryption
        Assert.Equal(new[] { "archive-noncurrent" }, protection.LifecycleRules);

        var refused = S.Run(line + " -Force");
        Assert.Equal("S3DestinationBucketNotEmpty", Assert.Single(refused.ErrorIds));
        Assert.Empty(refused.Output);

        var journal = S.Run("Get-OpsJournal -Command Sync-S3Bucket").Objects<JournalEntry>().Where(e => e.Target.StartsWith($"s3://{bucket}", StringComparison.Ordinal)).ToList();
        Assert.Equal(new[] { ($"s3://{bucket}", JournalOutcome.WhatIf), ($"s3://{bucket}/", JournalOutcome.WhatIf), ($"s3://{bucket}", JournalOutcome.Succeeded),
            ($"s3://{bucket}/", JournalOutcome.Succeeded), ($"s3://{bucket}/", JournalOutcome.Failed) }, journal.Select(e => (e.Target, e.Outcome)));
        Assert.StartsWith($"Create bucket '{bucket}' in us-east-1 like s3://real-estate-ai-assets-dr", journal[2].Action);
        Assert.Equal("S3DestinationBucketNotEmpty", journal[4].ErrorId);
    }

    [Fact]
    public async Task Get_and_Restore_S3Object_read_a_keys_entries_the_same_whatever_the_listing_order()
    {
        var bucket = await BucketAsync("c-order");
        using var s3 = _f.Client();
        var kept = await s3.PutObjectAsync(new PutObjectRequest { BucketName = bucket, Key = "r/a.pdf", ContentBody = "a" });
        await s3.PutObjectAsync(new PutObjectRequest { BucketName = bucket, Key = "r/a.pdf.bak", ContentBody = "bak" });
        await s3.DeleteObjectAsync(bucket, "r/a.pdf");
        using var http = SandboxClients.Control(_f.Instance);
        var set = await http.PutAsync("_sandbox/s3/version-order", new StringContent("{\"order\":\"VersionsFirst\"}", System.Text.Encoding.UTF8, "application/json"));
        Assert.True(set.IsSuccessStatusCode, await set.Content.ReadAsStringAsync());
        try
        {
            var deleted = S.Run("Get-S3ObjectVersion -Prefix properties/ -Deleted").Objects<S3Version>().Select(v => v.Key).ToList();
            Assert.Equal(4, deleted.Count);
            var one = S.Run($"Get-S3ObjectVersion -Bucket {bucket} -Key r/a.pdf -Deleted");
            Assert.Empty(one.Errors);
            Assert.True(Assert.Single(one.Objects<S3Version>()) is { IsDeleteMarker: true, IsLatest: true, Key: "r/a.pdf" });
            var restored = Assert.Single(S.Run($"Restore-S3Object -Bucket {bucket} -Key r/a.pdf -Force").Objects<S3RestoreResult>());
            Assert.Equal((S3RestoreStatus.Restored, S3RestoreAction.RemovedDeleteMarker, kept.VersionId), (restored.Status, restored.Action, restored.VersionId));
        }
        finally
        {
            await http.PutAsync("_sandbox/s3/version-order", new StringContent("{\"order\":\"Interleaved\"}", System.Text.Encoding.UTF8, "application/json"));
        }
    }

    [Fact]
    public void Test_S3BucketProtection_passes_for_the_assets_bucket_and_takes_pipeline_input()
    {
        var r = S.Run("'real-estate-ai-assets', 'real-estate-ai-assets-dr' | Test-S3BucketProtection");
        Assert.Empty(r.Errors);
        var results = r.Objects<S3BucketProtection>().ToList();
        Assert.True(results[0].Passed);
        Assert.Equal(new[] { "real-estate-ai-assets-dr" }, results[0].ReplicationDestinations);
        Assert.Equal(new[] { "Replication" }, results[1].FailedChecks);
        Assert.Equal("S3BucketNameInvalid", Assert.Single(S.Run("Test-S3BucketProtection -Bucket 'x'").ErrorIds));
    }

    [Fact]
    public async Task Bucket_names_complete_from_the_live_list_and_as_s3_uris_for_sync()
    {
        var bucket = await BucketAsync("c-complete");
        string[] Complete(string line) => S.Run($"(TabExpansion2 '{line}' {line.Length}).CompletionMatches.CompletionText").Output.Select(o => o.ToString()).ToArray();
        Assert.Equal(new[] { "real-estate-ai-assets", "real-estate-ai-assets-dr" }, Complete("Get-S3ObjectVersion -Bucket real-estate-ai-as"));
        Assert.Equal(new[] { bucket }, Complete("Test-S3BucketProtection -Bucket c-complete-" + bucket[11..14]));
        Assert.Equal(new[] { "s3://real-estate-ai-assets-dr/" }, Complete("Sync-S3Bucket -Source s3://real-estate-ai-assets-d"));
    }

    [Fact]
    public async Task Sync_S3Bucket_Delete_says_how_many_it_will_delete_and_refuses_an_empty_source_or_a_mass_delete()
    {
        var src = await BucketAsync("c-del-src", versioned: false);
        var dst = await BucketAsync("c-del-dst", versioned: false);
        using var s3 = _f.Client();
        // The source first: the destination's copies are newer, so a sync finds them up to date.
        for (var i = 0; i < 7; i++) await s3.PutObjectAsync(new PutObjectRequest { BucketName = src, Key = $"p/{i:00}", ContentBody = $"object {i}" });
        for (var i = 0; i < 10; i++) await s3.PutObjectAsync(new PutObjectRequest { BucketName = dst, Key = $"p/{i:00}", ContentBody = $"object {i}" });
        async Task<int> CountAsync() => (await s3.ListObjectsV2Async(new ListObjectsV2Request { BucketName = dst })).KeyCount ?? 0;

        // -WhatIf lists both sides and says how many objects would go; nothing changes.
        var whatIf = S.Run($"Sync-S3Bucket s3://{src}/p/ s3://{dst}/p/ -Delete -WhatIf -Verbose");
        Assert.Empty(whatIf.Errors);
        Assert.Contains(whatIf.Verbose, v => v.StartsWith($"Plan: Delete 3 objects under s3://{dst}/p/ that are not in the source (of 10 there)"));
        Assert.Equal(10, await CountAsync());

        // An empty source prefix would delete everything: refused, with the switch that allows it named.
        var empty = S.Run($"Sync-S3Bucket s3://{src}/no-such-prefix/ s3://{dst}/p/ -Delete -Force");
        Assert.Equal("SyncSourceEmpty", Assert.Single(empty.ErrorIds));
        Assert.Contains("-AllowMassDelete", empty.Errors[0].Exception.Message);
        Assert.Empty(empty.Output);
        Assert.Equal(10, await CountAsync());

        // 3 of 10 is within 50%, but not within -MaxDeletePercent 20.
        Assert.Equal("SyncDeleteLimitExceeded", Assert.Single(S.Run($"Sync-S3Bucket s3://{src}/p/ s3://{dst}/p/ -Delete -MaxDeletePercent 20 -Force").ErrorIds));
        Assert.Equal(10, await CountAsync());

        var done = S.Run($"Sync-S3Bucket s3://{src}/p/ s3://{dst}/p/ -Delete -Force");
        Assert.Empty(done.Errors);
        var result = Assert.Single(done.Objects<S3SyncResult>());
        Assert.Equal((0L, 7L, 3L), (result.Copied, result.Skipped, result.Deleted));
        Assert.Equal(7, await CountAsync());

        var journal = S.Run("Get-OpsJournal -Command Sync-S3Bucket").Objects<JournalEntry>().Where(e => e.Target == $"s3://{dst}/p/").ToList();
        Assert.Equal(new[] { JournalOutcome.WhatIf, JournalOutcome.Failed, JournalOutcome.Failed, JournalOutcome.Succeeded }, journal.Select(e => e.Outcome));
        Assert.StartsWith("Delete 3 objects under", journal[0].Action);
        Assert.Equal(new string?[] { null, "SyncSourceEmpty", "SyncDeleteLimitExceeded", null }, journal.Select(e => e.ErrorId));
        Assert.StartsWith("Delete 3 objects under", journal[3].Action);
    }

    [Fact]
    public async Task Ctrl_C_stops_a_sync_at_a_held_copy_journals_the_keys_copied_and_the_rerun_copies_the_rest()
    {
        using var http = SandboxClients.Control(_f.Instance);
        var src = await BucketAsync("c-stop-src", versioned: false);
        var dst = await BucketAsync("c-stop-dst", versioned: false);
        using var s3 = _f.Client();
        for (var i = 0; i < 6; i++) await s3.PutObjectAsync(new PutObjectRequest { BucketName = src, Key = $"k{i}", ContentBody = $"object {i}" });
        // The copy onto k3 is held by the sandbox (two minutes), so the stop lands while k0..k2 are copied and k3 is in flight.
        var rule = await http.PutAsync("_sandbox/s3/faults", new StringContent(
            $"{{\"rules\":[{{\"bucket\":\"{dst}\",\"operation\":\"CopyObject\",\"key\":\"k3\",\"latencyMs\":120000}}]}}", System.Text.Encoding.UTF8, "application/json"));
        Assert.True(rule.IsSuccessStatusCode, await rule.Content.ReadAsStringAsync());
        async Task<long> CopiesAsync() => (long?)System.Text.Json.Nodes.JsonNode.Parse(await http.GetStringAsync("_sandbox/requests"))!["operations"]?["s3:CopyObject"] ?? 0;
        var before = await CopiesAsync();

        var open = RealEstateOps.Commands.S3.S3CommandBase.OpenClients;
        var host = new RecordingHost();
        var iss = System.Management.Automation.Runspaces.InitialSessionState.CreateDefault2();
        iss.ImportPSModule(typeof(RealEstateOps.Commands.OpsCommandBase).Assembly.Location);
        using var runspace = System.Management.Automation.Runspaces.RunspaceFactory.CreateRunspace(host, iss);
        runspace.Open();
        using var ps = System.Management.Automation.PowerShell.Create(runspace);
        ps.AddScript($"Use-OpsContext sandbox; Sync-S3Bucket s3://{src}/ s3://{dst}/ -ThrottleLimit 1 -Force");
        try
        {
            var handle = ps.BeginInvoke();
            var deadline = DateTime.UtcNow.AddSeconds(60);
            while (await CopiesAsync() < before + 4 && DateTime.UtcNow < deadline) await Task.Delay(50);
            Assert.Equal(before + 4, await CopiesAsync());
            ps.Stop();
            Assert.True(handle.AsyncWaitHandle.WaitOne(TimeSpan.FromSeconds(30)), "Sync-S3Bucket did not stop");
        }
        finally
        {
            await http.DeleteAsync("_sandbox/s3/faults");
        }

        var copied = (await s3.ListObjectsV2Async(new ListObjectsV2Request { BucketName = dst })).S3Objects?.Select(o => o.Key).ToList() ?? new();
        Assert.Equal(new[] { "k0", "k1", "k2" }, copied);
        var stopped = S.Run("Get-OpsJournal -Command Sync-S3Bucket").Objects<JournalEntry>().Single(e => e.Target == $"s3://{dst}/");
        Assert.Equal((JournalOutcome.Failed, "OperationStopped"), (stopped.Outcome, stopped.ErrorId));
        Assert.Contains("3 objects copied (k0, k1, k2)", stopped.Message);
        Assert.Contains("1 object in flight when it stopped, which S3 may or may not have applied (k3)", stopped.Message);
        Assert.Contains(host.Warnings, w => w == stopped.Message);
        // The stopped command's client was disposed once its cancelled work wound down.
        var released = DateTime.UtcNow.AddSeconds(20);
        while (RealEstateOps.Commands.S3.S3CommandBase.OpenClients != open && DateTime.UtcNow < released) await Task.Delay(100);
        Assert.Equal(open, RealEstateOps.Commands.S3.S3CommandBase.OpenClients);

        var rerun = Assert.Single(S.Run($"Sync-S3Bucket s3://{src}/ s3://{dst}/ -Force").Objects<S3SyncResult>());
        Assert.Equal((3L, 3L), (rerun.Copied, rerun.Skipped));
    }
}

/// <summary>A host that records what is written to it, for what a stopped command can only tell the host.</summary>
public sealed class RecordingHost : System.Management.Automation.Host.PSHost
{
    private readonly RecordingUI _ui = new();
    public List<string> Warnings => _ui.Warnings;
    public override string Name => "RecordingHost";
    public override Version Version => new(1, 0);
    public override Guid InstanceId { get; } = Guid.NewGuid();
    public override System.Management.Automation.Host.PSHostUserInterface UI => _ui;
    public override System.Globalization.CultureInfo CurrentCulture => System.Globalization.CultureInfo.InvariantCulture;
    public override System.Globalization.CultureInfo CurrentUICulture => System.Globalization.CultureInfo.InvariantCulture;
    public override void SetShouldExit(int exitCode) { }
    public override void EnterNestedPrompt() => throw new NotSupportedException();
    public override void ExitNestedPrompt() => throw new NotSupportedException();
    public override void NotifyBeginApplication() { }
    public override void NotifyEndApplication() { }

    private sealed class RecordingUI : System.Management.Automation.Host.PSHostUserInterface
    {
        public List<string> Warnings { get; } = new();
        public override System.Management.Automation.Host.PSHostRawUserInterface? RawUI => null;
        public override string ReadLine() => "";
        public override System.Security.SecureString ReadLineAsSecureString() => new();
        public override void Write(string value) { }
        public override void Write(ConsoleColor foregroundColor, ConsoleColor backgroundColor, string value) { }
        public override void WriteLine(string value) { }
        public override void WriteErrorLine(string value) { }
        public override void WriteDebugLine(string message) { }
        public override void WriteProgress(long sourceId, System.Management.Automation.ProgressRecord record) { }
        public override void WriteVerboseLine(string message) { }
        public override void WriteWarningLine(string message) { lock (Warnings) Warnings.Add(message); }
        public override Dictionary<string, System.Management.Automation.PSObject> Prompt(string caption, string message,
            System.Collections.ObjectModel.Collection<System.Management.Automation.Host.FieldDescription> descriptions) => throw new NotSupportedException();
        public override System.Management.Automation.PSCredential PromptForCredential(string caption, string message, string userName, string targetName) => throw new NotSupportedException();
        public override System.Management.Automation.PSCredential PromptForCredential(string caption, string message, string userName, string targetName,
            System.Management.Automation.PSCredentialTypes allowedCredentialTypes, System.Management.Automation.PSCredentialUIOptions options) => throw new NotSupportedException();
        public override int PromptForChoice(string caption, string message, System.Collections.ObjectModel.Collection<System.Management.Automation.Host.ChoiceDescription> choices, int defaultChoice) =>
            throw new NotSupportedException();
    }
}
