using System.Security.Cryptography;
using Amazon.S3.Model;
using Npgsql;
using RealEstateOps.Engine.Backup;
using RealEstateOps.Engine.Common;
using RealEstateOps.Engine.Postgres;
using RealEstateOps.Engine.S3;
using RealEstateOps.Engine.Tests.Support;
using RealEstateOps.Sandbox.Postgres;

namespace RealEstateOps.Engine.Tests.Backup;

/// <summary>Export-Database -Jobs / Import-Database -Jobs on the sandbox: real PostgreSQL, pg_dump, pg_restore, the sandbox's S3.</summary>
public class ParallelExportTests : IClassFixture<SandboxFixture>
{
    private const string Bucket = "real-estate-ai-backups";
    private readonly SandboxFixture _sandbox;

    public ParallelExportTests(SandboxFixture sandbox) => _sandbox = sandbox;

    private PlatformDatabase Platform => _sandbox.Host.Platform;

    private DbConnectionRequest Connection(string database) => new()
    {
        Host = Platform.Host, Port = Platform.Port, Database = database, User = Platform.User, Password = Platform.Password, Timeout = TimeSpan.FromSeconds(10),
    };

    private async Task<string> EmptyDatabaseAsync()
    {
        var name = TestPostgres.UniqueName("par");
        await using var conn = new NpgsqlConnection(await TestPostgres.AdminConnectionStringAsync());
        await conn.OpenAsync();
        await using var cmd = new NpgsqlCommand($"create database {name} owner \"{Platform.User}\"", conn);
        await cmd.ExecuteNonQueryAsync();
        return name;
    }

    private async Task<T> QueryAsync<T>(string database, string sql)
    {
        await using var conn = new NpgsqlConnection(new NpgsqlConnectionStringBuilder(Platform.AppConnectionString) { Database = database, Pooling = false }.ConnectionString);
        await conn.OpenAsync();
        await using var cmd = new NpgsqlCommand(sql, conn) { CommandTimeout = 120 };
        return (T)(await cmd.ExecuteScalarAsync())!;
    }

    /// <summary>A source of its own: a table of ~3 MB (several chunks at 64 blocks each), a table with a sequence, a foreign key, an index, a generated column, NULLs.</summary>
    private async Task<string> SourceAsync()
    {
        var name = await EmptyDatabaseAsync();
        await QueryAsync<object>(name,
            "create table documents (id int primary key, title text, body bytea not null, words int generated always as (length(title)) stored); " +
            "insert into documents (id, title, body) select g, case when g % 7 = 0 then null else 'doc ' || g end, decode(md5(g::text) || md5(random()::text), 'hex') from generate_series(1, 40000) g; " +
            "create table \"Odd Name\" (n serial primary key, doc int references documents(id), note text); " +
            "insert into \"Odd Name\" (doc, note) select g, E'line\\nbreak \"quoted\" ' || g from generate_series(1, 500) g; " +
            "create index on documents (title); create table empty_one (x int); select 1");
        return name;
    }

    private static (S3ArtifactStore Store, Amazon.S3.AmazonS3Client Client) Store(RealEstateOps.Sandbox.SandboxHost host)
    {
        var client = S3Sandbox.Client(host);
        return (new S3ArtifactStore(client) { PartSize = 5 * 1024 * 1024 }, client);
    }

    /// <summary>Records the order in which objects are committed (to show the manifest is last).</summary>
    private sealed class RecordingStore : IArtifactStore
    {
        private readonly IArtifactStore _inner;
        public RecordingStore(IArtifactStore inner) => _inner = inner;
        public List<string> Committed { get; } = new();

        public async Task<IArtifactSink> OpenUploadAsync(string bucket, string key, bool overwrite, IReadOnlyDictionary<string, string>? tags, CancellationToken ct) =>
            new Sink(this, key, await _inner.OpenUploadAsync(bucket, key, overwrite, tags, ct));
        public Task<ArtifactInfo> HeadAsync(string bucket, string key, CancellationToken ct) => _inner.HeadAsync(bucket, key, ct);
        public Task<Stream> OpenReadAsync(string bucket, string key, string? ifMatch, CancellationToken ct) => _inner.OpenReadAsync(bucket, key, ifMatch, ct);
        public Task<bool> ExistsAsync(string bucket, string key, CancellationToken ct) => _inner.ExistsAsync(bucket, key, ct);
        public Task DeleteAsync(string bucket, string key, CancellationToken ct) => _inner.DeleteAsync(bucket, key, ct);

        private sealed class Sink(RecordingStore owner, string key, IArtifactSink inner) : IArtifactSink
        {
            public Task WriteAllAsync(Stream source, CancellationToken ct) => inner.WriteAllAsync(source, ct);
            public async Task CommitAsync(string sha256, CancellationToken ct)
            {
                await inner.CommitAsync(sha256, ct);
                lock (owner.Committed) owner.Committed.Add(key);
            }
            public Task AbortAsync() => inner.AbortAsync();
        }
    }

    private static async Task<List<S3Object>> ListAsync(Amazon.S3.AmazonS3Client client, string prefix) =>
        (await client.ListObjectsV2Async(new ListObjectsV2Request { BucketName = Bucket, Prefix = prefix + "/" })).S3Objects ?? new();

    [Fact]
    public async Task A_parallel_export_writes_files_then_the_manifest_last_with_hashes_and_row_counts_and_imports_back()
    {
        var (s3, client) = Store(_sandbox.Host);
        using var _ = client;
        var store = new RecordingStore(s3);
        var source = await SourceAsync();
        var prefix = $"tests/{Guid.NewGuid():N}";
        var exporter = new ParallelExporter(store) { MinChunkBlocks = 64 };
        var artifact = await exporter.ExportAsync(new ExportRequest
        {
            Connection = Connection(source), Destination = BackupLocation.Parse($"s3://{Bucket}/{prefix}"), Jobs = 2, CompressionLevel = 6, S3 = () => store,
        }, null, default);

        Assert.Equal($"{prefix}/manifest.json", store.Committed[^1]);
        var manifest = await ExportManifest.ReadAsync(s3, Bucket, prefix, default);
        Assert.Equal(ExportManifest.ParallelFormat, manifest.Format);
        Assert.Equal(store.Committed.Count - 1, manifest.Files.Length);
        Assert.True(manifest.Files.Count(f => f.Table == "public.documents") >= 3, "the large table is split into chunks");
        Assert.Equal(40000L, manifest.RowCounts["public.documents"]);
        Assert.Equal(500L, manifest.RowCounts["public.Odd Name"]);
        Assert.Equal(0L, manifest.RowCounts["public.empty_one"]);
        Assert.Equal(artifact.RowCounts["public.documents"], manifest.RowCounts["public.documents"]);
        Assert.Contains(manifest.Sequences, s => s.Name == "public.Odd Name_n_seq" && s.LastValue == 500);
        foreach (var file in manifest.Files)
        {
            using var got = await client.GetObjectAsync(Bucket, $"{prefix}/{file.Key}");
            using var body = new MemoryStream();
            await got.ResponseStream.CopyToAsync(body);
            Assert.Equal(file.Sha256, Convert.ToHexString(SHA256.HashData(body.ToArray())).ToLowerInvariant());
            Assert.Equal(file.Size, body.Length);
        }

        var target = await EmptyDatabaseAsync();
        var import = await new ParallelImporter(s3).ImportAsync(new ImportRequest
        {
            Connection = Connection(target), Source = BackupLocation.Parse(artifact.Location), Jobs = 2, S3 = () => s3, ExpectedSha256 = artifact.Sha256,
        }, null, default);
        Assert.Equal(40500L, import.Rows);
        Assert.Equal(40000L, await QueryAsync<long>(target, "select count(*) from documents"));
        Assert.Equal(5714L, await QueryAsync<long>(target, "select count(*) from documents where title is null"));
        Assert.Equal(await QueryAsync<string>(source, "select md5(string_agg(id || coalesce(title, '-') || encode(body, 'hex') || words, ',' order by id)) from documents"),
            await QueryAsync<string>(target, "select md5(string_agg(id || coalesce(title, '-') || encode(body, 'hex') || words, ',' order by id)) from documents"));
        Assert.Equal(await QueryAsync<string>(source, "select string_agg(note, '|' order by n) from \"Odd Name\""), await QueryAsync<string>(target, "select string_agg(note, '|' order by n) from \"Odd Name\""));
        Assert.Equal(501, await QueryAsync<int>(target, "select nextval('\"Odd Name_n_seq\"')::int"));
        Assert.Equal(2L, await QueryAsync<long>(target, "select count(*) from pg_indexes where tablename = 'documents'"));
        Assert.Equal(1L, await QueryAsync<long>(target, "select count(*) from pg_constraint where contype = 'f'"));

        // The prefix holds an export now: refused without -Overwrite, and a second import into a non-empty target is refused.
        var again = await Assert.ThrowsAsync<OpsException>(() => exporter.ExportAsync(new ExportRequest
        {
            Connection = Connection(source), Destination = BackupLocation.Parse($"s3://{Bucket}/{prefix}"), Jobs = 2, S3 = () => store,
        }, null, default));
        Assert.Equal("BackupObjectExists", again.ErrorId);
        var full = await Assert.ThrowsAsync<OpsException>(() => new ParallelImporter(s3).ImportAsync(new ImportRequest
        {
            Connection = Connection(target), Source = BackupLocation.Parse(artifact.Location), Jobs = 2, S3 = () => s3,
        }, null, default));
        Assert.Equal("DbTargetNotEmpty", full.ErrorId);
        await QueryAsync<object>(target, "delete from \"Odd Name\"; delete from documents where id > 10; select 1");
        var replaced = await new ParallelImporter(s3).ImportAsync(new ImportRequest
        {
            Connection = Connection(target), Source = BackupLocation.Parse(artifact.Location), Jobs = 2, S3 = () => s3, Replace = true,
        }, null, default);
        Assert.True(replaced.Replaced);
        Assert.Equal(40000L, await QueryAsync<long>(target, "select count(*) from documents"));
        Assert.Equal(500L, await QueryAsync<long>(target, "select count(*) from \"Odd Name\""));
        foreach (var o in await ListAsync(client, prefix)) await client.DeleteObjectAsync(Bucket, o.Key);
    }

    [Fact]
    public async Task A_failing_worker_aborts_every_upload_removes_the_files_and_writes_no_manifest()
    {
        var (s3, client) = Store(_sandbox.Host);
        using var _ = client;
        var source = await SourceAsync();
        var prefix = $"tests/{Guid.NewGuid():N}";
        var files = 0;
        var exporter = new ParallelExporter(s3)
        {
            MinChunkBlocks = 64,
            BeforeFile = async key =>
            {
                if (Interlocked.Increment(ref files) == 3) throw new OpsException("TestWorkerFailed", OpsErrorCategory.WriteError, "a worker failed", key);
                await Task.Yield();
            },
        };
        var error = await Assert.ThrowsAsync<OpsException>(() => exporter.ExportAsync(new ExportRequest
        {
            Connection = Connection(source), Destination = BackupLocation.Parse($"s3://{Bucket}/{prefix}"), Jobs = 2, S3 = () => s3,
        }, null, default));
        Assert.Equal("TestWorkerFailed", error.ErrorId);
        Assert.Empty(await ListAsync(client, prefix));
        var uploads = await client.ListMultipartUploadsAsync(new ListMultipartUploadsRequest { BucketName = Bucket, Prefix = prefix + "/" });
        Assert.Empty(uploads.MultipartUploads ?? new());
        var missing = await Assert.ThrowsAsync<OpsException>(() => ExportManifest.ReadAsync(s3, Bucket, prefix, default));
        Assert.Equal("ExportManifestNotFound", missing.ErrorId);

        // Cancelled (Ctrl+C) in the middle: the same, and the cancellation stays a cancellation.
        using var cts = new CancellationTokenSource();
        var cancelling = new ParallelExporter(s3) { MinChunkBlocks = 64, BeforeFile = async _ => { if (Interlocked.Increment(ref files) > 5) await cts.CancelAsync(); } };
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => cancelling.ExportAsync(new ExportRequest
        {
            Connection = Connection(source), Destination = BackupLocation.Parse($"s3://{Bucket}/{prefix}"), Jobs = 2, S3 = () => s3,
        }, null, cts.Token));
        Assert.Empty(await ListAsync(client, prefix));
    }

    [Fact]
    public async Task A_damaged_file_is_ExportChecksumMismatch_before_the_target_is_touched()
    {
        var (s3, client) = Store(_sandbox.Host);
        using var _ = client;
        var source = await SourceAsync();
        var prefix = $"tests/{Guid.NewGuid():N}";
        var artifact = await new ParallelExporter(s3) { MinChunkBlocks = 64 }.ExportAsync(new ExportRequest
        {
            Connection = Connection(source), Destination = BackupLocation.Parse($"s3://{Bucket}/{prefix}"), Jobs = 2, S3 = () => s3,
        }, null, default);
        var manifest = await ExportManifest.ReadAsync(s3, Bucket, prefix, default);
        var victim = manifest.Files.Last(f => f.Kind == "data");
        using (var got = await client.GetObjectAsync(Bucket, $"{prefix}/{victim.Key}"))
        {
            using var body = new MemoryStream();
            await got.ResponseStream.CopyToAsync(body);
            var bytes = body.ToArray();
            bytes[bytes.Length / 2] ^= 0xFF;
            await client.PutObjectAsync(new PutObjectRequest { BucketName = Bucket, Key = $"{prefix}/{victim.Key}", InputStream = new MemoryStream(bytes) });
        }
        var target = await EmptyDatabaseAsync();
        var error = await Assert.ThrowsAsync<OpsException>(() => new ParallelImporter(s3).ImportAsync(new ImportRequest
        {
            Connection = Connection(target), Source = BackupLocation.Parse(artifact.Location), Jobs = 2, S3 = () => s3,
        }, null, default));
        Assert.Equal("ExportChecksumMismatch", error.ErrorId);
        Assert.Contains(victim.Key, error.Message);
        Assert.Equal(0L, await QueryAsync<long>(target, "select count(*) from pg_tables where schemaname = 'public'"));
        foreach (var o in await ListAsync(client, prefix)) await client.DeleteObjectAsync(Bucket, o.Key);
    }

    [Fact]
    public async Task A_single_file_export_records_its_row_counts_in_a_sidecar_manifest()
    {
        var (s3, client) = Store(_sandbox.Host);
        using var _ = client;
        var source = await SourceAsync();
        var key = $"tests/{Guid.NewGuid():N}.dump";
        var artifact = await DatabaseExporter.ExportAsync(new ExportRequest
        {
            Connection = Connection(source), Destination = BackupLocation.Parse($"s3://{Bucket}/{key}"), S3 = () => s3,
        }, default);
        var manifest = await ExportManifest.ReadAsync(s3, Bucket, key, default);
        Assert.Equal(ExportManifest.CustomFormat, manifest.Format);
        Assert.Equal(40000L, manifest.RowCounts["public.documents"]);
        Assert.Equal(500L, manifest.RowCounts["public.Odd Name"]);
        Assert.Equal(artifact.Sha256, Assert.Single(manifest.Files).Sha256);
        Assert.Equal(40000L, artifact.RowCounts["public.documents"]);
        await client.DeleteObjectAsync(Bucket, key);
        await client.DeleteObjectAsync(Bucket, key + ExportManifest.SidecarSuffix);
    }

    [Fact]
    public async Task The_binary_copy_row_counter_counts_rows_across_any_buffer_boundary()
    {
        var source = await SourceAsync();
        await using var conn = new NpgsqlConnection(new NpgsqlConnectionStringBuilder(Platform.AppConnectionString) { Database = source, Pooling = false }.ConnectionString);
        await conn.OpenAsync();
        byte[] bytes;
        await using (var raw = await conn.BeginRawBinaryCopyAsync("copy (select * from \"Odd Name\") to stdout (format binary)"))
        {
            using var buffer = new MemoryStream();
            await raw.CopyToAsync(buffer);
            bytes = buffer.ToArray();
        }
        foreach (var step in new[] { 1, 3, 7, 4096 })
        {
            using var counter = new BinaryCopyRowCounter(new MemoryStream(bytes));
            var chunk = new byte[step];
            while (await counter.ReadAsync(chunk) > 0) { }
            Assert.Equal(500, counter.Rows);
            Assert.True(counter.Complete);
        }
    }
}
