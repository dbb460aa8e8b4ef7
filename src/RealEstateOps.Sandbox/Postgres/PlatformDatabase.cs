using System.Globalization;
using System.Text;
using Npgsql;
using RealEstateOps.Engine.Common;

namespace RealEstateOps.Sandbox.Postgres;

/// <summary>
/// The platform database on a real PostgreSQL server: the real_estate_ai schema (properties,
/// listings, proposals, chat sessions, property embeddings) with sample rows, and the instance's master
/// user whose password the sandbox writes to a pgpass file, never to argv or the console. As on RDS,
/// the master user owns the database and its tables and may create databases, and its password is the
/// same on every database of the instance (the pgpass line names no database).
/// pgvector is used when the server has it; otherwise embeddings are a plain real[] column.
/// </summary>
public sealed class PlatformDatabase
{
    public const int EmbeddingDimensions = 16;
    /// <summary>The comment the sandbox puts on the role and database it creates; only those it alters or seeds later.</summary>
    public const string OwnershipMarker = "Created by the RealEstateOps sandbox (realestateops-sandbox-owned)";

    private PlatformDatabase(string host, int port, string database, string user, string password, string passFile, bool pgVector, string serverVersion)
    {
        Host = host;
        Port = port;
        Database = database;
        User = user;
        Password = password;
        PassFile = passFile;
        PgVector = pgVector;
        ServerVersion = serverVersion;
    }

    public string Host { get; }
    public int Port { get; }
    public string Database { get; }
    public string User { get; }
    internal string Password { get; }
    /// <summary>The admin connection the database was set up with (the RDS sandbox dumps and restores through it).</summary>
    internal string AdminConnectionString { get; private init; } = "";
    public string PassFile { get; }
    public bool PgVector { get; }
    public string ServerVersion { get; }

    public string AppConnectionString => new NpgsqlConnectionStringBuilder
    {
        Host = Host, Port = Port, Database = Database, Username = User, Password = Password,
    }.ConnectionString;

    public static readonly (string Table, int Rows)[] SeedCounts =
    {
        ("properties", 240), ("listings", 240), ("proposals", 60), ("chat_sessions", 120), ("property_embeddings", 240),
    };

    public static async Task<PlatformDatabase> EnsureAsync(string adminConnectionString, string database, string appUser, string stateDir, CancellationToken ct)
    {
        var admin = new NpgsqlConnectionStringBuilder(adminConnectionString) { Pooling = false };
        var password = Convert.ToHexString(System.Security.Cryptography.RandomNumberGenerator.GetBytes(18)).ToLowerInvariant();
        string serverVersion;
        await using (var conn = new NpgsqlConnection(admin.ConnectionString))
        {
            await conn.OpenAsync(ct);
            serverVersion = conn.PostgreSqlVersion.ToString();
            // Several sandboxes may share one server (tests): serialise the setup.
            await Exec(conn, "select pg_advisory_lock(7340001)", ct);
            try
            {
                var user = Ident(appUser);
                // On a server the sandbox is pointed at, a role or database it did not create is someone else's:
                // its password is never changed and nothing is seeded into it. Both are checked before either changes.
                // null: no such role/database; otherwise its comment ("" when none).
                var role = await Scalar<string?>(conn, "select coalesce(shobj_description(oid, 'pg_authid'), '') from pg_roles where rolname = @n", ct, ("n", appUser));
                var db = await Scalar<string?>(conn, "select coalesce(shobj_description(oid, 'pg_database'), '') from pg_database where datname = @n", ct, ("n", database));
                if (role is not null && role != OwnershipMarker)
                    throw new OpsException("SandboxRoleNotOwned", OpsErrorCategory.PermissionDenied,
                        $"The role '{appUser}' already exists on the server and was not created by the sandbox: its password is left unchanged. Use another --app-user, or drop that role if it is a leftover.", appUser);
                if (db is not null && db != OwnershipMarker)
                    throw new OpsException("SandboxDatabaseNotOwned", OpsErrorCategory.PermissionDenied,
                        $"The database '{database}' already exists on the server and was not created by the sandbox: nothing is created or seeded in it. Use another --database, or drop that database if it is a leftover.", database);
                if (role is null)
                {
                    await Exec(conn, $"create role {user} with login createdb password {Literal(password)}", ct);
                    await Exec(conn, $"comment on role {user} is {Literal(OwnershipMarker)}", ct);
                }
                else await Exec(conn, $"alter role {user} with login createdb password {Literal(password)}", ct);
                if (db is null)
                {
                    await Exec(conn, $"create database {Ident(database)} owner {user}", ct);
                    await Exec(conn, $"comment on database {Ident(database)} is {Literal(OwnershipMarker)}", ct);
                }
            }
            finally
            {
                await Exec(conn, "select pg_advisory_unlock(7340001)", ct);
            }
        }

        bool vector;
        await using (var conn = new NpgsqlConnection(new NpgsqlConnectionStringBuilder(admin.ConnectionString) { Database = database }.ConnectionString))
        {
            await conn.OpenAsync(ct);
            vector = await Scalar<bool>(conn, "select exists(select 1 from pg_available_extensions where name = 'vector')", ct);
            if (vector) await Exec(conn, "create extension if not exists vector", ct);
            await CreateSchemaAsync(conn, appUser, vector, ct);
            await SeedAsync(conn, vector, ct);
        }

        Directory.CreateDirectory(stateDir);
        var passFile = Path.Combine(stateDir, $"{database}.pgpass");
        var line = $"*:{admin.Port}:*:{Escape(appUser)}:{Escape(password)}\n";
        RealEstateOps.Engine.Common.FileUtil.WriteAtomic(passFile, line, ownerOnly: true);
        return new PlatformDatabase(admin.Host ?? "127.0.0.1", admin.Port, database, appUser, password, passFile, vector, serverVersion)
        {
            AdminConnectionString = admin.ConnectionString,
        };
    }

    private static async Task CreateSchemaAsync(NpgsqlConnection conn, string appUser, bool vector, CancellationToken ct)
    {
        var embedding = vector ? $"vector({EmbeddingDimensions})" : "real[]";
        await Exec(conn, $"""
            create table if not exists properties (
                id serial primary key, address text not null, city text not null, state text not null, zip text not null,
                property_type text not null, bedrooms int not null, bathrooms numeric(3,1) not null, sqft int not null,
                price numeric(12,2) not null, created_at timestamptz not null default now());
            create table if not exists listings (
                id serial primary key, property_id int not null references properties(id) on delete cascade,
                status text not null, list_price numeric(12,2) not null, agent text not null, listed_at timestamptz not null);
            create table if not exists proposals (
                id serial primary key, property_id int not null references properties(id) on delete cascade,
                client_name text not null, status text not null, content text not null, created_at timestamptz not null);
            create table if not exists chat_sessions (
                id uuid primary key, user_id text not null, started_at timestamptz not null, message_count int not null,
                last_message text);
            create table if not exists property_embeddings (
                property_id int primary key references properties(id) on delete cascade, model text not null,
                embedding {embedding} not null);
            """, ct);
        // The master user owns the platform's tables (and so their sequences), as on RDS where it creates them:
        // it can dump, replace and drop them, and a restore from its dump gives them to it again.
        await Exec(conn, $"""
            do $$
            declare t record;
            begin
                for t in select tablename from pg_tables where schemaname = 'public' and tableowner <> {Literal(appUser)} loop
                    execute format('alter table public.%I owner to %I', t.tablename, {Literal(appUser)});
                end loop;
            end $$;
            """, ct);
    }

    private static async Task SeedAsync(NpgsqlConnection conn, bool vector, CancellationToken ct)
    {
        if (await Scalar<long>(conn, "select count(*) from properties", ct) > 0) return;
        var random = new Random(20261128);
        string[] cities = { "Austin|TX|787", "Denver|CO|802", "Seattle|WA|981", "Miami|FL|331", "Boston|MA|021", "Phoenix|AZ|850" };
        string[] streets = { "Oak", "Maple", "Cedar", "Pine", "Elm", "Lake", "Hill", "Park" };
        string[] types = { "single_family", "condo", "townhouse", "multi_family" };
        string[] agents = { "A. Rivera", "J. Chen", "M. Okafor", "S. Patel", "L. Novak" };
        string[] listingStatus = { "active", "active", "active", "pending", "sold", "withdrawn" };
        var epoch = new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);
        var sql = new StringBuilder("begin;\n");
        var inv = CultureInfo.InvariantCulture;
        var propertyCount = SeedCounts[0].Rows;
        for (var i = 1; i <= propertyCount; i++)
        {
            var c = cities[random.Next(cities.Length)].Split('|');
            var beds = random.Next(1, 6);
            var sqft = 600 + beds * 350 + random.Next(0, 900);
            var price = Math.Round(sqft * (180 + random.Next(0, 420)) / 1000.0) * 1000;
            sql.Append(inv, $"insert into properties (address, city, state, zip, property_type, bedrooms, bathrooms, sqft, price, created_at) values ('{random.Next(10, 9999)} {streets[random.Next(streets.Length)]} St', '{c[0]}', '{c[1]}', '{c[2]}{random.Next(10, 99)}', '{types[random.Next(types.Length)]}', {beds}, {1 + random.Next(0, 7) * 0.5}, {sqft}, {price}, '{epoch.AddHours(i * 17):O}');\n");
            sql.Append(inv, $"insert into listings (property_id, status, list_price, agent, listed_at) values ({i}, '{listingStatus[random.Next(listingStatus.Length)]}', {price * (0.95 + random.NextDouble() * 0.1):F2}, '{agents[random.Next(agents.Length)]}', '{epoch.AddHours(i * 17 + 5):O}');\n");
            var v = Enumerable.Range(0, EmbeddingDimensions).Select(_ => (random.NextDouble() * 2 - 1).ToString("F4", inv));
            var literal = vector ? $"'[{string.Join(",", v)}]'" : $"array[{string.Join(",", v)}]::real[]";
            sql.Append(inv, $"insert into property_embeddings (property_id, model, embedding) values ({i}, 'text-embedding-sandbox', {literal});\n");
        }
        string[] clients = { "Dana Whitfield", "Omar Haddad", "Priya Raman", "Tomás Ibarra", "Grace Liu", "Ben Carter" };
        string[] proposalStatus = { "draft", "sent", "accepted", "declined" };
        for (var i = 1; i <= SeedCounts[2].Rows; i++)
            sql.Append(inv, $"insert into proposals (property_id, client_name, status, content, created_at) values ({random.Next(1, propertyCount + 1)}, '{clients[random.Next(clients.Length)]}', '{proposalStatus[random.Next(proposalStatus.Length)]}', 'Proposal {i}: terms, comparables and financing summary.', '{epoch.AddDays(i * 2):O}');\n");
        string[] lastMessages = { "Can I schedule a viewing?", "What are the HOA fees?", "Show me 3-bedroom homes under 600k", "Is the price negotiable?", "Thanks!" };
        for (var i = 1; i <= SeedCounts[3].Rows; i++)
        {
            var bytes = new byte[16];
            random.NextBytes(bytes);
            sql.Append(inv, $"insert into chat_sessions (id, user_id, started_at, message_count, last_message) values ('{new Guid(bytes)}', 'user-{random.Next(1000, 9999)}', '{epoch.AddHours(i * 31):O}', {random.Next(1, 40)}, '{lastMessages[random.Next(lastMessages.Length)]}');\n");
        }
        sql.Append("commit;");
        await Exec(conn, sql.ToString(), ct);
    }

    private static string Ident(string name) => "\"" + name.Replace("\"", "\"\"") + "\"";
    private static string Literal(string value) => "'" + value.Replace("'", "''") + "'";
    private static string Escape(string pgpassField) => pgpassField.Replace("\\", "\\\\").Replace(":", "\\:");

    private static async Task Exec(NpgsqlConnection conn, string sql, CancellationToken ct)
    {
        await using var cmd = new NpgsqlCommand(sql, conn);
        await cmd.ExecuteNonQueryAsync(ct);
    }

    private static async Task<T> Scalar<T>(NpgsqlConnection conn, string sql, CancellationToken ct, params (string Name, object Value)[] args)
    {
        await using var cmd = new NpgsqlCommand(sql, conn);
        foreach (var (name, value) in args) cmd.Parameters.AddWithValue(name, value);
        return (T)(await cmd.ExecuteScalarAsync(ct))!;
    }
}
