namespace RealEstateOps.Engine.Backup;

/// <summary>One table of a restore drill: the rows the backup recorded (null when it records none) and the rows the restore holds.</summary>
public sealed class BackupDrillTable
{
    /// <summary>schema.table</summary>
    public string Table { get; init; } = "";
    public long? ExpectedRows { get; init; }
    /// <summary>Null when the table is missing from the restore.</summary>
    public long? RestoredRows { get; init; }
    public bool Matches => RestoredRows is not null && (ExpectedRows is null || ExpectedRows == RestoredRows);
}
