using System.Globalization;
using Npgsql;
using RealEstateOps.Engine.Common;
using RealEstateOps.Engine.Postgres;

namespace RealEstateOps.Engine.Backup;

/// <summary>
/// The integrity checks of a restore drill, on the restored copy: its tables against the ones the backup recorded, exact row counts
/// against the counts the export recorded in its manifest (taken in the dump's own snapshot), every index valid, B-tree indexes
/// verified with amcheck's bt_index_check (heap included) where the extension can be used, and the application's smoke queries, each
/// read-only under a statement timeout. A check that fails is a Fail; one that cannot run here is Skipped with the reason.
/// </summary>
public sealed class RestoredDatabaseChecker
{
    /// <summary>The platform's smoke queries: what the application reads on its main pages, each must run on a restored copy.</summary>
    public static readonly IReadOnlyList<string> PlatformSmokeQueries = new[]
    {
        "select count(*) from properties",
        "select p.id, l.list_price from properties p join listings l on l.property_id = p.id order by l.listed_at desc limit 20",
        "select count(*) from proposals where status = 'accepted'",
        "select count(*) from property_embeddings e join properties p on p.id = e.property_id",
        "select count(*) from chat_sessions",
    };

    private static readonly TimeSpan StatementTimeout = TimeSpan.FromSeconds(60);

    /// <param name="expectedRows">Rows per table (schema.table) the backup recorded; null when it records none (a snapshot).</param>
    /// <param name="expectedTables">The tables the backup holds (schema.table); null: the restored copy's are taken as they are.</param>
    public async Task<(List<BackupDrillCheck> Checks, List<BackupDrillTable> Tables)> CheckAsync(
        DbConnectionRequest restored, IReadOnlyDictionary<string, long>? expectedRows, IReadOnlyCollection<string>? expectedTables,
        IReadOnlyList<string> smokeQueries, IProgress<OpsEvent>? events, CancellationToken ct)
    {
        var checks = new List<BackupDrillCheck>();
        await using var conn = await PgConnect.OpenAsync(restored, ct).ConfigureAwait(false);
        await ExecAsync(conn, $"set statement_timeout = {(int)StatementTimeout.TotalMilliseconds}", ct).ConfigureAwait(false);

        var present = await TablesAsync(conn, ct).ConfigureAwait(false);
        var wanted = (expectedTables ?? (IReadOnlyCollection<string>?)expectedRows?.Keys.ToList() ?? present).ToList();
        var missing = wanted.Where(t => !present.Contains(t, StringComparer.Ordinal)).ToList();
        checks.Add(missing.Count == 0
            ? Check("Tables", BackupDrillVerdict.Pass, $"{wanted.Count} table(s) restored.")
            : Check("Tables", BackupDrillVerdict.Fail, $"{missing.Count} of {wanted.Count} table(s) missing from the restore: {string.Join(", ", missing.Take(10))}{(missing.Count > 10 ? ", ..." : "")}."));

        var tables = new List<BackupDrillTable>();
        foreach (var table in wanted)
        {
            long? rows = present.Contains(table, StringComparer.Ordinal) ? await CountAsync(conn, table, ct).ConfigureAwait(false) : null;
            long? expected = expectedRows is not null && expectedRows.TryGetValue(table, out var e) ? e : null;
            tables.Add(new BackupDrillTable { Table = table, ExpectedRows = expected, RestoredRows = rows });
        }
        events.Verbose($"Counted the rows of {tables.Count} restored table(s): {tables.Sum(t => t.RestoredRows ?? 0)} in all.");
        if (expectedRows is null)
            checks.Add(Check("RowCounts", BackupDrillVerdict.Info, $"{tables.Sum(t => t.RestoredRows ?? 0)} rows in {tables.Count} table(s); the backup records no row counts to compare them with."));
        else
        {
            var wrong = tables.Where(t => t.RestoredRows is not null && t.ExpectedRows is not null && t.ExpectedRows != t.RestoredRows).ToList();
            var unrecorded = tables.Count(t => t.ExpectedRows is null);
            checks.Add(wrong.Count == 0
                ? Check("RowCounts", BackupDrillVerdict.Pass, $"{tables.Sum(t => t.RestoredRows ?? 0)} rows in {tables.Count - unrecorded} table(s) match the counts recorded at backup time.")
                : Check("RowCounts", BackupDrillVerdict.Fail, $"{wrong.Count} table(s) differ from the counts recorded at backup time: " +
                        string.Join(", ", wrong.Take(10).Select(t => $"{t.Table} {t.RestoredRows} (recorded {t.ExpectedRows})")) + (wrong.Count > 10 ? ", ..." : "") + "."));
        }

        checks.Add(await IndexValidityAsync(conn, ct).ConfigureAwait(false));
        checks.Add(await IndexIntegrityAsync(conn, events, ct).ConfigureAwait(false));
        for (var i = 0; i < smokeQueries.Count; i++)
            checks.Add(await SmokeAsync(conn, i + 1, smokeQueries[i], ct).ConfigureAwait(false));
        return (checks, tables);
    }

    private static BackupDrillCheck Check(string name, BackupDrillVerdict verdict, string detail, string? errorId = null) =>
        new() { Name = name, Verdict = verdict, Detail = detail, ErrorId = errorId };

    private static async Task<List<string>> TablesAsync(NpgsqlConnection conn, CancellationToken ct)
    {
        var list = new List<string>();
        await using var cmd = new NpgsqlCommand(
            "select schemaname || '.' || tablename from pg_tables where schemaname not in ('pg_catalog', 'information_schema') order by 1", conn);
        await using var reader = await cmd.ExecuteReaderAsync(ct).ConfigureAwait(false);
        while (await reader.ReadAsync(ct).ConfigureAwait(false)) list.Add(reader.GetString(0));
        return list;
    }

    private static async Task<long> CountAsync(NpgsqlConnection conn, string table, CancellationToken ct)
    {
        var dot = table.IndexOf('.');
        var name = dot < 0 ? Ident(table) : Ident(table[..dot]) + "." + Ident(table[(dot + 1)..]);
        await using var cmd = new NpgsqlCommand($"select count(*) from {name}", conn);
        return Convert.ToInt64(await cmd.ExecuteScalarAsync(ct).ConfigureAwait(false), CultureInfo.InvariantCulture);
    }

    private static async Task<BackupDrillCheck> IndexValidityAsync(NpgsqlConnection conn, CancellationToken ct)
    {
        var invalid = new List<string>();
        var count = 0;
        await using (var cmd = new NpgsqlCommand("""
            select n.nspname || '.' || c.relname, i.indisvalid and i.indisready
            from pg_index i join pg_class c on c.oid = i.indexrelid join pg_namespace n on n.oid = c.relnamespace
            where n.nspname not in ('pg_catalog', 'information_schema', 'pg_toast') order by 1
            """, conn))
        await using (var reader = await cmd.ExecuteReaderAsync(ct).ConfigureAwait(false))
            while (await reader.ReadAsync(ct).ConfigureAwait(false))
            {
                count++;
                if (!reader.GetBoolean(1)) invalid.Add(reader.GetString(0));
            }
        return invalid.Count == 0
            ? Check("Indexes", BackupDrillVerdict.Pass, $"{count} index(es) built and valid.")
            : Check("Indexes", BackupDrillVerdict.Fail, $"{invalid.Count} of {count} index(es) invalid after the restore (a failed build): {string.Join(", ", invalid)}.");
    }

    /// <summary>bt_index_check(heapallindexed) on every B-tree index, when amcheck is installed or can be installed in this (scratch) database.</summary>
    private static async Task<BackupDrillCheck> IndexIntegrityAsync(NpgsqlConnection conn, IProgress<OpsEvent>? events, CancellationToken ct)
    {
        await using (var probe = new NpgsqlCommand("select exists(select 1 from pg_extension where extname = 'amcheck'), exists(select 1 from pg_available_extensions where name = 'amcheck')", conn))
        await using (var reader = await probe.ExecuteReaderAsync(ct).ConfigureAwait(false))
        {
            await reader.ReadAsync(ct).ConfigureAwait(false);
            var (installed, available) = (reader.GetBoolean(0), reader.GetBoolean(1));
            await reader.CloseAsync().ConfigureAwait(false);
            if (!installed)
            {
                if (!available)
                    return Check("IndexIntegrity", BackupDrillVerdict.Skipped, "The server has no amcheck extension (contrib); index validity was checked, index contents were not.");
                try
                {
                    await ExecAsync(conn, "create extension if not exists amcheck", ct).ConfigureAwait(false);
                    events.Verbose("Installed amcheck in the scratch database for the index checks.");
                }
                catch (PostgresException ex) when (ex.SqlState is "42501" or "0A000")
                {
                    return Check("IndexIntegrity", BackupDrillVerdict.Skipped,
                        $"amcheck could not be installed in the scratch database ({ex.MessageText}): it needs a superuser (rds_superuser on RDS). Index validity was checked, index contents were not.");
                }
            }
        }
        var indexes = new List<(uint Oid, string Name)>();
        await using (var cmd = new NpgsqlCommand("""
            select c.oid, n.nspname || '.' || c.relname from pg_index i join pg_class c on c.oid = i.indexrelid
            join pg_namespace n on n.oid = c.relnamespace join pg_am a on a.oid = c.relam
            where a.amname = 'btree' and c.relpersistence <> 't' and i.indisvalid and n.nspname not in ('pg_catalog', 'information_schema', 'pg_toast') order by 2
            """, conn))
        await using (var reader = await cmd.ExecuteReaderAsync(ct).ConfigureAwait(false))
            while (await reader.ReadAsync(ct).ConfigureAwait(false)) indexes.Add((reader.GetFieldValue<uint>(0), reader.GetString(1)));
        var broken = new List<string>();
        foreach (var (oid, name) in indexes)
        {
            try
            {
                await using var check = new NpgsqlCommand("select bt_index_check(index => @oid::regclass, heapallindexed => true)", conn);
                check.Parameters.AddWithValue("oid", NpgsqlTypes.NpgsqlDbType.Oid, oid);
                await check.ExecuteNonQueryAsync(ct).ConfigureAwait(false);
            }
            catch (PostgresException ex) when (ex.SqlState is "XX002" or "XX001" or "XX000")
            {
                broken.Add($"{name} ({ex.MessageText})");
            }
        }
        return broken.Count == 0
            ? Check("IndexIntegrity", BackupDrillVerdict.Pass, $"amcheck: {indexes.Count} B-tree index(es) consistent with their tables.")
            : Check("IndexIntegrity", BackupDrillVerdict.Fail, $"amcheck found {broken.Count} corrupt index(es): {string.Join("; ", broken)}.");
    }

    private static async Task<BackupDrillCheck> SmokeAsync(NpgsqlConnection conn, int n, string query, CancellationToken ct)
    {
        var name = "Smoke:" + n.ToString(CultureInfo.InvariantCulture);
        await using var tx = await conn.BeginTransactionAsync(System.Data.IsolationLevel.RepeatableRead, ct).ConfigureAwait(false);
        try
        {
            await ExecAsync(conn, "set transaction read only", ct).ConfigureAwait(false);
            var rows = 0;
            await using (var cmd = new NpgsqlCommand(query, conn, tx))
            await using (var reader = await cmd.ExecuteReaderAsync(ct).ConfigureAwait(false))
                while (await reader.ReadAsync(ct).ConfigureAwait(false)) rows++;
            return Check(name, BackupDrillVerdict.Pass, $"{rows} row(s): {Shorten(query)}");
        }
        catch (PostgresException ex)
        {
            return Check(name, BackupDrillVerdict.Fail, $"{ex.SqlState} {ex.MessageText}: {Shorten(query)}", "DbBackupSmokeQueryFailed");
        }
        finally
        {
            await tx.RollbackAsync(CancellationToken.None).ConfigureAwait(false);
        }
    }

    private static string Shorten(string query)
    {
        var one = string.Join(' ', query.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries));
        return one.Length <= 90 ? one : one[..87] + "...";
    }

    private static async Task ExecAsync(NpgsqlConnection conn, string sql, CancellationToken ct)
    {
        await using var cmd = new NpgsqlCommand(sql, conn);
        await cmd.ExecuteNonQueryAsync(ct).ConfigureAwait(false);
    }

    internal static string Ident(string name) => "\"" + name.Replace("\"", "\"\"") + "\"";
}
