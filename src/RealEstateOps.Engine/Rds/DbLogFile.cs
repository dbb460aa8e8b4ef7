namespace RealEstateOps.Engine.Rds;

/// <summary>One log file of a DB instance (DescribeDBLogFiles).</summary>
public sealed class DbLogFile
{
    public string DbInstanceId { get; init; } = "";
    public string LogFileName { get; init; } = "";
    public long Size { get; init; }
    public DateTimeOffset LastWritten { get; init; }

    public override string ToString() => LogFileName;
}
