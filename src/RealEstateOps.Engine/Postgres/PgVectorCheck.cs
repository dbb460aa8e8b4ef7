using Npgsql;

namespace RealEstateOps.Engine.Postgres;

/// <summary>
/// The vector search part of Get-DbHealth, on the health reader's read-only transaction: the embedding column's type (pgvector's
/// vector(n), or the real[] the platform falls back to without pgvector), its ANN index (ivfflat or hnsw) and operator class, the
/// dimensions the rows really have (vector_dims or array_length), and, with pgvector and an ANN index, a recall spot check: for a few
/// sample rows the k nearest by the index (sequential scans off) against the exact k nearest (index scans off). Without pgvector or an
/// index, recall is Skipped with the reason, never estimated.
/// </summary>
internal sealed class PgVectorCheck
{
    private readonly NpgsqlConnection _conn;
    private readonly NpgsqlTransaction _tx;
    private readonly DbHealthRequest _request;

    public PgVectorCheck(NpgsqlConnection conn, NpgsqlTransaction tx, DbHealthRequest request) => (_conn, _tx, _request) = (conn, tx, request);

    public async Task<DbVectorHealth> ReadAsync(List<DbHealthFinding> findings, CancellationToken ct)
    {
        var table = _request.VectorTable;
        var pgvector = await PgHealthReader.Scalar<string?>(_conn, _tx, "select extversion from pg_extension where extname = 'vector'", ct).ConfigureAwait(false);
        var available = pgvector is not null || await PgHealthReader.Scalar<bool>(_conn, _tx, "select exists (select 1 from pg_available_extensions where name = 'vector')", ct).ConfigureAwait(false);
        var noVector = available ? "pgvector is available on this server but not installed in this database (CREATE EXTENSION vector)" : "pgvector is not installed on this server";

        // The table and column, by name, as the server resolves it on the search path.
        long oid = 0;
        string? quotedTable = null, type = null, typeName = null;
        int typmod = -1, attnum = 0;
        await using (var r = await PgHealthReader.Reader(_conn, _tx,
            "select c.oid::bigint, c.oid::regclass::text, format_type(a.atttypid, a.atttypmod), t.typname, a.atttypmod, a.attnum from pg_class c " +
            "join pg_attribute a on a.attrelid = c.oid and a.attname = @column and not a.attisdropped join pg_type t on t.oid = a.atttypid " +
            "where c.relkind in ('r', 'p') and pg_table_is_visible(c.oid) and c.relname = @table", ct,
            new NpgsqlParameter("table", table), new NpgsqlParameter("column", _request.VectorColumn)).ConfigureAwait(false))
        {
            if (await r.ReadAsync(ct).ConfigureAwait(false))
                (oid, quotedTable, type, typeName, typmod, attnum) = (r.GetInt64(0), r.GetString(1), r.GetString(2), r.GetString(3), r.GetInt32(4), r.GetInt16(5));
        }
        if (quotedTable is null)
        {
            findings.Add(new DbHealthFinding
            {
                Check = DbHealthCheck.VectorColumn, Target = table, Verdict = DbHealthVerdict.Skipped,
                Message = $"No table {table} with a column {_request.VectorColumn} in this database: the vector search checks do not apply here.",
            });
            return new DbVectorHealth { Table = table, PgVectorInstalled = pgvector is not null, PgVectorVersion = pgvector, RecallSkippedReason = "no vector table" };
        }
        var isVector = typeName == "vector";
        int? declared = isVector && typmod > 0 ? typmod : null;
        findings.Add(new DbHealthFinding
        {
            Check = DbHealthCheck.VectorColumn, Target = $"{table}.{_request.VectorColumn}", Verdict = isVector ? DbHealthVerdict.Ok : DbHealthVerdict.Warning,
            Message = isVector ? $"{table}.{_request.VectorColumn} is {type} (pgvector {pgvector})."
                : $"{table}.{_request.VectorColumn} is {type}, not pgvector's vector ({noVector}): no ANN index can serve it, and every similarity search computes distances in the application or scans every row.",
            Recommendation = isVector ? null : "Install pgvector (on RDS: CREATE EXTENSION vector) and convert the column to vector(n) with an hnsw index.",
        });

        // The ANN index on the column, if any (ivfflat or hnsw first).
        string? indexName = null, method = null, opclass = null;
        await using (var r = await PgHealthReader.Reader(_conn, _tx,
            "select ci.relname, am.amname, opc.opcname from pg_index i join pg_class ci on ci.oid = i.indexrelid join pg_am am on am.oid = ci.relam " +
            "join pg_opclass opc on opc.oid = i.indclass[0] where i.indrelid = @oid::oid and i.indkey[0] = @attnum " +
            "order by (am.amname in ('hnsw', 'ivfflat')) desc, ci.relname", ct,
            new NpgsqlParameter("oid", oid), new NpgsqlParameter("attnum", (short)attnum)).ConfigureAwait(false))
        {
            if (await r.ReadAsync(ct).ConfigureAwait(false)) (indexName, method, opclass) = (r.GetString(0), r.GetString(1), r.GetString(2));
        }
        var ann = method is "hnsw" or "ivfflat";
        findings.Add(new DbHealthFinding
        {
            Check = DbHealthCheck.VectorIndex, Target = indexName ?? table,
            Verdict = ann ? DbHealthVerdict.Ok : isVector ? DbHealthVerdict.Warning : DbHealthVerdict.Skipped,
            Message = ann ? $"{indexName} is a {method} index ({opclass}) on {table}.{_request.VectorColumn}."
                : isVector ? $"{table}.{_request.VectorColumn} has no ivfflat or hnsw index{(indexName is null ? "" : $" ({indexName} is {method})")}: nearest-neighbour searches scan every row."
                : $"No ANN index is possible on a {type} column ({noVector}).",
            Recommendation = ann || !isVector ? null : $"CREATE INDEX CONCURRENTLY ON {table} USING hnsw ({_request.VectorColumn} vector_cosine_ops) -- with the operator class of the distance the application uses.",
        });

        // Dimensions of the rows.
        var column = PgIdentifier.Quote(_request.VectorColumn);
        var dims = new Dictionary<int, long>();
        var dimension = isVector ? $"vector_dims({column})" : typeName?.StartsWith('_') == true ? $"coalesce(array_length({column}, 1), 0)" : null;
        long rows = 0;
        if (dimension is not null)
        {
            await using var r = await PgHealthReader.Reader(_conn, _tx, $"select {dimension}, count(*) from {quotedTable} where {column} is not null group by 1 order by 2 desc", ct).ConfigureAwait(false);
            while (await r.ReadAsync(ct).ConfigureAwait(false))
            {
                dims[r.GetInt32(0)] = r.GetInt64(1);
                rows += r.GetInt64(1);
            }
        }
        var consistent = dims.Count <= 1 && (declared is null || dims.Count == 0 || dims.ContainsKey(declared.Value));
        findings.Add(new DbHealthFinding
        {
            Check = DbHealthCheck.VectorDimensions, Target = $"{table}.{_request.VectorColumn}", Value = dims.Count == 1 ? dims.Keys.First() : null, Unit = "dimensions",
            Verdict = dimension is null ? DbHealthVerdict.Skipped : consistent ? DbHealthVerdict.Ok : DbHealthVerdict.Critical,
            Message = dimension is null ? $"The column's type {type} has no dimension to check."
                : dims.Count == 0 ? $"{table} has no embeddings yet."
                : consistent ? $"All {rows:N0} embeddings have {dims.Keys.First()} dimensions{(declared is null ? "" : " as declared")}."
                : $"The embeddings have {dims.Count} different dimensions ({string.Join(", ", dims.Select(d => $"{d.Key}: {d.Value:N0} rows"))}){(declared is { } d ? $"; the column declares {d}" : "")}: searches across them are meaningless.",
            Recommendation = consistent ? null : "Re-embed the rows of the odd dimension with the current model, and store the model next to each row (the model column).",
        });

        // Recall spot check.
        double? recall = null;
        string? skipped = null;
        if (pgvector is null) skipped = $"{noVector}: there is no ANN index whose recall could be measured";
        else if (!isVector) skipped = $"the column is {type}, not vector";
        else if (!ann) skipped = "the column has no ivfflat or hnsw index";
        else if (rows == 0) skipped = "the table has no rows";
        else recall = await RecallAsync(quotedTable, column, opclass!, ct).ConfigureAwait(false);
        findings.Add(new DbHealthFinding
        {
            Check = DbHealthCheck.VectorRecall, Target = indexName ?? table, Value = recall, Unit = recall is null ? null : "%",
            Verdict = recall is { } rc ? PgHealthReader.Below(rc, _request.RecallWarningPercent, _request.RecallCriticalPercent) : DbHealthVerdict.Skipped,
            Threshold = recall is null ? null : $"warning below {_request.RecallWarningPercent} %, critical below {_request.RecallCriticalPercent} %",
            Message = recall is { } value
                ? $"Mean recall@{_request.RecallK} of {indexName} ({method}) against exact search over {_request.RecallSamples} sample rows: {value} % (the index's default search settings)."
                : $"Recall not measured: {skipped}.",
            Recommendation = recall < _request.RecallWarningPercent ? (method == "hnsw" ? "Raise hnsw.ef_search, or rebuild with larger m / ef_construction." : "Raise ivfflat.probes, or rebuild with lists fitted to the rows (rows / 1000).") : null,
        });
        return new DbVectorHealth
        {
            Table = table, TableExists = true, PgVectorInstalled = pgvector is not null, PgVectorVersion = pgvector, ColumnType = type, DeclaredDimensions = declared,
            IndexName = indexName, IndexType = method, IndexOperatorClass = opclass, Rows = rows, Dimensions = dims,
            RecallPercent = recall, RecallSamples = recall is null ? 0 : _request.RecallSamples, RecallK = _request.RecallK, RecallSkippedReason = skipped,
        };
    }

    /// <summary>The distance operator of a pgvector operator class.</summary>
    internal static string Operator(string opclass) =>
        opclass.Contains("cosine", StringComparison.Ordinal) ? "<=>"
        : opclass.Contains("_ip_", StringComparison.Ordinal) ? "<#>"
        : opclass.Contains("l1", StringComparison.Ordinal) ? "<+>"
        : "<->";

    private async Task<double> RecallAsync(string table, string column, string opclass, CancellationToken ct)
    {
        var op = Operator(opclass);
        var samples = new List<string>();
        await using (var r = await PgHealthReader.Reader(_conn, _tx, $"select {column}::text from {table} where {column} is not null order by random() limit @n", ct,
            new NpgsqlParameter("n", _request.RecallSamples)).ConfigureAwait(false))
        {
            while (await r.ReadAsync(ct).ConfigureAwait(false)) samples.Add(r.GetString(0));
        }
        var nearest = $"select ctid::text from {table} order by {column} {op} @v::vector limit @k";
        double total = 0;
        foreach (var sample in samples)
        {
            await PgHealthReader.Exec(_conn, _tx, "set local enable_seqscan = off; set local enable_indexscan = on", ct).ConfigureAwait(false);
            var byIndex = await RowsAsync(nearest, sample, ct).ConfigureAwait(false);
            await PgHealthReader.Exec(_conn, _tx, "set local enable_seqscan = on; set local enable_indexscan = off; set local enable_bitmapscan = off", ct).ConfigureAwait(false);
            var exact = await RowsAsync(nearest, sample, ct).ConfigureAwait(false);
            total += exact.Count == 0 ? 1 : (double)exact.Intersect(byIndex).Count() / exact.Count;
        }
        await PgHealthReader.Exec(_conn, _tx, "set local enable_seqscan = on; set local enable_indexscan = on; set local enable_bitmapscan = on", ct).ConfigureAwait(false);
        return samples.Count == 0 ? 100 : Math.Round(100 * total / samples.Count, 1);
    }

    private async Task<HashSet<string>> RowsAsync(string sql, string vector, CancellationToken ct)
    {
        var set = new HashSet<string>(StringComparer.Ordinal);
        await using var r = await PgHealthReader.Reader(_conn, _tx, sql, ct, new NpgsqlParameter("v", vector), new NpgsqlParameter("k", _request.RecallK)).ConfigureAwait(false);
        while (await r.ReadAsync(ct).ConfigureAwait(false)) set.Add(r.GetString(0));
        return set;
    }
}
