namespace RealEstateOps.Engine.Postgres;

/// <summary>
/// What a database command was given (null when not given). A class, not a record: it holds the -Credential's
/// password, which must never be printed.
/// </summary>
public sealed class DbConnectionParameters
{
    public string? HostName { get; init; }
    public int? Port { get; init; }
    public string? Database { get; init; }
    /// <summary>The -Credential's user name (with <see cref="Password"/>): when given, the context's user and password file are not used.</summary>
    public string? CredentialUser { get; init; }
    public string? Password { get; init; }
    /// <summary>A whole connection string (Test-DbConnection -ConnectionString): only TLS then comes from the context.</summary>
    public string? ConnectionString { get; init; }
    public TimeSpan Timeout { get; init; } = TimeSpan.FromSeconds(3);
}
