namespace RealEstateOps.Engine.Postgres;

/// <summary>pg_isready's four answers.</summary>
public enum DbConnectionStatus
{
    /// <summary>The server is accepting connections (pg_isready exit 0).</summary>
    Accepting,
    /// <summary>The server answered but rejects connections, e.g. while starting up (exit 1).</summary>
    Rejecting,
    /// <summary>No answer: refused, unreachable, unknown host or timed out (exit 2).</summary>
    NoResponse,
    /// <summary>No attempt was made: the parameters were invalid (exit 3).</summary>
    NoAttempt,
}

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
    public string? Error { get; init; }
    public DateTimeOffset Timestamp { get; init; } = DateTimeOffset.UtcNow;

    public double? LatencyMs => Latency is { } l ? Math.Round(l.TotalMilliseconds, 1) : null;
    public bool IsReady => Status == DbConnectionStatus.Accepting && Authenticated;
}
