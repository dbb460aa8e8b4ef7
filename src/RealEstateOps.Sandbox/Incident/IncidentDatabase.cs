using Npgsql;
using RealEstateOps.Engine.Common;
using RealEstateOps.Sandbox.Postgres;

namespace RealEstateOps.Sandbox.Incident;

/// <summary>
/// The sandbox's incident store: a database and its owner role (default both 'ops') with a random password written to a pgpass
/// file (0600) in the sandbox's own folder, on a PostgreSQL server of its own (not the platform database's: a fault that
/// exhausts the platform's connections leaves incidents alone). Its schema is the module's own migrations, applied by the
/// first client (IncidentStore), as on a real store.
/// </summary>
public sealed class IncidentDatabase
{
    private IncidentDatabase(string host, int port, string database, string user, string passFile)
    {
        Host = host;
        Port = port;
        Database = database;
        User = user;
        PassFile = passFile;
    }

    public string Host { get; }
    public int Port { get; }
    public string Database { get; }
    public string User { get; }
    /// <summary>The pgpass-format file (0600) with the role's password: the sandbox context's IncidentDbPassFile.</summary>
    public string PassFile { get; }

    public static async Task<IncidentDatabase> EnsureAsync(string adminConnectionString, string database, string user, string stateDir, CancellationToken ct)
    {
        var admin = new NpgsqlConnectionStringBuilder(adminConnectionString) { Pooling = false };
        var password = Convert.ToHexString(System.Security.Cryptography.RandomNumberGenerator.GetBytes(18)).ToLowerInvariant();
        await using (var conn = new NpgsqlConnection(admin.ConnectionString))
        {
            await conn.OpenAsync(ct);
            // Sandboxes pointed at one server (tests) take turns.
            await Exec(conn, "select pg_advisory_lock(7340002)", ct);
            try
            {
                var role = await Scalar(conn, "select coalesce(shobj_description(oid, 'pg_authid'), '') from pg_roles where rolname = @n", user, ct);
                var db = await Scalar(conn, "select coalesce(shobj_description(oid, 'pg_database'), '') from pg_database where datname = @n", database, ct);
                if (role is not null && role != PlatformDatabase.OwnershipMarker)
                    throw new OpsException("SandboxRoleNotOwned", OpsErrorCategory.PermissionDenied,
                        $"The role '{user}' already exists on the incident store's server and was not created by the sandbox: its password is left unchanged.", user);
                if (db is not null && db != PlatformDatabase.OwnershipMarker)
                    throw new OpsException("SandboxDatabaseNotOwned", OpsErrorCategory.PermissionDenied,
                        $"The database '{database}' already exists on the incident store's server and was not created by the sandbox.", database);
                await Exec(conn, $"{(role is null ? "create" : "alter")} role {Ident(user)} with login password {Literal(password)}", ct);
                if (role is null) await Exec(conn, $"comment on role {Ident(user)} is {Literal(PlatformDatabase.OwnershipMarker)}", ct);
                if (db is null)
                {
                    await Exec(conn, $"create database {Ident(database)} owner {Ident(user)}", ct);
                    await Exec(conn, $"comment on database {Ident(database)} is {Literal(PlatformDatabase.OwnershipMarker)}", ct);
                }
            }
            finally
            {
                await Exec(conn, "select pg_advisory_unlock(7340002)", ct);
            }
        }
        var passFile = Path.Combine(stateDir, $"incidents-{database}.pgpass");
        FileUtil.WriteAtomic(passFile, $"*:{admin.Port}:{Escape(database)}:{Escape(user)}:{Escape(password)}\n", ownerOnly: true);
        return new IncidentDatabase(admin.Host ?? "127.0.0.1", admin.Port, database, user, passFile);
    }

    private static string Ident(string name) => "\"" + name.Replace("\"", "\"\"") + "\"";
    private static string Literal(string value) => "'" + value.Replace("'", "''") + "'";
    private static string Escape(string field) => field.Replace("\\", "\\\\").Replace(":", "\\:");

    private static async Task Exec(NpgsqlConnection conn, string sql, CancellationToken ct)
    {
        await using var cmd = new NpgsqlCommand(sql, conn);
        await cmd.ExecuteNonQueryAsync(ct);
    }

    private static async Task<string?> Scalar(NpgsqlConnection conn, string sql, string name, CancellationToken ct)
    {
        await using var cmd = new NpgsqlCommand(sql, conn);
        cmd.Parameters.AddWithValue("n", name);
        return (string?)await cmd.ExecuteScalarAsync(ct);
    }
}
