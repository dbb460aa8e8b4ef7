namespace RealEstateOps.Engine.Postgres;

/// <summary>What to connect to: parts, or a whole connection string; the password never leaves this object but into Npgsql.</summary>
public sealed class DbConnectionRequest
{
    public string? Host { get; init; }
    public int? Port { get; init; }
    public string? Database { get; init; }
    public string? User { get; init; }
    public string? Password { get; init; }
    /// <summary>A pgpass-format file to take the password from when none is given.</summary>
    public string? PassFile { get; init; }
    public string? ConnectionString { get; init; }
    public TimeSpan Timeout { get; init; } = TimeSpan.FromSeconds(3);
    /// <summary>The CA bundle to verify a remote server with (the context's DbSslRootCert); see <see cref="PgSsl"/>.</summary>
    public string? SslRootCert { get; init; }
    /// <summary>Where PGSSLMODE/PGSSLROOTCERT are read from (tests replace it); the process environment by default.</summary>
    public Func<string, string?>? Environment { get; init; }
}
