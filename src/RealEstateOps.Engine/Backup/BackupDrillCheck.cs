namespace RealEstateOps.Engine.Backup;

/// <summary>One check of a restore drill: Restore, Tables, RowCounts, Indexes, IndexIntegrity, or Smoke:&lt;n&gt; for each smoke query.</summary>
public sealed class BackupDrillCheck
{
    public string Name { get; init; } = "";
    public BackupDrillVerdict Verdict { get; init; }
    public string Detail { get; init; } = "";
    /// <summary>The error id when the check failed on an error (a restore refused, a query failed).</summary>
    public string? ErrorId { get; init; }
    public bool Passed => Verdict != BackupDrillVerdict.Fail;
}
