using System.Globalization;
using Npgsql;
using RealEstateOps.Engine.Common;

namespace RealEstateOps.Engine.Postgres;

/// <summary>
/// Get-DbHealth: reads the server's statistics views (read-only, in a read-only transaction) into one <see cref="DbHealthReport"/> with
/// one finding per check and per object that needs attention: connections against max_connections, the buffer cache hit ratio, the
/// transaction ID age of every database, dead tuples and an estimated bloat per table (<see cref="PgBloatEstimate"/>), unused and
/// duplicate indexes, replication lag, long-running transactions, and the platform's vector search table. Works as the application's
/// login: what only a superuser or a member of pg_monitor may see is counted as far as it can be and said in
/// <see cref="DbHealthReport.Restricted"/>, never a failure.
/// </summary>
public sealed class PgHealthReader
{
    /// <summary>The transaction ID horizon: wraparound protection stops new transactions when age(datfrozenxid) nears 2^31.</summary>
    public const long XidHorizon = 2_147_483_648L;

    private const string BasicsSql =
        "select current_setting('max_connections')::int, current_setting('superuser_reserved_connections')::int, " +
        "coalesce(current_setting('reserved_connections', true), '0')::int, current_setting('server_version'), current_user, current_database(), " +
        "pg_is_in_recovery(), coalesce((select rolsuper from pg_roles where rolname = current_user), false) or pg_has_role(current_user, 'pg_monitor', 'member'), " +
        "current_setting('autovacuum_freeze_max_age')::bigint, current_setting('block_size')::int";

    private const string TablesSql = """
        select st.schemaname, st.relname, st.n_live_tup, st.n_dead_tup, pg_relation_size(st.relid), c.reltuples::float8,
               (select sum(s.avg_width)::float8 from pg_stats s where s.schemaname = st.schemaname and s.tablename = st.relname and not s.inherited),
               coalesce((select o.option_value::int from pg_options_to_table(c.reloptions) o where o.option_name = 'fillfactor'), 100),
               st.last_vacuum, st.last_autovacuum, st.last_analyze, st.last_autoanalyze
        from pg_stat_user_tables st join pg_class c on c.oid = st.relid
        order by st.schemaname, st.relname
        """;

    private const string IndexesSql = $"""
        select s.schemaname, s.indexrelname, s.relname, am.amname, pg_get_indexdef(i.indexrelid), pg_relation_size(i.indexrelid), s.idx_scan,
               i.indisunique, i.indisprimary, exists (select 1 from pg_constraint k where k.conindid = i.indexrelid), i.indisvalid, ic.reltuples::float8,
               {PgBloatEstimate.IndexInputsSql},
               concat_ws('|', i.indrelid::text, am.amname, i.indkey::text, i.indclass::text, i.indcollation::text, i.indoption::text,
                         coalesce(pg_get_expr(i.indexprs, i.indrelid), '-'), coalesce(pg_get_expr(i.indpred, i.indrelid), '-'))
        from pg_stat_user_indexes s
        join pg_index i on i.indexrelid = s.indexrelid
        join pg_class ic on ic.oid = i.indexrelid
        join pg_am am on am.oid = ic.relam
        order by s.schemaname, s.relname, s.indexrelname
        """;

    private readonly TimeProvider _time;

    public PgHealthReader(TimeProvider? time = null) => _time = time ?? TimeProvider.System;

    public async Task<DbHealthReport> ReadAsync(DbHealthRequest request, IProgress<OpsEvent>? progress, CancellationToken ct)
    {
        var conn = await PgConnect.OpenAsync(request.Connection, ct).ConfigureAwait(false);
        await using (conn.ConfigureAwait(false))
        {
            await using var tx = await conn.BeginTransactionAsync(ct).ConfigureAwait(false);
            await Exec(conn, tx, "set transaction read only", ct).ConfigureAwait(false);
            var findings = new List<DbHealthFinding>();
            var restricted = new List<string>();

            int max, reserved, blockSize;
            string version, user, database;
            bool inRecovery, canMonitor;
            long freezeMaxAge;
            await using (var r = await Reader(conn, tx, BasicsSql, ct).ConfigureAwait(false))
            {
                await r.ReadAsync(ct).ConfigureAwait(false);
                (max, reserved) = (r.GetInt32(0), r.GetInt32(1) + r.GetInt32(2));
                (version, user, database) = (r.GetString(3), r.GetString(4), r.GetString(5));
                (inRecovery, canMonitor, freezeMaxAge, blockSize) = (r.GetBoolean(6), r.GetBoolean(7), r.GetInt64(8), r.GetInt32(9));
            }
            Note(progress, $"Reading the health of {database} as {user}{(canMonitor ? "" : " (not a member of pg_monitor: other roles' sessions are hidden)")}.");

            // Connections: exact from pg_stat_activity when every session is visible, else pg_stat_database's numbackends (visible to all).
            var inUse = canMonitor
                ? await Scalar<long>(conn, tx, "select count(*) from pg_stat_activity where backend_type = 'client backend'", ct).ConfigureAwait(false)
                : await Scalar<long>(conn, tx, "select coalesce(sum(numbackends), 0) from pg_stat_database", ct).ConfigureAwait(false);
            if (!canMonitor)
                restricted.Add("Connections: counted from pg_stat_database.numbackends (it includes autovacuum and other background workers connected to a database); pg_monitor shows the client sessions exactly.");
            var userSlots = Math.Max(1, max - reserved);
            var usedPercent = Math.Round(100.0 * inUse / userSlots, 1);
            findings.Add(new DbHealthFinding
            {
                Check = DbHealthCheck.Connections, Target = database, Value = usedPercent, Unit = "%",
                Verdict = Above(usedPercent, request.ConnectionsWarningPercent, request.ConnectionsCriticalPercent),
                Threshold = $"warning at {request.ConnectionsWarningPercent} %, critical at {request.ConnectionsCriticalPercent} % of the {userSlots} slots for ordinary roles",
                Message = $"{inUse} of {userSlots} connection slots in use (max_connections {max}, {reserved} reserved for superusers).",
                Recommendation = usedPercent >= request.ConnectionsWarningPercent ? "See who holds them with Get-DbActivity; raise max_connections (Set-DbParameter) or put a pooler in front." : null,
            });

            // Cache hit ratio of this database.
            double? hitPercent = null;
            await using (var r = await Reader(conn, tx, "select blks_hit, blks_read from pg_stat_database where datname = current_database()", ct).ConfigureAwait(false))
            {
                if (await r.ReadAsync(ct).ConfigureAwait(false))
                {
                    var (hit, read) = (r.GetInt64(0), r.GetInt64(1));
                    if (hit + read > 0) hitPercent = Math.Round(100.0 * hit / (hit + read), 2);
                    findings.Add(hit + read < 1000
                        ? new DbHealthFinding
                        {
                            Check = DbHealthCheck.CacheHitRatio, Target = database, Value = hitPercent, Unit = "%", Verdict = DbHealthVerdict.Ok,
                            Message = $"Only {hit + read} blocks were asked for since the statistics were reset: too few to judge the cache hit ratio.",
                        }
                        : new DbHealthFinding
                        {
                            Check = DbHealthCheck.CacheHitRatio, Target = database, Value = hitPercent, Unit = "%",
                            Verdict = Below(hitPercent!.Value, request.CacheHitWarningPercent, request.CacheHitCriticalPercent),
                            Threshold = $"warning below {request.CacheHitWarningPercent} %, critical below {request.CacheHitCriticalPercent} %",
                            Message = $"{hitPercent} % of block reads were served from shared buffers ({hit:N0} hits, {read:N0} reads).",
                            Recommendation = hitPercent < request.CacheHitWarningPercent ? "The working set does not fit in shared_buffers: consider a larger instance class (Set-DbInstanceClass) or look for sequential scans of large tables." : null,
                        });
                }
            }

            // Transaction ID wraparound, per database.
            long oldestAge = 0;
            string? oldestDb = null;
            await using (var r = await Reader(conn, tx, "select datname, age(datfrozenxid)::bigint from pg_database order by 2 desc, 1", ct).ConfigureAwait(false))
            {
                while (await r.ReadAsync(ct).ConfigureAwait(false))
                {
                    var (name, age) = (r.GetString(0), r.GetInt64(1));
                    if (oldestDb is null) (oldestDb, oldestAge) = (name, age);
                    var percent = Math.Round(100.0 * age / XidHorizon, 2);
                    var verdict = Above(percent, request.WraparoundWarningPercent, request.WraparoundCriticalPercent);
                    if (verdict == DbHealthVerdict.Ok && age > freezeMaxAge) verdict = DbHealthVerdict.Warning;
                    findings.Add(new DbHealthFinding
                    {
                        Check = DbHealthCheck.Wraparound, Target = name, Value = age, Unit = "xids", Verdict = verdict,
                        Threshold = $"warning at {request.WraparoundWarningPercent} % of 2^31 or past autovacuum_freeze_max_age ({freezeMaxAge:N0}), critical at {request.WraparoundCriticalPercent} %",
                        Message = $"age(datfrozenxid) is {age:N0} ({percent} % of the wraparound horizon; autovacuum_freeze_max_age {freezeMaxAge:N0}).",
                        Recommendation = verdict == DbHealthVerdict.Ok ? null
                            : $"Freeze the oldest tables of {name}: Invoke-DbMaintenance -Database {name} -AllTables (VACUUM), and end long transactions that hold the horizon back.",
                    });
                }
            }

            // Tables: dead tuples and estimated bloat.
            var tables = new List<DbTableHealth>();
            await using (var r = await Reader(conn, tx, TablesSql, ct).ConfigureAwait(false))
            {
                while (await r.ReadAsync(ct).ConfigureAwait(false))
                {
                    var (live, dead, size) = (r.GetInt64(2), r.GetInt64(3), r.GetInt64(4));
                    var bloat = PgBloatEstimate.Table(r.GetDouble(5), r.IsDBNull(6) ? null : r.GetDouble(6), size, blockSize, r.GetInt32(7));
                    tables.Add(new DbTableHealth
                    {
                        Schema = r.GetString(0), Name = r.GetString(1), LiveTuples = live, DeadTuples = dead,
                        DeadPercent = live + dead == 0 ? 0 : Math.Round(100.0 * dead / (live + dead), 1),
                        SizeBytes = size, EstimatedBloatBytes = bloat, EstimatedBloatPercent = PgBloatEstimate.Percent(bloat, size),
                        LastVacuum = At(r, 8), LastAutovacuum = At(r, 9), LastAnalyze = At(r, 10), LastAutoanalyze = At(r, 11),
                    });
                }
            }
            foreach (var t in tables)
            {
                if (t.DeadTuples >= request.DeadTupleMinimum)
                {
                    var verdict = Above(t.DeadPercent, request.DeadTupleWarningPercent, request.DeadTupleCriticalPercent);
                    findings.Add(new DbHealthFinding
                    {
                        Check = DbHealthCheck.DeadTuples, Target = t.QualifiedName, Table = t.QualifiedName, Value = t.DeadTuples, Unit = "tuples", Verdict = verdict,
                        Threshold = $"from {request.DeadTupleMinimum:N0} dead tuples: warning at {request.DeadTupleWarningPercent} %, critical at {request.DeadTupleCriticalPercent} % of live + dead",
                        Message = $"{t.DeadTuples:N0} dead tuples, {t.DeadPercent} % of {t.LiveTuples + t.DeadTuples:N0}; last vacuumed {When(t.LastVacuumed)}.",
                        Recommendation = verdict == DbHealthVerdict.Ok ? null : $"Invoke-DbMaintenance -Table {t.QualifiedName} (VACUUM (ANALYZE)); check that autovacuum keeps up.",
                    });
                }
                if (t.EstimatedBloatBytes >= request.BloatMinimumBytes && t.EstimatedBloatPercent is { } bp)
                {
                    var verdict = Above(bp, request.BloatWarningPercent, request.BloatCriticalPercent);
                    if (verdict != DbHealthVerdict.Ok)
                        findings.Add(new DbHealthFinding
                        {
                            Check = DbHealthCheck.TableBloat, Target = t.QualifiedName, Table = t.QualifiedName, Value = t.EstimatedBloatBytes, Unit = "bytes", Verdict = verdict,
                            Threshold = $"from {request.BloatMinimumBytes:N0} bytes: warning at {request.BloatWarningPercent} %, critical at {request.BloatCriticalPercent} % (a simple estimate)",
                            Message = $"An estimated {t.EstimatedBloatBytes:N0} of {t.SizeBytes:N0} bytes ({bp} %) is free space (estimate from reltuples and pg_stats widths).",
                            Recommendation = $"VACUUM makes the space reusable (Invoke-DbMaintenance -Table {t.QualifiedName}); giving it back to the system needs a rewrite (pg_repack or VACUUM FULL, which locks the table).",
                        });
                }
            }
            if (tables.Count > 0 && tables.All(t => t.EstimatedBloatBytes is null))
                restricted.Add("Table bloat: no table has statistics for the estimate (never analyzed, or pg_stats hides columns this login cannot select).");

            // Indexes: unused, duplicate, bloated.
            var indexes = new List<DbIndexHealth>();
            var signatures = new List<(DbIndexHealth Index, string Signature)>();
            await using (var r = await Reader(conn, tx, IndexesSql, ct).ConfigureAwait(false))
            {
                while (await r.ReadAsync(ct).ConfigureAwait(false))
                {
                    var size = r.GetInt64(5);
                    var method = r.GetString(3);
                    var bloat = method == "btree" ? PgBloatEstimate.BTree(r.GetDouble(11), r.IsDBNull(12) ? null : r.GetDouble(12), size, blockSize, r.GetInt32(13)) : null;
                    var index = new DbIndexHealth
                    {
                        Schema = r.GetString(0), Name = r.GetString(1), Table = $"{r.GetString(0)}.{r.GetString(2)}", AccessMethod = method, Definition = r.GetString(4),
                        SizeBytes = size, Scans = r.GetInt64(6), IsUnique = r.GetBoolean(7), IsPrimary = r.GetBoolean(8), IsConstraint = r.GetBoolean(9), IsValid = r.GetBoolean(10),
                        EstimatedBloatBytes = bloat, EstimatedBloatPercent = PgBloatEstimate.Percent(bloat, size),
                    };
                    indexes.Add(index);
                    signatures.Add((index, r.GetString(14)));
                }
            }
            var unused = indexes.Where(i => i.Scans == 0 && !i.IsUnique && !i.IsPrimary && !i.IsConstraint).ToList();
            foreach (var i in unused)
                findings.Add(new DbHealthFinding
                {
                    Check = DbHealthCheck.UnusedIndex, Target = i.QualifiedName, Table = i.Table, Index = i.QualifiedName, Value = i.SizeBytes, Unit = "bytes",
                    Verdict = DbHealthVerdict.Warning, Threshold = "no scan since the statistics were reset (on this server; replicas count their own)",
                    Message = $"{i.QualifiedName} on {i.Table} ({i.SizeBytes:N0} bytes) has not been scanned since the statistics were reset; every write still maintains it.",
                    Recommendation = "Check the statistics' age and the replicas before dropping it (DROP INDEX CONCURRENTLY).",
                });
            var duplicates = signatures.GroupBy(s => s.Signature, StringComparer.Ordinal).Where(g => g.Count() > 1).ToList();
            foreach (var group in duplicates)
            {
                var members = group.Select(g => g.Index).OrderByDescending(i => i.IsPrimary || i.IsConstraint).ThenByDescending(i => i.IsUnique).ThenBy(i => i.Name, StringComparer.Ordinal).ToList();
                var keep = members[0];
                foreach (var extra in members.Skip(1))
                    findings.Add(new DbHealthFinding
                    {
                        Check = DbHealthCheck.DuplicateIndex, Target = extra.QualifiedName, Table = extra.Table, Index = extra.QualifiedName, Value = extra.SizeBytes, Unit = "bytes",
                        Verdict = DbHealthVerdict.Warning, Threshold = "same table, columns, operator classes, expressions and predicate",
                        Message = $"{extra.QualifiedName} duplicates {keep.QualifiedName} on {extra.Table} ({extra.Definition}).",
                        Recommendation = extra.IsConstraint ? "Both back constraints: drop the redundant constraint." : $"Drop {extra.QualifiedName} (DROP INDEX CONCURRENTLY); {keep.QualifiedName} serves the same queries.",
                    });
            }
            foreach (var i in indexes)
            {
                if (i.EstimatedBloatBytes >= request.BloatMinimumBytes && i.EstimatedBloatPercent is { } bp)
                {
                    var verdict = Above(bp, request.BloatWarningPercent, request.BloatCriticalPercent);
                    if (verdict != DbHealthVerdict.Ok)
                        findings.Add(new DbHealthFinding
                        {
                            Check = DbHealthCheck.IndexBloat, Target = i.QualifiedName, Table = i.Table, Index = i.QualifiedName, Value = i.EstimatedBloatBytes, Unit = "bytes", Verdict = verdict,
                            Threshold = $"from {request.BloatMinimumBytes:N0} bytes: warning at {request.BloatWarningPercent} %, critical at {request.BloatCriticalPercent} % (a simple estimate)",
                            Message = $"An estimated {i.EstimatedBloatBytes:N0} of {i.SizeBytes:N0} bytes ({bp} %) of {i.QualifiedName} is free space.",
                            Recommendation = $"Invoke-DbMaintenance -Index {i.QualifiedName} (REINDEX INDEX CONCURRENTLY).",
                        });
                }
                if (!i.IsValid)
                    findings.Add(new DbHealthFinding
                    {
                        Check = DbHealthCheck.IndexBloat, Target = i.QualifiedName, Table = i.Table, Index = i.QualifiedName, Verdict = DbHealthVerdict.Warning,
                        Message = $"{i.QualifiedName} is invalid (a failed CREATE INDEX or REINDEX CONCURRENTLY left it): queries do not use it, writes still maintain it.",
                        Recommendation = $"Invoke-DbMaintenance -Index {i.QualifiedName} rebuilds it, or drop it.",
                    });
            }

            // Replication.
            var replicas = 0;
            TimeSpan? lag = null;
            if (inRecovery)
            {
                replicas = -1;
                var seconds = await Scalar<double?>(conn, tx, "select extract(epoch from now() - pg_last_xact_replay_timestamp())::float8", ct).ConfigureAwait(false);
                lag = seconds is { } s ? TimeSpan.FromSeconds(s) : null;
                findings.Add(new DbHealthFinding
                {
                    Check = DbHealthCheck.Replication, Target = database, Value = seconds, Unit = "s",
                    Verdict = lag is { } l ? Above(l.TotalSeconds, request.ReplicationLagWarning.TotalSeconds, request.ReplicationLagCritical.TotalSeconds) : DbHealthVerdict.Skipped,
                    Threshold = $"warning at {Waiting.Waiter.Format(request.ReplicationLagWarning)}, critical at {Waiting.Waiter.Format(request.ReplicationLagCritical)}",
                    Message = lag is { } x ? $"This server is a replica; the last replayed transaction committed {Waiting.Waiter.Format(x)} ago (on an idle primary this grows without lag)."
                        : "This server is a replica that has replayed no transaction yet.",
                });
            }
            else
            {
                await using var r = await Reader(conn, tx,
                    "select coalesce(application_name, ''), client_addr::text, state, extract(epoch from replay_lag)::float8, pg_wal_lsn_diff(pg_current_wal_lsn(), replay_lsn)::float8 from pg_stat_replication order by 1", ct).ConfigureAwait(false);
                while (await r.ReadAsync(ct).ConfigureAwait(false))
                {
                    replicas++;
                    var name = r.GetString(0) is { Length: > 0 } n ? n : r.IsDBNull(1) ? "replica" : r.GetString(1);
                    if (r.IsDBNull(2))
                    {
                        findings.Add(new DbHealthFinding
                        {
                            Check = DbHealthCheck.Replication, Target = name, Verdict = DbHealthVerdict.Skipped,
                            Message = $"Replica {name} streams from this server; its lag is hidden from this login (needs pg_monitor).",
                        });
                        continue;
                    }
                    double? seconds = r.IsDBNull(3) ? 0 : r.GetDouble(3);
                    var bytes = r.IsDBNull(4) ? (double?)null : r.GetDouble(4);
                    var l = TimeSpan.FromSeconds(seconds.Value);
                    if (lag is null || l > lag) lag = l;
                    findings.Add(new DbHealthFinding
                    {
                        Check = DbHealthCheck.Replication, Target = name, Value = seconds, Unit = "s",
                        Verdict = Above(l.TotalSeconds, request.ReplicationLagWarning.TotalSeconds, request.ReplicationLagCritical.TotalSeconds),
                        Threshold = $"warning at {Waiting.Waiter.Format(request.ReplicationLagWarning)}, critical at {Waiting.Waiter.Format(request.ReplicationLagCritical)}",
                        Message = $"Replica {name} is {r.GetString(2)}, replaying {Waiting.Waiter.Format(l)} behind{(bytes is { } b ? $" ({b:N0} bytes of WAL)" : "")}.",
                    });
                }
                if (replicas == 0)
                    findings.Add(new DbHealthFinding
                    {
                        Check = DbHealthCheck.Replication, Target = database, Verdict = DbHealthVerdict.Ok,
                        Message = canMonitor ? "No replicas stream from this server." : "No replicas stream from this server that this login can see (pg_stat_replication needs pg_monitor for their details).",
                    });
            }

            // Long-running transactions.
            var longOnes = 0;
            await using (var r = await Reader(conn, tx,
                "select pid, usename, state, extract(epoch from now() - xact_start)::float8, left(query, 200) from pg_stat_activity " +
                "where xact_start is not null and pid <> pg_backend_pid() and now() - xact_start > @threshold order by xact_start", ct,
                new NpgsqlParameter("threshold", request.LongTransactionThreshold)).ConfigureAwait(false))
            {
                while (await r.ReadAsync(ct).ConfigureAwait(false))
                {
                    longOnes++;
                    var age = TimeSpan.FromSeconds(r.GetDouble(3));
                    var state = r.IsDBNull(2) ? "?" : r.GetString(2);
                    findings.Add(new DbHealthFinding
                    {
                        Check = DbHealthCheck.LongTransaction, Target = $"pid {r.GetInt32(0)}", Value = Math.Round(age.TotalSeconds), Unit = "s",
                        Verdict = age >= request.LongTransactionThreshold * 4 ? DbHealthVerdict.Critical : DbHealthVerdict.Warning,
                        Threshold = $"warning at {Waiting.Waiter.Format(request.LongTransactionThreshold)}, critical at {Waiting.Waiter.Format(request.LongTransactionThreshold * 4)}",
                        Message = $"Process {r.GetInt32(0)} ({(r.IsDBNull(1) ? "?" : r.GetString(1))}, {state}) has had a transaction open for {Waiting.Waiter.Format(age)}: " +
                                  $"{(r.IsDBNull(4) ? "" : r.GetString(4))}",
                        Recommendation = $"It holds back vacuum's horizon{(state.StartsWith("idle in transaction", StringComparison.Ordinal) ? " while doing nothing" : "")}: Stop-DbQuery {r.GetInt32(0)} -Terminate if it must end.",
                    });
                }
            }
            if (!canMonitor)
            {
                var hidden = await Scalar<long>(conn, tx, "select count(*) from pg_stat_activity where usename is not null and datname is not null and backend_type is null and pid <> pg_backend_pid()", ct).ConfigureAwait(false);
                if (hidden > 0)
                    restricted.Add($"Long transactions: {hidden} session(s) of other roles are hidden from this login (their transaction start needs pg_monitor or pg_read_all_stats).");
            }
            if (longOnes == 0)
                findings.Add(new DbHealthFinding
                {
                    Check = DbHealthCheck.LongTransaction, Target = database, Verdict = DbHealthVerdict.Ok, Value = 0,
                    Threshold = $"warning at {Waiting.Waiter.Format(request.LongTransactionThreshold)}",
                    Message = $"No transaction{(canMonitor ? "" : " this login can see")} has been open longer than {Waiting.Waiter.Format(request.LongTransactionThreshold)}.",
                });

            var vector = await new PgVectorCheck(conn, tx, request).ReadAsync(findings, ct).ConfigureAwait(false);
            await tx.RollbackAsync(ct).ConfigureAwait(false);

            var builder = DbConnectionTester.BuildConnectionString(request.Connection);
            var worst = findings.Select(f => f.Verdict).DefaultIfEmpty(DbHealthVerdict.Ok).Max();
            return new DbHealthReport
            {
                CapturedAt = _time.GetUtcNow(), Host = builder.Host, Port = builder.Port, Database = database, ConnectedAs = user, ServerVersion = version, CanMonitor = canMonitor,
                Verdict = worst == DbHealthVerdict.Skipped ? DbHealthVerdict.Ok : worst,
                Warnings = findings.Count(f => f.Verdict == DbHealthVerdict.Warning), Criticals = findings.Count(f => f.Verdict == DbHealthVerdict.Critical),
                ConnectionsInUse = (int)inUse, MaxConnections = max, ConnectionsUsedPercent = usedPercent, CacheHitPercent = hitPercent,
                OldestXidAge = oldestAge, OldestXidDatabase = oldestDb, AutovacuumFreezeMaxAge = freezeMaxAge,
                DeadTuples = tables.Sum(t => t.DeadTuples), UnusedIndexes = unused.Count, DuplicateIndexes = duplicates.Sum(g => g.Count() - 1),
                Replicas = replicas, ReplicationLag = lag, LongTransactions = longOnes, Vector = vector,
                Tables = tables, Indexes = indexes, Findings = findings, Restricted = restricted,
            };
        }
    }

    internal static DbHealthVerdict Above(double value, double warning, double critical) =>
        value >= critical ? DbHealthVerdict.Critical : value >= warning ? DbHealthVerdict.Warning : DbHealthVerdict.Ok;

    internal static DbHealthVerdict Below(double value, double warning, double critical) =>
        value < critical ? DbHealthVerdict.Critical : value < warning ? DbHealthVerdict.Warning : DbHealthVerdict.Ok;

    private static string When(DateTimeOffset? at) => at is { } t ? t.UtcDateTime.ToString("yyyy-MM-dd HH:mm 'UTC'", CultureInfo.InvariantCulture) : "never";

    private static DateTimeOffset? At(NpgsqlDataReader r, int i) => r.IsDBNull(i) ? null : r.GetFieldValue<DateTimeOffset>(i);

    private static void Note(IProgress<OpsEvent>? progress, string text) => progress?.Report(OpsNote.Verbose(text));

    internal static async Task Exec(NpgsqlConnection conn, NpgsqlTransaction? tx, string sql, CancellationToken ct)
    {
        await using var cmd = new NpgsqlCommand(sql, conn, tx);
        await cmd.ExecuteNonQueryAsync(ct).ConfigureAwait(false);
    }

    internal static async Task<NpgsqlDataReader> Reader(NpgsqlConnection conn, NpgsqlTransaction? tx, string sql, CancellationToken ct, params NpgsqlParameter[] parameters)
    {
        var cmd = new NpgsqlCommand(sql, conn, tx);
        cmd.Parameters.AddRange(parameters);
        try
        {
            var reader = await cmd.ExecuteReaderAsync(System.Data.CommandBehavior.Default, ct).ConfigureAwait(false);
            reader.ReaderClosed += (_, _) => cmd.Dispose(); // the command goes with its reader
            return reader;
        }
        catch
        {
            await cmd.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    internal static async Task<T> Scalar<T>(NpgsqlConnection conn, NpgsqlTransaction? tx, string sql, CancellationToken ct, params NpgsqlParameter[] parameters)
    {
        await using var cmd = new NpgsqlCommand(sql, conn, tx);
        cmd.Parameters.AddRange(parameters);
        var value = await cmd.ExecuteScalarAsync(ct).ConfigureAwait(false);
        return value is null or DBNull ? default! : (T)Convert.ChangeType(value, Nullable.GetUnderlyingType(typeof(T)) ?? typeof(T), CultureInfo.InvariantCulture);
    }
}
