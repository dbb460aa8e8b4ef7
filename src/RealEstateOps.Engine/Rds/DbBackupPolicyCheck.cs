namespace RealEstateOps.Engine.Rds;

/// <summary>One point of the backup policy and its verdict: what the policy expects, what the instance has.</summary>
public sealed class DbBackupPolicyCheck
{
    public string DbInstanceId { get; init; } = "";
    public DbBackupPolicyPoint Point { get; init; }
    public DbBackupPolicyVerdict Verdict { get; init; }
    public string Expected { get; init; } = "";
    public string Actual { get; init; } = "";
    public string Detail { get; init; } = "";
    /// <summary>The error id when the point could not be read (Verdict Unknown).</summary>
    public string? ErrorId { get; init; }
    /// <summary>How old the newest snapshot or export is (the age points only).</summary>
    public TimeSpan? Age { get; init; }
    public bool Passed => Verdict is DbBackupPolicyVerdict.Pass or DbBackupPolicyVerdict.Info;
}
