namespace RealEstateOps.Engine.Rds;

/// <summary>One line of a DB instance's log, as Get-DbLog streams them.</summary>
public sealed class DbLogLine
{
    public string DbInstanceId { get; init; } = "";
    public string LogFileName { get; init; } = "";
    /// <summary>1-based line number within what was read (the whole file, or the tail).</summary>
    public long LineNumber { get; init; }
    public string Line { get; init; } = "";

    public override string ToString() => Line;
}
