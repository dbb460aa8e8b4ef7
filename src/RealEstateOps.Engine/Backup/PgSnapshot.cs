using Npgsql;
using RealEstateOps.Engine.Common;

namespace RealEstateOps.Engine.Backup;

/// <summary>A table as an export sees it: its name, its size in blocks (to cut it into chunks) and the columns its rows carry.</summary>
internal sealed record PgSnapshotTable(string Schema, string Name, long Blocks, string[] Columns)
{
    public string FullName => $"{Schema}.{Name}";
    public string Quoted => $"{PgSnapshot.Quote(Schema)}.{PgSnapshot.Quote(Name)}";
    public string ColumnList => string.Join(", ", Columns.Select(PgSnapshot.Quote));
}

/// <summary>
/// One consistent view of the source for an export: a REPEATABLE READ READ ONLY transaction held open while
/// pg_dump (--snapshot) and the data workers (SET TRANSACTION SNAPSHOT) read the same data; the tables
/// pg_dump would dump (no catalog, no extension members), and the sequences' positions.
/// </summary>
internal sealed class PgSnapshot : IAsyncDisposable
{
    private readonly NpgsqlConnection _conn;
    private readonly string _connectionString;

    private PgSnapshot(NpgsqlConnection conn, string connectionString) => (_conn, _connectionString) = (conn, connectionString);

    public string Id { get; private set; } = "";
    public DateTimeOffset Time { get; private set; }
    public PgSnapshotTable[] Tables { get; private set; } = Array.Empty<PgSnapshotTable>();
    public ExportManifestSequence[] Sequences { get; private set; } = Array.Empty<ExportManifestSequence>();

    public static string Quote(string identifier) => "\"" + identifier.Replace("\"", "\"\"") + "\"";

    private const string TablesSql =
        "select n.nspname, c.relname, (pg_relation_size(c.oid) / current_setting('block_size')::int)::bigint, " +
        "array(select a.attname::text from pg_attribute a where a.attrelid = c.oid and a.attnum > 0 and not a.attisdropped and a.attgenerated = '' order by a.attnum) " +
        "from pg_class c join pg_namespace n on n.oid = c.relnamespace " +
        "where c.relkind = 'r' and n.nspname not in ('pg_catalog', 'information_schema') and n.nspname not like 'pg\\_toast%' and n.nspname not like 'pg\\_temp%' " +
        "and not exists (select 1 from pg_depend d where d.classid = 'pg_class'::regclass and d.objid = c.oid and d.deptype = 'e') " +
        "order by 3 desc, 1, 2";

    private const string SequencesSql =
        "select n.nspname, c.relname from pg_class c join pg_namespace n on n.oid = c.relnamespace " +
        "where c.relkind = 'S' and n.nspname not in ('pg_catalog', 'information_schema') " +
        "and not exists (select 1 from pg_depend d where d.classid = 'pg_class'::regclass and d.objid = c.oid and d.deptype = 'e') order by 1, 2";

    public static async Task<PgSnapshot> OpenAsync(PgTarget target, CancellationToken ct)
    {
        var cs = new NpgsqlConnectionStringBuilder(target.Builder.ConnectionString) { Pooling = false, Enlist = false }.ConnectionString;
        var conn = new NpgsqlConnection(cs);
        var snapshot = new PgSnapshot(conn, cs);
        try
        {
            await conn.OpenAsync(ct).ConfigureAwait(false);
            await using (var begin = new NpgsqlCommand("begin isolation level repeatable read read only", conn))
                await begin.ExecuteNonQueryAsync(ct).ConfigureAwait(false);
            await using (var cmd = new NpgsqlCommand("select pg_export_snapshot(), now()", conn))
            await using (var reader = await cmd.ExecuteReaderAsync(ct).ConfigureAwait(false))
            {
                await reader.ReadAsync(ct).ConfigureAwait(false);
                snapshot.Id = reader.GetString(0);
                snapshot.Time = reader.GetFieldValue<DateTimeOffset>(1);
            }
            var tables = new List<PgSnapshotTable>();
            await using (var cmd = new NpgsqlCommand(TablesSql, conn))
            await using (var reader = await cmd.ExecuteReaderAsync(ct).ConfigureAwait(false))
                while (await reader.ReadAsync(ct).ConfigureAwait(false))
                    tables.Add(new PgSnapshotTable(reader.GetString(0), reader.GetString(1), reader.GetInt64(2), reader.GetFieldValue<string[]>(3)));
            snapshot.Tables = tables.ToArray();
            var names = new List<(string Schema, string Name)>();
            await using (var cmd = new NpgsqlCommand(SequencesSql, conn))
            await using (var reader = await cmd.ExecuteReaderAsync(ct).ConfigureAwait(false))
                while (await reader.ReadAsync(ct).ConfigureAwait(false)) names.Add((reader.GetString(0), reader.GetString(1)));
            var sequences = new List<ExportManifestSequence>();
            foreach (var (schema, name) in names)
            {
                await using var cmd = new NpgsqlCommand($"select last_value, is_called from {Quote(schema)}.{Quote(name)}", conn);
                await using var reader = await cmd.ExecuteReaderAsync(ct).ConfigureAwait(false);
                await reader.ReadAsync(ct).ConfigureAwait(false);
                sequences.Add(new ExportManifestSequence { Name = $"{schema}.{name}", LastValue = reader.GetInt64(0), IsCalled = reader.GetBoolean(1) });
            }
            snapshot.Sequences = sequences.ToArray();
            return snapshot;
        }
        catch
        {
            await snapshot.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    /// <summary>Exact row counts (count(*)) of every table, in this snapshot.</summary>
    public async Task<ExportManifestTable[]> CountRowsAsync(CancellationToken ct)
    {
        var result = new List<ExportManifestTable>();
        foreach (var t in Tables)
        {
            await using var cmd = new NpgsqlCommand($"select count(*) from only {t.Quoted}", _conn) { CommandTimeout = 0 };
            result.Add(new ExportManifestTable { Name = t.FullName, Schema = t.Schema, Table = t.Name, Rows = (long)(await cmd.ExecuteScalarAsync(ct).ConfigureAwait(false))! });
        }
        return result.OrderBy(t => t.Name, StringComparer.Ordinal).ToArray();
    }

    /// <summary>A new connection whose transaction sees exactly this snapshot (a data worker's).</summary>
    public async Task<NpgsqlConnection> OpenWorkerAsync(CancellationToken ct)
    {
        var conn = new NpgsqlConnection(_connectionString);
        try
        {
            await conn.OpenAsync(ct).ConfigureAwait(false);
            await using var cmd = new NpgsqlCommand($"begin isolation level repeatable read read only; set transaction snapshot '{Id.Replace("'", "''")}'", conn);
            await cmd.ExecuteNonQueryAsync(ct).ConfigureAwait(false);
            return conn;
        }
        catch
        {
            await conn.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    public async ValueTask DisposeAsync()
    {
        try { await _conn.DisposeAsync().ConfigureAwait(false); }
        catch (NpgsqlException) { }
    }
}
