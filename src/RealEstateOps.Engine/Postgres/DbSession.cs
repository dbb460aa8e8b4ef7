namespace RealEstateOps.Engine.Postgres;

/// <summary>One client backend of the server (pg_stat_activity), with the pids that block it (pg_blocking_pids). ProcessId binds into Stop-DbQuery.</summary>
public sealed class DbSession
{
    public int ProcessId { get; init; }
    public string? User { get; init; }
    public string? Application { get; init; }
    public string? ClientAddress { get; init; }
    public string? Database { get; init; }
    /// <summary>active, idle, idle in transaction, idle in transaction (aborted), fastpath function call, disabled.</summary>
    public string? State { get; init; }
    public string? WaitEventType { get; init; }
    public string? WaitEvent { get; init; }
    public DateTimeOffset? BackendStart { get; init; }
    public DateTimeOffset? QueryStart { get; init; }
    /// <summary>How long the current query has run (active sessions), or how long the last one ran before it went idle.</summary>
    public TimeSpan? QueryDuration { get; init; }
    /// <summary>The query text (the server shows other roles' queries to superusers and pg_read_all_stats members only).</summary>
    public string? Query { get; init; }
    public int[] BlockedBy { get; init; } = Array.Empty<int>();
    /// <summary>This is the connection the report was read through.</summary>
    public bool IsOwn { get; init; }

    public override string ToString() => $"{ProcessId} {User} {Application} {State}";
}
