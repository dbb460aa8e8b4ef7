namespace RealEstateOps.Engine.Backup;

/// <summary>A table of an export: its name (schema.table), its exact row count in the dump's snapshot, and the columns its data files hold.</summary>
public sealed class ExportManifestTable
{
    public string Name { get; init; } = "";
    public string Schema { get; init; } = "";
    public string Table { get; init; } = "";
    public long Rows { get; init; }
    /// <summary>The columns in the data files, in order (generated columns are left out; the restore computes them). Null for a single-file export.</summary>
    public string[]? Columns { get; init; }
}
