namespace RealEstateOps.Engine.Backup;

/// <summary>What Test-DbBackup found: the backup restored into a scratch copy, each check's verdict, and whether the copy was removed.</summary>
public sealed class BackupDrillResult
{
    /// <summary>The drill's id: the marker on the scratch copy (its tag or its database comment), and nothing else carries it.</summary>
    public string DrillId { get; init; } = "";
    public BackupDrillKind Kind { get; init; }
    /// <summary>The snapshot id, or the export's location (s3://bucket/key or a file).</summary>
    public string Backup { get; init; } = "";
    /// <summary>When the backup was taken (the snapshot's time, the export's snapshot time).</summary>
    public DateTimeOffset? BackupTime { get; init; }
    /// <summary>The scratch copy: an instance id, or host:port/database.</summary>
    public string Scratch { get; init; } = "";
    public DateTimeOffset StartedAt { get; init; }
    public TimeSpan Duration { get; init; }
    public BackupDrillCheck[] Checks { get; init; } = Array.Empty<BackupDrillCheck>();
    public BackupDrillTable[] Tables { get; init; } = Array.Empty<BackupDrillTable>();
    /// <summary>Whether the scratch copy was removed (for an instance: its deletion started); false says what is left to remove.</summary>
    public bool ScratchRemoved { get; init; }
    /// <summary>Why the scratch copy is still there, when it is.</summary>
    public string? ScratchNote { get; init; }
    public bool Passed => Checks.Length > 0 && Checks.All(c => c.Passed);
    public string Verdict => Passed ? "Passed" : "Failed";
    public string[] FailedChecks => Checks.Where(c => !c.Passed).Select(c => c.Name).ToArray();
    public long RowsExpected => Tables.Sum(t => t.ExpectedRows ?? 0);
    public long RowsRestored => Tables.Sum(t => t.RestoredRows ?? 0);
}
