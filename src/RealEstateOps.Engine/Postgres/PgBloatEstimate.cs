namespace RealEstateOps.Engine.Postgres;

/// <summary>
/// A simple, honest bloat estimate (not pgstattuple's measurement, and simpler than check_postgres's): the size a relation would have
/// if packed, from its reltuples and the average column widths ANALYZE put in pg_stats, against its real size. A heap tuple is its
/// 24-byte header plus the row's average width aligned to 8 bytes plus a 4-byte line pointer, in pages of block_size less the 24-byte
/// page header, at the table's fillfactor; a B-tree index tuple is an 8-byte header plus the key columns' widths aligned to 8 plus the
/// line pointer, in pages less the page header and the 16-byte B-tree special space, at the index's fillfactor (90 by default), plus
/// the metapage. TOAST is not counted. Without statistics (never analyzed) there is no estimate.
/// </summary>
public static class PgBloatEstimate
{
    /// <summary>
    /// SQL for the B-tree estimate's inputs, over pg_stat_user_indexes s joined to pg_index i and pg_class ic (the index): the key columns'
    /// summed pg_stats average width (null when a key is an expression or has no statistics), then the index's fillfactor (90 by default).
    /// </summary>
    internal const string IndexInputsSql = """
        (select case when bool_and(k.attnum > 0 and st.avg_width is not null) then sum(st.avg_width)::float8 end
           from unnest(i.indkey::int2[]) with ordinality k(attnum, n)
           left join pg_attribute a on a.attrelid = i.indrelid and a.attnum = k.attnum
           left join pg_stats st on st.schemaname = s.schemaname and st.tablename = s.relname and st.attname = a.attname and not st.inherited
           where k.n <= i.indnkeyatts),
        coalesce((select o.option_value::int from pg_options_to_table(ic.reloptions) o where o.option_name = 'fillfactor'), 90)
        """;

    private static long Align8(double width) => ((long)Math.Ceiling(width) + 7) / 8 * 8;

    /// <summary>Estimated bloat bytes of a heap (never negative), or null without the statistics to estimate it.</summary>
    public static long? Table(double reltuples, double? rowWidth, long sizeBytes, int blockSize, int fillfactor = 100)
    {
        if (reltuples < 0 || rowWidth is not { } width || blockSize <= 0) return null;
        var tuple = 24 + Align8(width) + 4;
        return Bloat(reltuples, tuple, (blockSize - 24) * Math.Clamp(fillfactor, 10, 100) / 100.0, sizeBytes, blockSize, extraPages: 0);
    }

    /// <summary>Estimated bloat bytes of a B-tree index (never negative), or null without the statistics to estimate it.</summary>
    public static long? BTree(double reltuples, double? keyWidth, long sizeBytes, int blockSize, int fillfactor = 90)
    {
        if (reltuples < 0 || keyWidth is not { } width || blockSize <= 0) return null;
        var tuple = 8 + Align8(width) + 4;
        return Bloat(reltuples, tuple, (blockSize - 24 - 16) * Math.Clamp(fillfactor, 10, 100) / 100.0, sizeBytes, blockSize, extraPages: 1);
    }

    private static long Bloat(double tuples, long tupleBytes, double usable, long sizeBytes, int blockSize, int extraPages)
    {
        var perPage = Math.Max(1, Math.Floor(usable / tupleBytes));
        var pages = Math.Ceiling(tuples / perPage) + extraPages;
        return Math.Max(0, sizeBytes - (long)pages * blockSize);
    }

    public static double? Percent(long? bloat, long sizeBytes) => bloat is { } b && sizeBytes > 0 ? Math.Round(100.0 * b / sizeBytes, 1) : null;
}
