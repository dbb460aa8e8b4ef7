namespace RealEstateOps.Engine.Rds;

/// <summary>One log file of a DB instance (DescribeDBLogFiles).</summary>
public sealed class DbLogFile
{
    public string DbInstanceId { get; set; } = "";
    public string LogFileName { get; set; } = "";
    public long Size { get; set; }
    public DateTimeOffset LastWritten { get; set; }

    public override string ToString() => LogFileName;
}

/// <summary>One line of a DB instance's log, as Get-DbLog streams them.</summary>
public sealed class DbLogLine
{
    public string DbInstanceId { get; set; } = "";
    public string LogFileName { get; set; } = "";
    /// <summary>1-based line number within what was read (the whole file, or the tail).</summary>
    public long LineNumber { get; set; }
    public string Line { get; set; } = "";

    public override string ToString() => Line;
}

/// <summary>A portion of a log file (DownloadDBLogFilePortion).</summary>
public sealed record DbLogPortion(string LogFileData, string? Marker, bool AdditionalDataPending);
