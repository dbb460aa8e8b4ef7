using RealEstateOps.Engine.Common;
using RealEstateOps.Engine.Context;

namespace RealEstateOps.Engine.Incident;

/// <summary>
/// The incident store's connection from the active context (IncidentDbHost, IncidentDbPort, IncidentDbName, IncidentDbUser,
/// IncidentDbPassFile; TLS from DbSslRootCert), each value with where it came from for verbose output.
/// </summary>
public sealed class IncidentStoreSettings
{
    public const string DefaultDatabase = "ops";
    public const string DefaultUser = "ops";

    private IncidentStoreSettings() { }

    public Resolved<string>? Host { get; private init; }
    public Resolved<int>? Port { get; private init; }
    public Resolved<string>? Database { get; private init; }
    public Resolved<string>? User { get; private init; }
    public Resolved<string>? PassFile { get; private init; }
    public Resolved<string>? SslRootCert { get; private init; }

    public static IncidentStoreSettings Resolve(ActiveContext context) => new()
    {
        Host = context.Resolve(null, "IncidentDbHost", c => c.IncidentDbHost),
        Port = context.Resolve((int?)null, "IncidentDbPort", c => c.IncidentDbPort),
        Database = context.Resolve(null, "IncidentDbName", c => c.IncidentDbName),
        User = context.Resolve(null, "IncidentDbUser", c => c.IncidentDbUser),
        PassFile = context.Resolve(null, "IncidentDbPassFile", c => c.IncidentDbPassFile),
        SslRootCert = context.Resolve(null, "DbSslRootCert", c => c.DbSslRootCert),
    };

    /// <summary>Where each setting came from, one line each (never the password).</summary>
    public IEnumerable<string> Describe()
    {
        static string Line<T>(string name, Resolved<T>? v, string fallback) => v is { } r ? $"{name}: {r.Value} (from {r.Source})." : $"{name}: {fallback}.";
        yield return Line("IncidentDbHost", Host, "not set");
        yield return Line("IncidentDbPort", Port, "5432 (PostgreSQL's default)");
        yield return Line("IncidentDbName", Database, $"{DefaultDatabase} (the default)");
        yield return Line("IncidentDbUser", User, $"{DefaultUser} (the default)");
        yield return PassFile is { } f ? $"Password: from the password file {f.Value} (from {f.Source})." : "Password: none given; ~/.pgpass applies if it has an entry for this server.";
    }

    /// <summary>The store to open; IncidentStoreNotConfigured when the context names no host.</summary>
    public IncidentStoreTarget Target() => new()
    {
        Host = Host?.Value ?? throw new OpsException("IncidentStoreNotConfigured", OpsErrorCategory.InvalidArgument,
            "No incident store: set IncidentDbHost (and IncidentDbUser, IncidentDbPassFile) in the context (Set-OpsContext -IncidentDbHost ...); Start-OpsSandbox sets them for the sandbox.",
            null, isFatal: true),
        Port = Port?.Value ?? 5432,
        Database = Database?.Value ?? DefaultDatabase,
        User = User?.Value ?? DefaultUser,
        PassFile = PassFile?.Value,
        SslRootCert = SslRootCert?.Value,
    };
}
