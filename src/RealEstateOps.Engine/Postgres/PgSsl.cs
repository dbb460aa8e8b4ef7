using System.Data.Common;
using RealEstateOps.Engine.Common;

namespace RealEstateOps.Engine.Postgres;

/// <summary>The TLS settings of one database connection, and where each came from.</summary>
/// <param name="Mode">libpq's sslmode: disable, allow, prefer, require, verify-ca or verify-full.</param>
/// <param name="RootCert">The CA bundle to verify the server with, or null (libpq's ~/.postgresql/root.crt).</param>
/// <param name="ModeFromOperator">PGSSLMODE was set by the operator: pg_dump/pg_restore inherit it untouched.</param>
/// <param name="RootCertFromOperator">PGSSLROOTCERT was set by the operator: inherited untouched.</param>
public sealed record PgSslChoice(string Mode, string? RootCert, string ModeSource, string? RootCertSource, bool ModeFromOperator, bool RootCertFromOperator)
{
    public Npgsql.SslMode NpgsqlMode => Mode switch
    {
        "disable" => Npgsql.SslMode.Disable,
        "allow" => Npgsql.SslMode.Allow,
        "prefer" => Npgsql.SslMode.Prefer,
        "require" => Npgsql.SslMode.Require,
        "verify-ca" => Npgsql.SslMode.VerifyCA,
        _ => Npgsql.SslMode.VerifyFull,
    };

    public bool Verifies => Mode is "verify-ca" or "verify-full";
}

/// <summary>
/// TLS for every database connection the module makes (Npgsql logins, pg_dump, pg_restore), decided in one place:
/// the operator's own PGSSLMODE / PGSSLROOTCERT always win and are never overridden; then an SSL Mode / Root
/// Certificate written in -ConnectionString; then, for a host on this machine (localhost, 127.0.0.0/8, ::1, a
/// Unix socket) 'prefer'; for any other host 'verify-full' against the CA bundle of the context's DbSslRootCert
/// (for RDS: Amazon's global-bundle.pem). A remote host with no bundle anywhere is refused (DbSslRootCertMissing)
/// rather than silently trusting whatever certificate answers: libpq 15 (Debian 12) has no sslrootcert=system.
/// </summary>
public static class PgSsl
{
    public const string RdsBundleUrl = "https://truststore.pki.rds.amazonaws.com/global/global-bundle.pem";

    private static readonly string[] Modes = { "disable", "allow", "prefer", "require", "verify-ca", "verify-full" };

    /// <summary>Whether every host named is this machine (a Unix socket folder counts).</summary>
    public static bool IsLocal(string? hosts) =>
        !string.IsNullOrWhiteSpace(hosts) && hosts.Split(',').All(h => h.Trim().StartsWith('/') || Loopback.IsLoopbackHost(StripPort(h.Trim())));

    private static string StripPort(string host)
    {
        // "host:port" in a multi-host list; an IPv6 literal keeps its colons ([::1]:5432 or a bare ::1).
        if (host.StartsWith('[')) return host[..(host.IndexOf(']') + 1)];
        return host.Count(c => c == ':') == 1 ? host[..host.IndexOf(':')] : host;
    }

    /// <summary>Decides mode and bundle. <paramref name="connectionString"/> is what the caller wrote (its SSL keys count as explicit).</summary>
    public static PgSslChoice Resolve(string? host, string? connectionString, string? contextRootCert, Func<string, string?>? env = null)
    {
        env ??= System.Environment.GetEnvironmentVariable;
        var (csMode, csRoot) = FromConnectionString(connectionString);
        var operatorMode = env("PGSSLMODE");
        var operatorRoot = env("PGSSLROOTCERT");

        string mode, modeSource;
        var modeFromOperator = false;
        if (!string.IsNullOrWhiteSpace(operatorMode)) (mode, modeSource, modeFromOperator) = (operatorMode.Trim().ToLowerInvariant(), "environment variable PGSSLMODE", true);
        else if (csMode is not null) (mode, modeSource) = (csMode, "the connection string");
        else if (IsLocal(host)) (mode, modeSource) = ("prefer", "default for a host on this machine");
        else (mode, modeSource) = ("verify-full", "default for a host that is not this machine");
        if (!Modes.Contains(mode))
            throw new OpsException("DbSslModeInvalid", OpsErrorCategory.InvalidArgument,
                $"SSL mode '{mode}' (from {modeSource}) is not one of {string.Join(", ", Modes)}.", mode);

        string? root = null, rootSource = null;
        var rootFromOperator = false;
        if (!string.IsNullOrWhiteSpace(operatorRoot)) (root, rootSource, rootFromOperator) = (operatorRoot, "environment variable PGSSLROOTCERT", true);
        else if (!string.IsNullOrWhiteSpace(csRoot)) (root, rootSource) = (csRoot, "the connection string");
        else if (!string.IsNullOrWhiteSpace(contextRootCert)) (root, rootSource) = (contextRootCert, "the context's DbSslRootCert");

        if (root is null && !modeFromOperator && csMode is null && mode == "verify-full")
            throw new OpsException("DbSslRootCertMissing", OpsErrorCategory.InvalidArgument,
                $"The database host '{host}' is not this machine, so its certificate must be verified (sslmode verify-full), and no CA bundle is configured. " +
                $"Download the RDS CA bundle ({RdsBundleUrl}) and point the context at it: Set-OpsContext -Name <context> -DbSslRootCert ~/.postgresql/rds-global-bundle.pem. " +
                "Or set PGSSLMODE (and PGSSLROOTCERT) yourself, or write SSL Mode in -ConnectionString.", host)
            { RecommendedAction = $"Download {RdsBundleUrl} and run Set-OpsContext -DbSslRootCert <path>." };
        if (root is not null && !rootFromOperator && root != "system" && !File.Exists(root))
            throw new OpsException("DbSslRootCertNotFound", OpsErrorCategory.ObjectNotFound,
                $"The CA bundle '{root}' (from {rootSource}) does not exist. Download {RdsBundleUrl} there, or fix it with Set-OpsContext -DbSslRootCert.", root);
        return new PgSslChoice(mode, root, modeSource, rootSource, modeFromOperator, rootFromOperator);
    }

    /// <summary>Applies the choice to an Npgsql connection (which does not read PGSSLMODE itself).</summary>
    public static void Apply(PgSslChoice ssl, Npgsql.NpgsqlConnectionStringBuilder builder)
    {
        builder.SslMode = ssl.NpgsqlMode;
        // 'system' (libpq 16's system roots) is what Npgsql does anyway without a root certificate.
        if (ssl.RootCert is { } root && root != "system") builder.RootCertificate = root;
    }

    /// <summary>The variables pg_dump/pg_restore get for TLS: only those the operator has not set (theirs are inherited as they are).</summary>
    public static IEnumerable<KeyValuePair<string, string?>> Environment(PgSslChoice ssl)
    {
        if (!ssl.ModeFromOperator) yield return new("PGSSLMODE", ssl.Mode);
        if (!ssl.RootCertFromOperator && ssl.RootCert is not null) yield return new("PGSSLROOTCERT", ssl.RootCert);
    }

    private static (string? Mode, string? Root) FromConnectionString(string? connectionString)
    {
        if (string.IsNullOrWhiteSpace(connectionString)) return (null, null);
        var parsed = new DbConnectionStringBuilder { ConnectionString = connectionString };
        string? mode = null, root = null;
        foreach (string key in parsed.Keys)
        {
            var k = key.Replace(" ", "", StringComparison.Ordinal).ToLowerInvariant();
            var v = parsed[key]?.ToString();
            if (string.IsNullOrWhiteSpace(v)) continue;
            if (k == "sslmode") mode = Canonical(v);
            else if (k is "rootcertificate" or "sslrootcert") root = v;
        }
        return (mode, root);
    }

    /// <summary>Npgsql's spelling (VerifyFull) or libpq's (verify-full), as libpq's.</summary>
    private static string Canonical(string mode) => mode.Trim().ToLowerInvariant() switch
    {
        "verifyfull" => "verify-full",
        "verifyca" => "verify-ca",
        var m => m,
    };
}
