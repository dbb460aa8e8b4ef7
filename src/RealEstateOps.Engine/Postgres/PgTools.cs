using System.Text.RegularExpressions;
using RealEstateOps.Engine.Common;

namespace RealEstateOps.Engine.Postgres;

/// <summary>A PostgreSQL client program (pg_dump, pg_restore) and its major version.</summary>
public sealed record PgTool(string Path, int Major, string Version);

/// <summary>
/// Finds pg_dump and pg_restore (an explicit path, REALESTATEOPS_PG_BIN, the newest
/// /usr/lib/postgresql/N/bin, PATH) and checks their major version against the server's:
/// pg_dump refuses a server newer than itself, so that is a clear error before anything starts.
/// </summary>
public static partial class PgTools
{
    [GeneratedRegex(@"\(PostgreSQL\)\s+(\d+)(?:\.(\d+))?")]
    private static partial Regex VersionPattern();

    public static async Task<PgTool> FindAsync(string program, string? explicitPath, CancellationToken ct)
    {
        var path = explicitPath;
        if (string.IsNullOrEmpty(path))
        {
            var bin = PgServerFolder.FindBinDir();
            path = bin is not null && File.Exists(System.IO.Path.Combine(bin, program)) ? System.IO.Path.Combine(bin, program) : ProcessRunner.Which(program);
        }
        var id = program == "pg_dump" ? "PgDumpNotFound" : "PgRestoreNotFound";
        if (string.IsNullOrEmpty(path) || !File.Exists(path))
            throw new OpsException(id, OpsErrorCategory.NotInstalled,
                $"{program} was not found{(string.IsNullOrEmpty(explicitPath) ? "" : $" at '{explicitPath}'")}. Install PostgreSQL's client programs (Debian: postgresql-client) or give -{(program == "pg_dump" ? "PgDumpPath" : "PgRestorePath")}.", path);
        ProcessResult result;
        try
        {
            result = await ProcessRunner.RunAsync(path, new[] { "--version" }, cancellationToken: ct).ConfigureAwait(false);
        }
        catch (System.ComponentModel.Win32Exception ex)
        {
            throw new OpsException(id, OpsErrorCategory.NotInstalled, $"{program} at '{path}' could not be run: {ex.Message}", path, ex);
        }
        var m = VersionPattern().Match(result.StdOut);
        if (result.ExitCode != 0 || !m.Success)
            throw new OpsException(id, OpsErrorCategory.NotInstalled, $"'{path}' did not report a PostgreSQL version ({(result.StdOut + result.StdErr).Trim()}).", path);
        return new PgTool(path, int.Parse(m.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture), m.Value.Replace("(PostgreSQL)", "").Trim());
    }

    /// <summary>pg_dump must be at least as new as the server it dumps.</summary>
    public static void EnsureCanDump(PgTool pgDump, int serverMajor, string serverVersion)
    {
        if (pgDump.Major < serverMajor)
            throw new OpsException("PgDumpTooOld", OpsErrorCategory.NotInstalled,
                $"pg_dump {pgDump.Version} ({pgDump.Path}) is older than the server (PostgreSQL {serverVersion}) and cannot dump it. " +
                $"Install postgresql-client-{serverMajor} or newer, or give -PgDumpPath.", pgDump.Path)
            { RecommendedAction = $"Use pg_dump {serverMajor} or newer." };
    }

    /// <summary>
    /// The environment that gives a pg program its connection without any argument: host, port, user, database,
    /// password file, and TLS as <see cref="PgSsl"/> decided it (an operator's own PGSSLMODE/PGSSLROOTCERT are
    /// left out, so the program inherits them untouched).
    /// </summary>
    public static Dictionary<string, string?> ConnectionEnvironment(Npgsql.NpgsqlConnectionStringBuilder b, string? passFile, PgSslChoice ssl)
    {
        var env = new Dictionary<string, string?>
        {
            ["PGHOST"] = b.Host, ["PGPORT"] = b.Port.ToString(System.Globalization.CultureInfo.InvariantCulture), ["PGUSER"] = b.Username,
            ["PGDATABASE"] = b.Database, ["PGPASSFILE"] = passFile, ["PGPASSWORD"] = null, ["PGCONNECT_TIMEOUT"] = "15",
            ["PGAPPNAME"] = "RealEstateOps",
        };
        foreach (var (k, v) in PgSsl.Environment(ssl)) env[k] = v;
        return env;
    }
}
