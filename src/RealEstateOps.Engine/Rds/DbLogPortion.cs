namespace RealEstateOps.Engine.Rds;

/// <summary>A portion of a log file (DownloadDBLogFilePortion).</summary>
public sealed record DbLogPortion(string LogFileData, string? Marker, bool AdditionalDataPending);
