using Npgsql;
using RealEstateOps.Engine.Backup;
using RealEstateOps.Engine.Common;
using RealEstateOps.Engine.Postgres;
using RealEstateOps.Engine.Tests.Support;
using RealEstateOps.Sandbox.Postgres;

namespace RealEstateOps.Engine.Tests.Backup;

/// <summary>Export-Database and Import-Database's engine on the sandbox's platform database (real pg_dump, pg_restore, PostgreSQL).</summary>
public class ExportImportTests : IClassFixture<SandboxFixture>, IDisposable
{
    private readonly SandboxFixture _sandbox;
    private readonly TempDir _temp = new();

    public ExportImportTests(SandboxFixture sandbox) => _sandbox = sandbox;

    public void Dispose() => _temp.Dispose();

    private PlatformDatabase Platform => _sandbox.Host.Platform;

    private DbConnectionRequest Connection(string? database = null, string? password = null) => new()
    {
        Host = Platform.Host, Port = Platform.Port, Database = database ?? Platform.Database, User = Platform.User,
        Password = password, PassFile = password is null ? Platform.PassFile : null, Timeout = TimeSpan.FromSeconds(10),
    };

    /// <summary>A new empty database owned by the app user, and a password for it (the master user's, as on RDS).</summary>
    private async Task<string> EmptyDatabaseAsync()
    {
        var name = TestPostgres.UniqueName("imp");
        await using var conn = new NpgsqlConnection(await TestPostgres.AdminConnectionStringAsync());
        await conn.OpenAsync();
        await using var cmd = new NpgsqlCommand($"create database {name} owner \"{Platform.User}\"", conn);
        await cmd.ExecuteNonQueryAsync();
        return name;
    }

    private async Task<long> CountAsync(string database, string table)
    {
        await using var conn = new NpgsqlConnection(new NpgsqlConnectionStringBuilder(Platform.AppConnectionString) { Database = database, Pooling = false }.ConnectionString);
        await conn.OpenAsync();
        await using var cmd = new NpgsqlCommand($"select count(*) from {table}", conn);
        return (long)(await cmd.ExecuteScalarAsync())!;
    }

    [Fact]
    public async Task Compression_level_trades_size_for_speed_and_the_archive_still_restores()
    {
        var none = Path.Combine(_temp.Path, "z0.dump");
        var best = Path.Combine(_temp.Path, "z9.dump");
        var a0 = await DatabaseExporter.ExportAsync(new ExportRequest { Connection = Connection(), Destination = BackupLocation.Parse(none), CompressionLevel = 0 }, default);
        var a9 = await DatabaseExporter.ExportAsync(new ExportRequest { Connection = Connection(), Destination = BackupLocation.Parse(best), CompressionLevel = 9 }, default);
        Assert.True(a0.Size > a9.Size * 1.5, $"level 0: {a0.Size} bytes, level 9: {a9.Size} bytes");
        var target = await EmptyDatabaseAsync();
        await DatabaseImporter.ImportAsync(new ImportRequest { Connection = Connection(target, Platform.Password), Source = BackupLocation.Parse(none) }, default);
        foreach (var (table, rows) in PlatformDatabase.SeedCounts) Assert.Equal(rows, await CountAsync(target, table));

        var bad = await Assert.ThrowsAsync<OpsException>(() => DatabaseExporter.ExportAsync(
            new ExportRequest { Connection = Connection(), Destination = BackupLocation.Parse(Path.Combine(_temp.Path, "bad.dump")), CompressionLevel = 10 }, default));
        Assert.Equal("ExportCompressionInvalid", bad.ErrorId);
        Assert.False(File.Exists(Path.Combine(_temp.Path, "bad.dump")));
    }

    [Fact]
    public async Task Export_to_a_file_then_import_into_an_empty_database_round_trips_the_rows()
    {
        var file = Path.Combine(_temp.Path, "backup.dump");
        var artifact = await DatabaseExporter.ExportAsync(new ExportRequest { Connection = Connection(), Destination = BackupLocation.Parse(file) }, default);
        Assert.Equal(file, artifact.Location);
        Assert.Equal(new FileInfo(file).Length, artifact.Size);
        Assert.Equal(Convert.ToHexString(System.Security.Cryptography.SHA256.HashData(File.ReadAllBytes(file))).ToLowerInvariant(), artifact.Sha256);
        Assert.Equal("PGDMP", System.Text.Encoding.ASCII.GetString(File.ReadAllBytes(file), 0, 5));
        Assert.Contains("public.properties", artifact.Tables);
        Assert.Equal(PlatformDatabase.SeedCounts.Length, artifact.TableCount);
        Assert.False(File.Exists(file + ".partial"));
        Assert.StartsWith(artifact.ServerVersion.Split('.')[0], artifact.PgDumpVersion);

        var target = await EmptyDatabaseAsync();
        var import = new ImportRequest { Connection = Connection(target, Platform.Password), Source = BackupLocation.Parse(file), ExpectedSha256 = artifact.Sha256 };
        var result = await DatabaseImporter.ImportAsync(import, default);
        Assert.False(result.Replaced);
        foreach (var (table, rows) in PlatformDatabase.SeedCounts) Assert.Equal(rows, await CountAsync(target, table));

        // A second import into the now non-empty target is refused without Replace (the message names it), and replaces with it.
        var refused = await Assert.ThrowsAsync<OpsException>(() => DatabaseImporter.ImportAsync(import, default));
        Assert.Equal("DbTargetNotEmpty", refused.ErrorId);
        Assert.Contains("-Replace", refused.Message);
        var replaced = await DatabaseImporter.ImportAsync(new ImportRequest { Connection = import.Connection, Source = import.Source, Replace = true }, default);
        Assert.True(replaced.Replaced);
        Assert.Equal(240, await CountAsync(target, "properties"));
    }

    [Fact]
    public async Task An_existing_file_a_wrong_password_or_a_damaged_archive_are_specific_errors_and_leave_nothing()
    {
        var file = Path.Combine(_temp.Path, "exists.dump");
        await File.WriteAllTextAsync(file, "keep me");
        var exists = await Assert.ThrowsAsync<OpsException>(() => DatabaseExporter.ExportAsync(new ExportRequest { Connection = Connection(), Destination = BackupLocation.Parse(file) }, default));
        Assert.Equal("BackupFileExists", exists.ErrorId);
        Assert.Equal("keep me", await File.ReadAllTextAsync(file));

        var other = Path.Combine(_temp.Path, "wrong-password.dump");
        var auth = await Assert.ThrowsAsync<OpsException>(() => DatabaseExporter.ExportAsync(
            new ExportRequest { Connection = Connection(password: "not-the-password"), Destination = BackupLocation.Parse(other) }, default));
        Assert.Equal("DbAuthenticationFailed", auth.ErrorId);
        Assert.DoesNotContain("not-the-password", auth.Message);
        Assert.Empty(Directory.GetFiles(_temp.Path, "wrong-password*"));

        var scratch = await EmptyDatabaseAsync();
        var damaged = await Assert.ThrowsAsync<OpsException>(() => DatabaseImporter.ImportAsync(new ImportRequest
        {
            Connection = Connection(scratch, Platform.Password), Source = BackupLocation.Parse(file), ExpectedSha256 = new string('0', 64),
        }, default));
        Assert.Equal("BackupChecksumMismatch", damaged.ErrorId);

        var notAnArchive = await Assert.ThrowsAsync<OpsException>(() => DatabaseImporter.ImportAsync(new ImportRequest
        {
            Connection = Connection(scratch, Platform.Password), Source = BackupLocation.Parse(file),
        }, default));
        Assert.Equal("PgRestoreFailed", notAnArchive.ErrorId);

        var missing = await Assert.ThrowsAsync<OpsException>(() => DatabaseImporter.ImportAsync(new ImportRequest
        {
            Connection = Connection(), Source = BackupLocation.Parse(Path.Combine(_temp.Path, "nope.dump")),
        }, default));
        Assert.Equal("BackupNotFound", missing.ErrorId);
    }

    [Fact]
    public async Task A_missing_or_too_old_pg_dump_is_a_clear_error_before_anything_is_written()
    {
        var destination = Path.Combine(_temp.Path, "never.dump");
        var notFound = await Assert.ThrowsAsync<OpsException>(() => DatabaseExporter.ExportAsync(new ExportRequest
        {
            Connection = Connection(), Destination = BackupLocation.Parse(destination), PgDumpPath = Path.Combine(_temp.Path, "no-pg_dump"),
        }, default));
        Assert.Equal("PgDumpNotFound", notFound.ErrorId);

        if (OperatingSystem.IsWindows()) return;
        // A pg_dump that reports an old major version (PostgreSQL 9.6), as an old client package would.
        // Installed by another process (install -m 700), not written here: a file this process holds open for writing can be
        // inherited by a process another test forks meanwhile, and running it then fails with ETXTBSY ("text file busy").
        var old = Path.Combine(_temp.Path, "pg_dump");
        var source = Path.Combine(_temp.Path, "pg_dump.txt");
        await File.WriteAllTextAsync(source, "#!/bin/sh\necho 'pg_dump (PostgreSQL) 9.6.24'\n");
        using (var install = System.Diagnostics.Process.Start("install", new[] { "-m", "700", source, old }))
        {
            await install.WaitForExitAsync();
            Assert.Equal(0, install.ExitCode);
        }
        var tooOld = await Assert.ThrowsAsync<OpsException>(() => DatabaseExporter.ExportAsync(new ExportRequest
        {
            Connection = Connection(), Destination = BackupLocation.Parse(destination), PgDumpPath = old,
        }, default));
        Assert.Equal("PgDumpTooOld", tooOld.ErrorId);
        Assert.Contains("9.6", tooOld.Message);
        Assert.False(File.Exists(destination));
        Assert.False(File.Exists(destination + ".partial"));
    }

    [Fact]
    public async Task Cancelling_an_export_leaves_no_partial_file()
    {
        var file = Path.Combine(_temp.Path, "cancelled.dump");
        using var cts = new CancellationTokenSource();
        cts.Cancel();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => DatabaseExporter.ExportAsync(new ExportRequest { Connection = Connection(), Destination = BackupLocation.Parse(file) }, cts.Token));
        Assert.Empty(Directory.GetFiles(_temp.Path, "cancelled*"));
    }

    /// <summary>A database of its own with about 12 MB of incompressible rows, so that a dump needs several 5 MiB parts.</summary>
    private async Task<string> BigDatabaseAsync()
    {
        var name = await EmptyDatabaseAsync();
        await using var conn = new NpgsqlConnection(new NpgsqlConnectionStringBuilder(Platform.AppConnectionString) { Database = name, Pooling = false }.ConnectionString);
        await conn.OpenAsync();
        await using var cmd = new NpgsqlCommand(
            "create table documents (id int primary key, body bytea not null); " +
            "insert into documents select g, decode(md5(random()::text) || md5(random()::text) || md5(random()::text) || md5(random()::text), 'hex') from generate_series(1, 200000) g", conn);
        cmd.CommandTimeout = 120;
        await cmd.ExecuteNonQueryAsync();
        return name;
    }

    [Fact]
    public async Task Export_streams_to_s3_as_a_multipart_upload_tagged_with_its_source_and_imports_back_from_s3()
    {
        using var client = S3Sandbox.Client(_sandbox.Host);
        var store = new RealEstateOps.Engine.S3.S3ArtifactStore(client) { PartSize = 5 * 1024 * 1024, Concurrency = 3 };
        var source = await BigDatabaseAsync();
        var key = $"tests/{Guid.NewGuid():N}.dump";
        var location = BackupLocation.Parse($"s3://real-estate-ai-backups/{key}");
        var artifact = await DatabaseExporter.ExportAsync(new ExportRequest
        {
            Connection = Connection(source, Platform.Password), Destination = location, S3 = () => store,
            Tags = new Dictionary<string, string> { ["source"] = "test-instance", ["created"] = "2026-11-28T02:00:00Z" },
        }, default);
        Assert.True(artifact.Size > 10 * 1024 * 1024, $"{artifact.Size} bytes");

        var head = await client.GetObjectMetadataAsync("real-estate-ai-backups", key);
        Assert.Equal(artifact.Size, head.ContentLength);
        Assert.Equal("test-instance", head.Metadata["source"]);
        Assert.Equal(artifact.Sha256, head.Metadata["sha256"]); // recorded at export, for imports to check
        using (var get = await client.GetObjectAsync("real-estate-ai-backups", key))
        {
            using var sha = System.Security.Cryptography.SHA256.Create();
            Assert.Equal(artifact.Sha256, Convert.ToHexString(await sha.ComputeHashAsync(get.ResponseStream)).ToLowerInvariant());
        }

        var exists = await Assert.ThrowsAsync<OpsException>(() => DatabaseExporter.ExportAsync(new ExportRequest
        {
            Connection = Connection(source, Platform.Password), Destination = location, S3 = () => store,
        }, default));
        Assert.Equal("BackupObjectExists", exists.ErrorId);

        var target = await EmptyDatabaseAsync();
        await DatabaseImporter.ImportAsync(new ImportRequest { Connection = Connection(target, Platform.Password), Source = location, S3 = () => store }, default);
        Assert.Equal(200000, await CountAsync(target, "documents"));

        var missing = await Assert.ThrowsAsync<OpsException>(() => DatabaseImporter.ImportAsync(new ImportRequest
        {
            Connection = Connection(target, Platform.Password), Source = BackupLocation.Parse("s3://real-estate-ai-backups/tests/nope.dump"), S3 = () => store,
        }, default));
        Assert.Equal("BackupNotFound", missing.ErrorId);

        // Stopped half-way, at a known point: the sandbox holds every part sent to this key, so the stop lands
        // after the upload was started and while a part is in flight. The upload is aborted, nothing is left in the bucket.
        var stoppedKey = $"tests/{Guid.NewGuid():N}.dump";
        async Task<long> PartsSentAsync() =>
            (long?)System.Text.Json.Nodes.JsonNode.Parse(await _sandbox.Http.GetStringAsync("_sandbox/requests"))!["operations"]?["s3:UploadPart"] ?? 0;
        var partsBefore = await PartsSentAsync();
        var hold = await System.Net.Http.Json.HttpClientJsonExtensions.PutAsJsonAsync(_sandbox.Http, "_sandbox/s3/faults",
            new { rules = new[] { new { bucket = "real-estate-ai-backups", operation = "UploadPart", key = stoppedKey, latencyMs = 120000 } } });
        Assert.True(hold.IsSuccessStatusCode);
        try
        {
            using var cts = new CancellationTokenSource();
            var export = DatabaseExporter.ExportAsync(new ExportRequest
            {
                Connection = Connection(source, Platform.Password), Destination = BackupLocation.Parse($"s3://real-estate-ai-backups/{stoppedKey}"), S3 = () => store,
            }, cts.Token);
            var deadline = DateTime.UtcNow.AddSeconds(60);
            while (await PartsSentAsync() == partsBefore && !export.IsCompleted && DateTime.UtcNow < deadline) await Task.Delay(50);
            Assert.False(export.IsCompleted, export.Exception?.ToString() ?? "the export ended before a part was held");
            var inFlight = await client.ListMultipartUploadsAsync(new Amazon.S3.Model.ListMultipartUploadsRequest { BucketName = "real-estate-ai-backups", Prefix = stoppedKey });
            Assert.Single(inFlight.MultipartUploads ?? new()); // mid-export: started, not completed
            cts.Cancel();
            await Assert.ThrowsAnyAsync<OperationCanceledException>(() => export);
        }
        finally
        {
            await _sandbox.Http.DeleteAsync("_sandbox/s3/faults");
        }
        var uploads = await client.ListMultipartUploadsAsync(new Amazon.S3.Model.ListMultipartUploadsRequest { BucketName = "real-estate-ai-backups", Prefix = stoppedKey });
        Assert.Empty(uploads.MultipartUploads ?? new());
        var listed = await client.ListObjectsV2Async(new Amazon.S3.Model.ListObjectsV2Request { BucketName = "real-estate-ai-backups", Prefix = stoppedKey });
        Assert.Empty(listed.S3Objects ?? new());
    }

    [Fact]
    public void S3_locations_are_parsed_and_bad_ones_rejected()
    {
        var l = BackupLocation.Parse("s3://real-estate-ai-backups/db/backup.dump");
        Assert.Equal(("real-estate-ai-backups", "db/backup.dump"), (l.Bucket, l.Key));
        Assert.Equal("s3://real-estate-ai-backups/db/backup.dump", l.ToString());
        Assert.Equal("BackupLocationInvalid", Assert.Throws<OpsException>(() => BackupLocation.Parse("s3://bucket-only")).ErrorId);
        Assert.False(BackupLocation.Parse("/tmp/x.dump").IsS3);
    }

    /// <summary>An export of the platform database to S3, and an empty database to import into.</summary>
    private async Task<(RealEstateOps.Engine.S3.S3ArtifactStore Store, Amazon.S3.AmazonS3Client Client, string Key, BackupArtifact Artifact)> ExportToS3Async(long singleCopyLimit = 5L << 30)
    {
        var client = S3Sandbox.Client(_sandbox.Host);
        var store = new RealEstateOps.Engine.S3.S3ArtifactStore(client) { SingleCopyLimit = singleCopyLimit };
        var key = $"tests/{Guid.NewGuid():N}.dump";
        var artifact = await DatabaseExporter.ExportAsync(new ExportRequest
        {
            Connection = Connection(), Destination = BackupLocation.Parse($"s3://real-estate-ai-backups/{key}"), S3 = () => store,
            Tags = new Dictionary<string, string> { ["source"] = "test-instance" },
        }, default);
        return (store, client, key, artifact);
    }

    private async Task<int> TableCountAsync(string database)
    {
        await using var conn = new NpgsqlConnection(new NpgsqlConnectionStringBuilder(Platform.AppConnectionString) { Database = database, Pooling = false }.ConnectionString);
        await conn.OpenAsync();
        await using var cmd = new NpgsqlCommand("select count(*) from pg_tables where schemaname = 'public'", conn);
        return (int)(long)(await cmd.ExecuteScalarAsync())!;
    }

    [Fact]
    public async Task A_tampered_s3_object_is_refused_by_its_recorded_sha256_and_nothing_is_restored()
    {
        var (store, client, key, artifact) = await ExportToS3Async();
        using var _ = client;
        var head = await client.GetObjectMetadataAsync("real-estate-ai-backups", key);
        Assert.Equal(artifact.Sha256, head.Metadata["sha256"]);
        Assert.Equal("test-instance", head.Metadata["source"]);

        // Someone rewrites the object with one byte changed and the old metadata (as a copy tool would keep it).
        byte[] bytes;
        using (var get = await client.GetObjectAsync("real-estate-ai-backups", key))
        using (var buffer = new MemoryStream())
        {
            await get.ResponseStream.CopyToAsync(buffer);
            bytes = buffer.ToArray();
        }
        bytes[bytes.Length / 2] ^= 0xFF;
        var put = new Amazon.S3.Model.PutObjectRequest { BucketName = "real-estate-ai-backups", Key = key, InputStream = new MemoryStream(bytes) };
        put.Metadata["sha256"] = artifact.Sha256;
        await client.PutObjectAsync(put);

        var target = await EmptyDatabaseAsync();
        var location = BackupLocation.Parse($"s3://real-estate-ai-backups/{key}");
        var request = new ImportRequest { Connection = Connection(target, Platform.Password), Source = location, S3 = () => store };
        var check = await Assert.ThrowsAsync<OpsException>(() => DatabaseImporter.CheckAsync(request, default)); // -WhatIf sees it too
        Assert.Equal("BackupChecksumMismatch", check.ErrorId);
        var refused = await Assert.ThrowsAsync<OpsException>(() => DatabaseImporter.ImportAsync(request, default));
        Assert.Equal(("BackupChecksumMismatch", OpsErrorCategory.InvalidData), (refused.ErrorId, refused.Category));
        Assert.Equal(0, await TableCountAsync(target));

        // A caller's -Sha256 that disagrees with the recorded one is an error of its own; the right one passes the check.
        var conflict = await Assert.ThrowsAsync<OpsException>(() => DatabaseImporter.CheckAsync(
            new ImportRequest { Connection = request.Connection, Source = location, S3 = () => store, ExpectedSha256 = new string('a', 64) }, default));
        Assert.Equal("BackupChecksumConflict", conflict.ErrorId);
        Assert.Equal(0, await TableCountAsync(target));
    }

    [Fact]
    public async Task An_untampered_s3_object_is_verified_without_the_caller_knowing_its_hash_and_restores()
    {
        var (store, client, key, artifact) = await ExportToS3Async();
        using var _ = client;
        var target = await EmptyDatabaseAsync();
        var request = new ImportRequest { Connection = Connection(target, Platform.Password), Source = BackupLocation.Parse($"s3://real-estate-ai-backups/{key}"), S3 = () => store };
        await DatabaseImporter.CheckAsync(request, default);
        Assert.Equal(artifact.Sha256, request.Verified!.Value.Sha256);
        await DatabaseImporter.ImportAsync(request, default);
        foreach (var (table, rows) in PlatformDatabase.SeedCounts) Assert.Equal(rows, await CountAsync(target, table));

        // The object replaced between the check and the restore: the read is pinned to the checked ETag.
        var other = await EmptyDatabaseAsync();
        var pinned = new ImportRequest { Connection = Connection(other, Platform.Password), Source = request.Source, S3 = () => store };
        await DatabaseImporter.CheckAsync(pinned, default);
        var replacement = new Amazon.S3.Model.PutObjectRequest { BucketName = "real-estate-ai-backups", Key = key, InputStream = new MemoryStream(new byte[] { 1, 2, 3 }) };
        replacement.Metadata["sha256"] = artifact.Sha256;
        await client.PutObjectAsync(replacement);
        var changed = await Assert.ThrowsAsync<OpsException>(() => DatabaseImporter.ImportAsync(pinned, default));
        Assert.Equal("BackupChecksumMismatch", changed.ErrorId);
        Assert.Equal(0, await TableCountAsync(other));
    }

    [Fact]
    public async Task An_archive_over_the_single_copy_limit_records_its_sha256_with_a_multipart_copy()
    {
        var (store, client, key, artifact) = await ExportToS3Async(singleCopyLimit: 1);
        using var _ = client;
        var head = await client.GetObjectMetadataAsync("real-estate-ai-backups", key);
        Assert.Equal((artifact.Sha256, "test-instance", artifact.Size), (head.Metadata["sha256"], head.Metadata["source"], head.ContentLength));
        var target = await EmptyDatabaseAsync();
        await DatabaseImporter.ImportAsync(new ImportRequest { Connection = Connection(target, Platform.Password), Source = BackupLocation.Parse($"s3://real-estate-ai-backups/{key}"), S3 = () => store }, default);
        foreach (var (table, rows) in PlatformDatabase.SeedCounts) Assert.Equal(rows, await CountAsync(target, table));
    }

    [Fact]
    public async Task A_file_that_changes_after_the_check_is_stopped_before_pg_restore_commits()
    {
        var file = Path.Combine(_temp.Path, "changing.dump");
        var artifact = await DatabaseExporter.ExportAsync(new ExportRequest { Connection = Connection(), Destination = BackupLocation.Parse(file) }, default);
        if (!OperatingSystem.IsWindows())
            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(file));
        var target = await EmptyDatabaseAsync();
        var request = new ImportRequest { Connection = Connection(target, Platform.Password), Source = BackupLocation.Parse(file), ExpectedSha256 = artifact.Sha256 };
        await DatabaseImporter.CheckAsync(request, default);
        // Same size, last byte changed: the restore's own hash catches it, and the last block never reaches pg_restore.
        var bytes = await File.ReadAllBytesAsync(file);
        bytes[^1] ^= 0xFF;
        await File.WriteAllBytesAsync(file, bytes);
        var ex = await Assert.ThrowsAsync<OpsException>(() => DatabaseImporter.ImportAsync(request, default));
        Assert.Equal("BackupChecksumMismatch", ex.ErrorId);
        Assert.Contains("nothing was restored", ex.Message);
        Assert.Equal(0, await TableCountAsync(target));
    }
}
