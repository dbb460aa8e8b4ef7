namespace RealEstateOps.Engine.Rds;

/// <summary>What Test-DbBackupPolicy found for one instance: a verdict per point and one overall.</summary>
public sealed class DbBackupPolicyReport
{
    public string DbInstanceId { get; init; } = "";
    public DateTimeOffset CheckedAt { get; init; }
    public DbBackupPolicy Policy { get; init; } = new();
    public DbBackupPolicyCheck[] Checks { get; init; } = Array.Empty<DbBackupPolicyCheck>();
    /// <summary>Fail when any point failed; Warning when any has a caveat or could not be read; else Pass.</summary>
    public DbBackupPolicyVerdict Verdict =>
        Checks.Any(c => c.Verdict == DbBackupPolicyVerdict.Fail) ? DbBackupPolicyVerdict.Fail
        : Checks.Any(c => c.Verdict is DbBackupPolicyVerdict.Warning or DbBackupPolicyVerdict.Unknown) ? DbBackupPolicyVerdict.Warning
        : DbBackupPolicyVerdict.Pass;
    public bool Passed => Verdict == DbBackupPolicyVerdict.Pass;
    /// <summary>The points that failed, could not be read or have a caveat, in check order.</summary>
    public string[] FailedChecks => Checks.Where(c => !c.Passed).Select(c => c.Point.ToString()).ToArray();
    public DbBackupPolicyCheck? this[DbBackupPolicyPoint point] => Checks.FirstOrDefault(c => c.Point == point);
}
