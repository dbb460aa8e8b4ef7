using System.Net.Sockets;
using Npgsql;
using RealEstateOps.Engine.Common;
using RealEstateOps.Engine.Postgres;

namespace RealEstateOps.Engine.Incident;

/// <summary>
/// The incident store's client: one PostgreSQL data source (the password only through the target's pass file), the schema
/// brought to <see cref="IncidentMigrations.Latest"/> once per store before the first call, and one error funnel:
/// unreachable server IncidentStoreUnreachable, a slow one IncidentStoreTimeout, a refused login IncidentStoreAuthFailed, a
/// missing database IncidentStoreDatabaseNotFound, a full server IncidentStoreBusy, a store of a newer schema
/// IncidentStoreVersionTooNew. Transactions that lose a serialization race or a deadlock are run again (up to 3 times).
/// </summary>
public sealed class IncidentStore : IDisposable
{
    /// <summary>The advisory lock every migrator holds (per database) while it reads and raises the schema version.</summary>
    public const long MigrationLockKey = 0x5245_4F49_4E43; // "REOINC"

    private readonly NpgsqlDataSource _source;
    private readonly SemaphoreSlim _migrateGate = new(1, 1);
    private bool _migrated;

    private IncidentStore(IncidentStoreTarget target, NpgsqlDataSource source)
    {
        Target = target;
        _source = source;
    }

    public IncidentStoreTarget Target { get; }

    /// <summary>Where the store is, for messages: user@host:port/database.</summary>
    public string Location => $"{Target.User}@{Target.Host}:{Target.Port}/{Target.Database}";

    /// <summary>A client for <paramref name="target"/>; nothing is connected until the first call.</summary>
    public static IncidentStore Open(IncidentStoreTarget target)
    {
        NpgsqlConnectionStringBuilder builder;
        try
        {
            builder = DbConnectionTester.BuildConnection(new DbConnectionRequest
            {
                Host = target.Host, Port = target.Port, Database = target.Database, User = target.User, PassFile = target.PassFile,
                SslRootCert = target.SslRootCert, Timeout = target.Timeout,
            }).Builder;
        }
        catch (OpsException ex) when (ex.ErrorId == "DbPassFileNotFound")
        {
            throw new OpsException("IncidentStorePassFileNotFound", OpsErrorCategory.ObjectNotFound,
                $"The incident store's password file '{target.PassFile}' does not exist. Fix IncidentDbPassFile in the context (Set-OpsContext -IncidentDbPassFile).",
                target.PassFile, isFatal: true);
        }
        builder.Pooling = true;
        builder.MaxPoolSize = 8;
        builder.ApplicationName = "RealEstateOps incidents";
        return new IncidentStore(target, NpgsqlDataSource.Create(builder));
    }

    public void Dispose()
    {
        _source.Dispose();
        _migrateGate.Dispose();
    }

    /// <summary>
    /// Brings the schema to <see cref="IncidentMigrations.Latest"/>: in one transaction under an advisory lock (two operators
    /// migrating at once apply each migration once), each missing version in order, recorded in ops.schema_version.
    /// Returns the version the store is at. A store at a newer version than this module knows is IncidentStoreVersionTooNew.
    /// </summary>
    public Task<int> MigrateAsync(CancellationToken ct) => Call(Location, async (conn, token) =>
    {
        await using var tx = await conn.BeginTransactionAsync(token).ConfigureAwait(false);
        await Exec(conn, tx, "select pg_advisory_xact_lock(@k)", token, ("k", MigrationLockKey)).ConfigureAwait(false);
        await Exec(conn, tx, """
            create schema if not exists ops;
            create table if not exists ops.schema_version (
                version int primary key, description text not null, applied_at timestamptz not null default now(), applied_by text not null default current_user);
            """, token).ConfigureAwait(false);
        var current = await CurrentVersion(conn, tx, token).ConfigureAwait(false);
        foreach (var (version, description, sql) in IncidentMigrations.All.Where(m => m.Version > current).OrderBy(m => m.Version))
        {
            await Exec(conn, tx, sql, token).ConfigureAwait(false);
            await Exec(conn, tx, "insert into ops.schema_version (version, description) values (@v, @d)", token, ("v", version), ("d", description)).ConfigureAwait(false);
            current = version;
        }
        await tx.CommitAsync(token).ConfigureAwait(false);
        return current;
    }, ct, migrate: false);

    /// <summary>The version the store's schema is at (0: none yet).</summary>
    public Task<int> SchemaVersionAsync(CancellationToken ct) => Call(Location, async (conn, token) =>
    {
        // The table is looked up first: a query naming it would fail to parse on a store without one.
        await using (var exists = new NpgsqlCommand("select to_regclass('ops.schema_version') is not null", conn))
            if (!(bool)(await exists.ExecuteScalarAsync(token).ConfigureAwait(false))!) return 0;
        await using var cmd = new NpgsqlCommand("select coalesce(max(version), 0) from ops.schema_version", conn);
        return Convert.ToInt32(await cmd.ExecuteScalarAsync(token).ConfigureAwait(false));
    }, ct, migrate: false);

    private async Task<int> CurrentVersion(NpgsqlConnection conn, NpgsqlTransaction tx, CancellationToken ct)
    {
        await using var cmd = new NpgsqlCommand("select coalesce(max(version), 0) from ops.schema_version", conn, tx);
        var current = Convert.ToInt32(await cmd.ExecuteScalarAsync(ct).ConfigureAwait(false));
        if (current > IncidentMigrations.Latest)
            throw new OpsException("IncidentStoreVersionTooNew", OpsErrorCategory.InvalidData,
                $"The incident store {Location} is at schema version {current}; this module knows versions up to {IncidentMigrations.Latest}. Update RealEstateOps before using this store.",
                Location, isFatal: true) { RecommendedAction = "Install the RealEstateOps version the rest of the on-call team uses." };
        return current;
    }

    private async Task EnsureMigratedAsync(CancellationToken ct)
    {
        if (_migrated) return;
        await _migrateGate.WaitAsync(ct).ConfigureAwait(false);
        try
        {
            if (_migrated) return;
            // Fast path: already at the latest version (no lock taken); else migrate under the lock.
            var version = await SchemaVersionAsync(ct).ConfigureAwait(false);
            if (version > IncidentMigrations.Latest)
                throw new OpsException("IncidentStoreVersionTooNew", OpsErrorCategory.InvalidData,
                    $"The incident store {Location} is at schema version {version}; this module knows versions up to {IncidentMigrations.Latest}. Update RealEstateOps before using this store.",
                    Location, isFatal: true);
            if (version < IncidentMigrations.Latest) await MigrateAsync(ct).ConfigureAwait(false);
            _migrated = true;
        }
        finally
        {
            _migrateGate.Release();
        }
    }

    /// <summary>
    /// Runs <paramref name="work"/> on an open connection of this store (migrated first), through the error funnel; a
    /// transaction that failed on a serialization race or deadlock (40001, 40P01) is run again, up to 3 times.
    /// </summary>
    internal async Task<T> Call<T>(object? target, Func<NpgsqlConnection, CancellationToken, Task<T>> work, CancellationToken ct, bool migrate = true)
    {
        if (migrate) await EnsureMigratedAsync(ct).ConfigureAwait(false);
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                await using var conn = await OpenAsync(ct).ConfigureAwait(false);
                return await work(conn, ct).ConfigureAwait(false);
            }
            catch (PostgresException ex) when (ex.SqlState is "40001" or "40P01" && attempt < 3)
            {
                await Task.Delay(TimeSpan.FromMilliseconds(20 * attempt), ct).ConfigureAwait(false);
            }
            catch (PostgresException ex)
            {
                throw Map(ex, target);
            }
            catch (NpgsqlException ex) when (!ct.IsCancellationRequested)
            {
                throw Map(ex, target);
            }
        }
    }

    private async Task<NpgsqlConnection> OpenAsync(CancellationToken ct)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(ct);
        timeout.CancelAfter(Target.Timeout + TimeSpan.FromSeconds(1));
        try
        {
            return await _source.OpenConnectionAsync(timeout.Token).AsTask().WaitAsync(timeout.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (!ct.IsCancellationRequested)
        {
            throw new OpsException("IncidentStoreTimeout", OpsErrorCategory.OperationTimeout,
                $"The incident store {Location} did not answer within {Waiting.Waiter.Format(Target.Timeout)}.", Location);
        }
    }

    private OpsException Map(PostgresException ex, object? target)
    {
        var (id, category) = ex.SqlState switch
        {
            "28P01" or "28000" => ("IncidentStoreAuthFailed", OpsErrorCategory.AuthenticationError),
            "3D000" => ("IncidentStoreDatabaseNotFound", OpsErrorCategory.ObjectNotFound),
            "53300" or "57P03" => ("IncidentStoreBusy", OpsErrorCategory.ResourceBusy),
            "42501" => ("IncidentStorePermissionDenied", OpsErrorCategory.PermissionDenied),
            "3F000" or "42P01" => ("IncidentStoreSchemaMissing", OpsErrorCategory.InvalidData),
            _ => ("IncidentStoreError", OpsErrorCategory.InvalidOperation),
        };
        var fatal = id is "IncidentStoreAuthFailed" or "IncidentStoreDatabaseNotFound" or "IncidentStorePermissionDenied";
        return new OpsException(id, category, Redaction.ScrubConnectionString($"Incident store {Location}: {ex.MessageText} (SQLSTATE {ex.SqlState})."), target ?? Location, ex, fatal);
    }

    private OpsException Map(NpgsqlException ex, object? target)
    {
        for (Exception? e = ex; e is not null; e = e.InnerException)
            if (e is SocketException socket)
                return new OpsException("IncidentStoreUnreachable", OpsErrorCategory.ConnectionError,
                    $"The incident store {Target.Host}:{Target.Port} cannot be reached: {socket.Message}.", target ?? Location, ex, isFatal: true);
        if (ex.InnerException is TimeoutException || ex.Message.Contains("Timeout", StringComparison.OrdinalIgnoreCase))
            return new OpsException("IncidentStoreTimeout", OpsErrorCategory.OperationTimeout,
                $"The incident store {Location} did not answer within {Waiting.Waiter.Format(Target.Timeout)}.", target ?? Location, ex);
        if (ex.Message.Contains("password", StringComparison.OrdinalIgnoreCase))
            return new OpsException("IncidentStoreAuthFailed", OpsErrorCategory.AuthenticationError,
                $"The incident store {Location} requires a password and none was found for this login: set IncidentDbPassFile in the context to a pgpass file with a line for it.",
                target ?? Location, ex, isFatal: true);
        return new OpsException("IncidentStoreUnreachable", OpsErrorCategory.ConnectionError,
            Redaction.ScrubConnectionString($"The incident store {Location} cannot be used: {ex.InnerException?.Message ?? ex.Message}"), target ?? Location, ex, isFatal: true);
    }

    internal static async Task Exec(NpgsqlConnection conn, NpgsqlTransaction? tx, string sql, CancellationToken ct, params (string Name, object? Value)[] args)
    {
        await using var cmd = new NpgsqlCommand(sql, conn, tx);
        foreach (var (name, value) in args) cmd.Parameters.AddWithValue(name, value ?? DBNull.Value);
        await cmd.ExecuteNonQueryAsync(ct).ConfigureAwait(false);
    }
}
