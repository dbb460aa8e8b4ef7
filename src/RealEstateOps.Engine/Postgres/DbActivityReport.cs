namespace RealEstateOps.Engine.Postgres;

/// <summary>
/// What the server's connections are doing (Get-DbActivity): how many client connections are in use against max_connections and the
/// slots reserved for superusers, grouped by state, application and user; the longest-running queries and who blocks whom. When
/// the normal login was refused for lack of slots and a superuser login read the report instead, <see cref="LoginRefused"/> says so.
/// </summary>
public sealed class DbActivityReport
{
    public DateTimeOffset CapturedAt { get; init; }
    public string? Host { get; init; }
    public int? Port { get; init; }
    public string? Database { get; init; }
    /// <summary>The role the report was read as.</summary>
    public string? ConnectedAs { get; init; }
    public string? ServerVersion { get; init; }
    public int MaxConnections { get; init; }
    /// <summary>superuser_reserved_connections (plus reserved_connections on PostgreSQL 16 and later).</summary>
    public int ReservedForSuperuser { get; init; }
    /// <summary>Client connections in use, this report's own included.</summary>
    public int InUse { get; init; }
    /// <summary>Slots still open to ordinary roles: MaxConnections - ReservedForSuperuser - InUse, never below zero.</summary>
    public int AvailableToUsers { get; init; }
    /// <summary>InUse against the slots ordinary roles may use, in percent.</summary>
    public double UsedPercent { get; init; }
    /// <summary>No slot is left for ordinary roles, or the normal login was refused.</summary>
    public bool IsExhausted { get; init; }
    public bool LoginRefused { get; init; }
    public string? LoginErrorId { get; init; }
    /// <summary>The server's words when the normal login was refused (e.g. "sorry, too many clients already").</summary>
    public string? LoginError { get; init; }
    public IReadOnlyList<DbConnectionGroup> ByState { get; init; } = Array.Empty<DbConnectionGroup>();
    public IReadOnlyList<DbConnectionGroup> ByApplication { get; init; } = Array.Empty<DbConnectionGroup>();
    public IReadOnlyList<DbConnectionGroup> ByUser { get; init; } = Array.Empty<DbConnectionGroup>();
    public IReadOnlyList<DbSession> Sessions { get; init; } = Array.Empty<DbSession>();
    public IReadOnlyList<DbSession> LongestRunning { get; init; } = Array.Empty<DbSession>();
    public IReadOnlyList<DbBlockingPair> Blocking { get; init; } = Array.Empty<DbBlockingPair>();

    public override string ToString() => $"{InUse}/{MaxConnections} connections ({ReservedForSuperuser} reserved)";
}
