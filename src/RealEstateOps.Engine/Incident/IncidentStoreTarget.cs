namespace RealEstateOps.Engine.Incident;

/// <summary>
/// Where the incident store is: a PostgreSQL server, database and login, the password only through a pgpass-style file
/// (never a value here). Built by <see cref="IncidentStoreSettings"/> from the context, or directly by a test.
/// </summary>
public sealed record IncidentStoreTarget
{
    public required string Host { get; init; }
    public int Port { get; init; } = 5432;
    public string Database { get; init; } = IncidentStoreSettings.DefaultDatabase;
    public string User { get; init; } = IncidentStoreSettings.DefaultUser;
    /// <summary>A pgpass-format file with the login's password (0600); null: ~/.pgpass applies.</summary>
    public string? PassFile { get; init; }
    /// <summary>The CA bundle for verify-full TLS to a host that is not this machine.</summary>
    public string? SslRootCert { get; init; }
    /// <summary>How long a connection attempt may take.</summary>
    public TimeSpan Timeout { get; init; } = TimeSpan.FromSeconds(5);
}
