using RealEstateOps.Engine.Common;

namespace RealEstateOps.Engine.Postgres;

/// <summary>The result of Test-DbConnection.</summary>
public sealed class DbConnectionResult
{
    public DbConnectionStatus Status { get; init; }
    public string? Host { get; init; }
    public int? Port { get; init; }
    public string? Database { get; init; }
    public string? User { get; init; }
    /// <summary>True when the login succeeded (the server can accept connections and our credentials are good).</summary>
    public bool Authenticated { get; init; }
    public string? ServerVersion { get; init; }
    public TimeSpan? Latency { get; init; }
    public bool PgVectorInstalled { get; init; }
    public string? PgVectorVersion { get; init; }
    public bool PgVectorAvailable { get; init; }
    public string? ErrorId { get; init; }
    /// <summary>The kind of failure behind <see cref="ErrorId"/> (null when there is none), set by the engine with the id.</summary>
    public OpsErrorCategory? ErrorCategory { get; init; }
    public string? Error { get; init; }
    public DateTimeOffset Timestamp { get; init; } = DateTimeOffset.UtcNow;

    public double? LatencyMs => Latency is { } l ? Math.Round(l.TotalMilliseconds, 1) : null;
    public bool IsReady => Status == DbConnectionStatus.Accepting && Authenticated;
}
