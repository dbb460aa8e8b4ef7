using System.Diagnostics;
using System.Globalization;
using Npgsql;
using RealEstateOps.Engine.Common;

namespace RealEstateOps.Engine.Postgres;

/// <summary>
/// Invoke-DbMaintenance: <see cref="PlanAsync"/> reads the catalog (only) and returns the statements to run: VACUUM (ANALYZE) of tables
/// and REINDEX INDEX CONCURRENTLY of indexes, every name taken from the catalog and quoted (<see cref="PgIdentifier"/>), so no text
/// given by the operator reaches the SQL; a name that matches nothing (DbTableNotFound, DbIndexNotFound) or more than one object
/// (DbObjectAmbiguous) is a per-item failure and the plan goes on. <see cref="RunAsync"/> runs one statement on its own connection
/// with statement_timeout and lock_timeout (DbMaintenanceTimeout, DbLockTimeout), outside any transaction block (neither statement may
/// run in one); cancelling the token cancels the running statement on the server (Npgsql's cancel request).
/// </summary>
public sealed class PgMaintenance
{
    private const string TablesSql = "select schemaname, relname, n_dead_tup from pg_stat_user_tables order by schemaname, relname";

    private const string IndexesSql = $"""
        select s.schemaname, s.indexrelname, s.schemaname || '.' || s.relname, pg_relation_size(s.indexrelid), am.amname, ic.reltuples::float8,
               {PgBloatEstimate.IndexInputsSql},
               current_setting('block_size')::int
        from pg_stat_user_indexes s join pg_index i on i.indexrelid = s.indexrelid join pg_class ic on ic.oid = i.indexrelid join pg_am am on am.oid = ic.relam
        order by s.schemaname, s.indexrelname
        """;

    public async Task<IReadOnlyList<DbMaintenanceStatement>> PlanAsync(DbMaintenanceRequest request, IProgress<OpsEvent>? progress, CancellationToken ct)
    {
        var conn = await PgConnect.OpenAsync(request.Connection, ct).ConfigureAwait(false);
        await using (conn.ConfigureAwait(false))
        {
            var tables = new List<(string Schema, string Name, long Dead)>();
            await using (var r = await PgHealthReader.Reader(conn, null, TablesSql, ct).ConfigureAwait(false))
                while (await r.ReadAsync(ct).ConfigureAwait(false)) tables.Add((r.GetString(0), r.GetString(1), r.GetInt64(2)));
            var indexes = new List<(string Schema, string Name, string Table, long Size, long? Bloat)>();
            await using (var r = await PgHealthReader.Reader(conn, null, IndexesSql, ct).ConfigureAwait(false))
                while (await r.ReadAsync(ct).ConfigureAwait(false))
                {
                    var size = r.GetInt64(3);
                    var bloat = r.GetString(4) == "btree" ? PgBloatEstimate.BTree(r.GetDouble(5), r.IsDBNull(6) ? null : r.GetDouble(6), size, r.GetInt32(8), r.GetInt32(7)) : null;
                    indexes.Add((r.GetString(0), r.GetString(1), r.GetString(2), size, bloat));
                }

            var plan = new List<DbMaintenanceStatement>();
            var seen = new HashSet<string>(StringComparer.Ordinal);
            void Vacuum((string Schema, string Name, long Dead) t, string reason)
            {
                if (seen.Add("t:" + t.Schema + "." + t.Name)) plan.Add(VacuumStatement(t.Schema, t.Name, t.Dead, reason));
            }
            void Reindex((string Schema, string Name, string Table, long Size, long? Bloat) i, string reason)
            {
                if (seen.Add("i:" + i.Schema + "." + i.Name)) plan.Add(ReindexStatement(i.Schema, i.Name, i.Table, i.Size, reason));
            }

            foreach (var name in request.Tables)
                if (Match(name, tables, t => t.Schema, t => t.Name, "table", "DbTableNotFound", progress) is { } t) Vacuum(t, "named with -Table");
            if (request.AllTables)
                foreach (var t in tables) Vacuum(t, "-AllTables");
            foreach (var name in request.Indexes)
                if (Match(name, indexes, i => i.Schema, i => i.Name, "index", "DbIndexNotFound", progress) is { } i) Reindex(i, "named with -Index");
            if (request.ReindexBloated)
                foreach (var i in indexes.Where(i => i.Bloat >= request.BloatMinimumBytes && PgBloatEstimate.Percent(i.Bloat, i.Size) >= request.BloatPercent))
                    Reindex(i, $"an estimated {i.Bloat:N0} of {i.Size:N0} bytes ({PgBloatEstimate.Percent(i.Bloat, i.Size)} %) bloat");
            if (request.Tables.Count == 0 && request.Indexes.Count == 0 && !request.AllTables)
                foreach (var t in tables.Where(t => t.Dead >= request.DeadTupleThreshold))
                    Vacuum(t, $"{t.Dead:N0} dead tuples (at least {request.DeadTupleThreshold:N0})");
            if (plan.Count == 0) progress.Verbose("Nothing to do: no table or index was named or passes the thresholds.");
            return plan;
        }
    }

    /// <summary>VACUUM (ANALYZE) of a table, its names quoted.</summary>
    public static DbMaintenanceStatement VacuumStatement(string schema, string table, long deadTuples, string reason) => new()
    {
        Kind = DbMaintenanceKind.VacuumAnalyze, Target = $"{schema}.{table}", Table = $"{schema}.{table}", Before = deadTuples, Reason = reason,
        Sql = $"VACUUM (ANALYZE) {PgIdentifier.Qualified(schema, table)}",
    };

    /// <summary>REINDEX INDEX CONCURRENTLY of an index, its names quoted.</summary>
    public static DbMaintenanceStatement ReindexStatement(string schema, string index, string table, long sizeBytes, string reason) => new()
    {
        Kind = DbMaintenanceKind.ReindexConcurrently, Target = $"{schema}.{index}", Table = table, Before = sizeBytes, Reason = reason,
        Sql = $"REINDEX INDEX CONCURRENTLY {PgIdentifier.Qualified(schema, index)}",
    };

    /// <summary>
    /// Finds a name in the catalog: schema.name exactly, or a bare name in any schema; case-sensitive first (as quoted SQL names are),
    /// then case-insensitive when that finds exactly one. Nothing or more than one: a per-item failure, and null.
    /// </summary>
    internal static T? Match<T>(string given, IReadOnlyList<T> items, Func<T, string> schema, Func<T, string> name, string what, string notFoundId, IProgress<OpsEvent>? progress)
        where T : struct
    {
        var dot = given.IndexOf('.', StringComparison.Ordinal);
        // schema.name first; a bare name (which may itself hold a dot) in any schema next.
        var tries = dot > 0 ? new[] { (Schema: (string?)given[..dot], Name: given[(dot + 1)..]), (Schema: (string?)null, Name: given) } : new[] { (Schema: (string?)null, Name: given) };
        foreach (var comparison in new[] { StringComparison.Ordinal, StringComparison.OrdinalIgnoreCase })
        foreach (var (s, n) in tries)
        {
            var found = items.Where(i => string.Equals(name(i), n, comparison) && (s is null || string.Equals(schema(i), s, comparison))).ToList();
            if (found.Count == 1) return found[0];
            if (found.Count > 1)
            {
                progress.ItemFailed(new OpsException("DbObjectAmbiguous", OpsErrorCategory.InvalidArgument,
                    $"'{given}' names {found.Count} {(what == "index" ? "indexes" : what + "s")}: {string.Join(", ", found.Select(f => schema(f) + "." + name(f)))}. Give it as schema.name.", given));
                return null;
            }
        }
        progress.ItemFailed(new OpsException(notFoundId, OpsErrorCategory.ObjectNotFound,
            $"No {what} '{given}' in this database (user {(what == "index" ? "indexes" : what + "s")}, as pg_stat_user_{(what == "index" ? "indexes" : what + "s")} lists them).", given));
        return null;
    }

    /// <summary>Runs one statement; its own connection, statement_timeout and lock_timeout; the token cancels it on the server.</summary>
    public async Task<DbMaintenanceResult> RunAsync(DbMaintenanceStatement statement, DbMaintenanceRequest request, IProgress<OpsEvent>? progress, CancellationToken ct)
    {
        var conn = await PgConnect.OpenAsync(request.Connection, ct).ConfigureAwait(false);
        await using (conn.ConfigureAwait(false))
        {
            await PgHealthReader.Exec(conn, null, $"set statement_timeout = {Millis(request.StatementTimeout)}", ct).ConfigureAwait(false);
            await PgHealthReader.Exec(conn, null, $"set lock_timeout = {Millis(request.LockTimeout)}", ct).ConfigureAwait(false);
            progress.Verbose($"Running: {statement.Sql} ({statement.Reason}).");
            var watch = Stopwatch.StartNew();
            try
            {
                await using var cmd = new NpgsqlCommand(statement.Sql, conn) { CommandTimeout = 0 };
                await cmd.ExecuteNonQueryAsync(ct).ConfigureAwait(false);
            }
            catch (PostgresException ex)
            {
                throw Classify(ex, statement, request);
            }
            catch (OperationCanceledException) when (ct.IsCancellationRequested)
            {
                progress.Warning($"Cancelled on the server: {statement.Sql}.{(statement.Kind == DbMaintenanceKind.ReindexConcurrently ? " A cancelled REINDEX CONCURRENTLY may leave an invalid index named *_ccnew: Get-DbHealth reports it; drop it or run the REINDEX again." : "")}");
                throw;
            }
            var elapsed = watch.Elapsed;
            long? after = null;
            if (statement.Kind == DbMaintenanceKind.VacuumAnalyze)
            {
                // VACUUM reports the table's dead tuples when it ends; a new transaction sees the fresh statistics.
                await PgHealthReader.Exec(conn, null, "select pg_stat_clear_snapshot()", ct).ConfigureAwait(false);
                after = await PgHealthReader.Scalar<long?>(conn, null, "select n_dead_tup from pg_stat_user_tables where relid = to_regclass(@name)", ct,
                    new NpgsqlParameter("name", QuotedTarget(statement))).ConfigureAwait(false);
            }
            else
            {
                after = await PgHealthReader.Scalar<long?>(conn, null, "select pg_relation_size(to_regclass(@name))", ct,
                    new NpgsqlParameter("name", QuotedTarget(statement))).ConfigureAwait(false);
            }
            return new DbMaintenanceResult
            {
                Kind = statement.Kind, Target = statement.Target, Sql = statement.Sql, Status = DbMaintenanceStatus.Succeeded, Duration = elapsed,
                Before = statement.Before, After = after,
            };
        }
    }

    private static string QuotedTarget(DbMaintenanceStatement s)
    {
        var dot = s.Target.IndexOf('.', StringComparison.Ordinal);
        return PgIdentifier.Qualified(s.Target[..dot], s.Target[(dot + 1)..]);
    }

    private static string Millis(TimeSpan t) => ((long)Math.Max(0, t.TotalMilliseconds)).ToString(CultureInfo.InvariantCulture);

    private static OpsException Classify(PostgresException ex, DbMaintenanceStatement s, DbMaintenanceRequest request) => ex.SqlState switch
    {
        "55P03" => new OpsException("DbLockTimeout", OpsErrorCategory.ResourceBusy,
            $"{s.Sql}: waited {Waiting.Waiter.Format(request.LockTimeout)} for a lock and gave up ({ex.MessageText}); nothing was changed.", s.Target)
        {
            RecommendedAction = "Another session holds a conflicting lock (Get-DbActivity shows who blocks whom); retry later or with a longer -LockTimeout.",
        },
        "57014" => new OpsException("DbMaintenanceTimeout", OpsErrorCategory.OperationTimeout,
            $"{s.Sql}: stopped by the statement timeout ({Waiting.Waiter.Format(request.StatementTimeout)}).", s.Target)
        {
            RecommendedAction = "Give a longer -StatementTimeout, or run it when the table is quieter." +
                                (s.Kind == DbMaintenanceKind.ReindexConcurrently ? " A stopped REINDEX CONCURRENTLY may leave an invalid *_ccnew index: drop it." : ""),
        },
        "42501" => new OpsException("DbPermissionDenied", OpsErrorCategory.PermissionDenied,
            $"{s.Sql}: {ex.MessageText}. Only the owner of the table (or a superuser) may run it.", s.Target),
        "42P01" or "42704" => new OpsException(s.Kind == DbMaintenanceKind.VacuumAnalyze ? "DbTableNotFound" : "DbIndexNotFound", OpsErrorCategory.ObjectNotFound,
            $"{s.Sql}: {ex.MessageText} (dropped since the plan was made?).", s.Target),
        _ => new OpsException("DbMaintenanceFailed", OpsErrorCategory.InvalidOperation, $"{s.Sql}: {ex.MessageText} (SQLSTATE {ex.SqlState}).", s.Target),
    };
}
