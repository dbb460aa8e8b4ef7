namespace RealEstateOps.Engine.Postgres;

/// <summary>One statement Invoke-DbMaintenance runs (or, with -WhatIf, would run): its SQL with the names quoted, and why it was chosen.</summary>
public sealed class DbMaintenanceStatement
{
    public DbMaintenanceKind Kind { get; init; }
    /// <summary>The table (schema.table) or index (schema.index), unquoted, as the catalog names it.</summary>
    public string Target { get; init; } = "";
    /// <summary>The table the statement works on (for an index: its table).</summary>
    public string Table { get; init; } = "";
    public string Sql { get; init; } = "";
    /// <summary>Why it was chosen, e.g. "named with -Table" or "12,000 dead tuples (at least 1,000)".</summary>
    public string Reason { get; init; } = "";
    /// <summary>The table's dead tuples, or the index's size in bytes, when the plan was made.</summary>
    public long Before { get; init; }

    public override string ToString() => Sql;
}
