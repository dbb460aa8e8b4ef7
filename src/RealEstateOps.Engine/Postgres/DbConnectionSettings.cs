using RealEstateOps.Engine.Common;
using RealEstateOps.Engine.Context;

namespace RealEstateOps.Engine.Postgres;

/// <summary>
/// The one resolution of a database connection for Test-DbConnection, Export-Database and Import-Database: host, port,
/// database and user from the parameter, else the active context; the password from -Credential, else the context's
/// password file (DbPassFile); the CA bundle for verify-full TLS from the context (DbSslRootCert). Each value keeps where
/// it came from, and <see cref="Describe"/> says so in one wording for every command (never the password itself).
/// </summary>
public sealed class DbConnectionSettings
{
    private readonly DbConnectionParameters _given;

    private DbConnectionSettings(DbConnectionParameters given) => _given = given;

    public Resolved<string>? Host { get; private init; }
    public Resolved<int>? Port { get; private init; }
    public Resolved<string>? Database { get; private init; }
    public Resolved<string>? User { get; private init; }
    /// <summary>The password file, when no -Credential was given and the context names one.</summary>
    public Resolved<string>? PassFile { get; private init; }
    public Resolved<string>? SslRootCert { get; private init; }
    public bool HasConnectionString => _given.ConnectionString is not null;
    public bool HasCredential => _given.CredentialUser is not null;

    public static DbConnectionSettings Resolve(DbConnectionParameters given, ActiveContext context)
    {
        var sslRootCert = context.Resolve(null, "DbSslRootCert", c => c.DbSslRootCert);
        if (given.ConnectionString is not null) return new DbConnectionSettings(given) { SslRootCert = sslRootCert };
        var hasCredential = given.CredentialUser is not null;
        return new DbConnectionSettings(given)
        {
            Host = context.Resolve(given.HostName, "HostName", c => c.DbHost),
            Port = context.Resolve(given.Port, "Port", c => c.DbPort),
            Database = context.Resolve(given.Database, "Database", c => c.DbName),
            User = hasCredential ? new Resolved<string>(given.CredentialUser!, "parameter -Credential") : context.Resolve(null, "User", c => c.DbUser),
            PassFile = hasCredential ? null : context.Resolve(null, "DbPassFile", c => c.DbPassFile),
            SslRootCert = sslRootCert,
        };
    }

    /// <summary>Where each setting came from, one line each, for verbose output.</summary>
    public IEnumerable<string> Describe()
    {
        if (!HasConnectionString)
        {
            yield return Line("HostName", Host);
            yield return Port is { } port ? $"Port: {port.Value} (from {port.Source})." : "Port: not set.";
            yield return Line("Database", Database);
            yield return Line("User", User);
            yield return HasCredential ? "Password: from -Credential."
                : PassFile is { } file ? $"Password: from the password file {file.Value} (from {file.Source})."
                : "Password: none given; ~/.pgpass applies if it has an entry for this server.";
        }
        if (SslRootCert is { } root)
            yield return $"TLS: CA bundle {root.Value} (from {root.Source}) for a host that is not this machine, unless PGSSLMODE/PGSSLROOTCERT are set.";
    }

    private static string Line(string name, Resolved<string>? value) => value is { } v ? $"{name}: {v.Value} (from {v.Source})." : $"{name}: not set.";

    /// <summary>The connection to make (the password, if any, goes no further than this request).</summary>
    public DbConnectionRequest Request() => new()
    {
        ConnectionString = _given.ConnectionString,
        Host = Host?.Value, Port = Port?.Value, Database = Database?.Value, User = User?.Value,
        Password = _given.Password, PassFile = PassFile?.Value, Timeout = _given.Timeout, SslRootCert = SslRootCert?.Value,
    };
}
