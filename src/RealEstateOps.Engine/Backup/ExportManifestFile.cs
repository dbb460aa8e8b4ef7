namespace RealEstateOps.Engine.Backup;

/// <summary>One file of an export: its key (relative to the prefix for a parallel export), what it is, its size and SHA-256.</summary>
public sealed class ExportManifestFile
{
    public string Key { get; init; } = "";
    /// <summary>"pre-data" or "post-data" (pg_dump -Fc archives of the schema), "data" (a table's rows), or "archive" (a whole pg_dump -Fc).</summary>
    public string Kind { get; init; } = "";
    /// <summary>For data: the table (schema.table) whose rows it holds.</summary>
    public string? Table { get; init; }
    /// <summary>For data: the rows in this file.</summary>
    public long? Rows { get; init; }
    public long Size { get; init; }
    public string Sha256 { get; init; } = "";
}
