namespace RealEstateOps.Engine.Rds;

/// <summary>One line of a DB instance's log, as Get-DbLog streams them.</summary>
public sealed class DbLogLine
{
    public string DbInstanceId { get; init; } = "";
    public string LogFileName { get; init; } = "";
    /// <summary>
    /// The line's number in the file (1 is its first line) when the whole file was read; null for a tail (-Tail), since
    /// RDS returns a file's last lines without saying where in the file they are.
    /// </summary>
    public long? LineNumber { get; init; }
    public string Line { get; init; } = "";

    public override string ToString() => Line;
}
