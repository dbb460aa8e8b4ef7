using System.Globalization;
using Microsoft.Extensions.Logging;
using Npgsql;
using RealEstateOps.Sandbox.Postgres;

namespace RealEstateOps.Sandbox.Rds;

/// <summary>
/// What a parameter change or a reboot of the platform's instance does to the real PostgreSQL server. Dynamic parameters applied
/// immediately: ALTER SYSTEM and a configuration reload. A reboot with static changes pending: ALTER SYSTEM, then a restart of the
/// server with the values on its command line too (the sandbox's own server is started with max_connections there, which wins over
/// ALTER SYSTEM); the restart ends every connection, the connection fault's included. Only the sandbox's own server is changed:
/// an external one (REALESTATEOPS_SANDBOX_PG, e.g. the tests' shared server) is never reconfigured or restarted, and the result says so.
/// </summary>
internal sealed class RdsServerControl
{
    private readonly LocalPostgresServer? _own;
    private readonly string _adminConnectionString;
    private readonly RdsConnectionFault _fault;
    private readonly ILogger? _log;

    public RdsServerControl(LocalPostgresServer? own, string adminConnectionString, RdsConnectionFault fault, ILogger? log)
    {
        _own = own;
        _adminConnectionString = adminConnectionString;
        _fault = fault;
        _log = log;
    }

    /// <summary>The sandbox runs its own server, which it may reconfigure and restart.</summary>
    public bool OwnsServer => _own is not null;

    /// <summary>max_connections the real server runs with now.</summary>
    public int MaxConnections()
    {
        using var conn = new NpgsqlConnection(new NpgsqlConnectionStringBuilder(_adminConnectionString) { Pooling = false }.ConnectionString);
        conn.Open();
        using var cmd = new NpgsqlCommand("select current_setting('max_connections')::int", conn);
        return (int)cmd.ExecuteScalar()!;
    }

    private async Task AlterSystemAsync(IEnumerable<(RdsParameterSpec Spec, string Value)> settings, bool reload, CancellationToken ct)
    {
        await using var conn = new NpgsqlConnection(new NpgsqlConnectionStringBuilder(_adminConnectionString) { Pooling = false }.ConnectionString);
        await conn.OpenAsync(ct).ConfigureAwait(false);
        foreach (var (spec, value) in settings)
        {
            // The name is from the catalogue; the value a checked number or one of the allowed words, passed as a literal.
            await using var cmd = new NpgsqlCommand($"alter system set {spec.Name} = '{value.Replace("'", "''")}'", conn);
            await cmd.ExecuteNonQueryAsync(ct).ConfigureAwait(false);
        }
        if (reload)
        {
            await using var cmd = new NpgsqlCommand("select pg_reload_conf()", conn);
            await cmd.ExecuteNonQueryAsync(ct).ConfigureAwait(false);
        }
    }

    /// <summary>Dynamic parameters set with apply method immediate; returns what was done, for the log.</summary>
    public async Task<string> ApplyDynamicAsync(IReadOnlyList<(RdsParameterSpec Spec, string Value)> changes, CancellationToken ct)
    {
        var real = changes.Where(c => c.Spec.Real).ToList();
        if (real.Count == 0) return "nothing to apply on the server";
        if (_own is null) return Log($"not applied to the external PostgreSQL server ({Names(real)}): the sandbox changes only a server it started itself");
        await AlterSystemAsync(real, reload: true, ct).ConfigureAwait(false);
        return Log($"applied to the sandbox's PostgreSQL server: {Names(real)}");
    }

    /// <summary>A reboot: applies the pending static parameters and restarts the server; true when the server now runs them.</summary>
    public async Task<bool> RebootAsync(IReadOnlyList<(RdsParameterSpec Spec, string Value)> pending, CancellationToken ct)
    {
        var real = pending.Where(c => c.Spec.Real).ToList();
        if (_own is null)
        {
            Log($"reboot of the platform instance: the external PostgreSQL server was not restarted{(real.Count > 0 ? $" and {Names(real)} not applied" : "")} " +
                "(the sandbox restarts only a server it started itself); the parameter group stays pending-reboot");
            return real.Count == 0;
        }
        if (real.Count > 0) await AlterSystemAsync(real, reload: false, ct).ConfigureAwait(false);
        var held = await _fault.ReleaseAsync().ConfigureAwait(false);
        await _own.RestartAsync(real.ToDictionary(c => c.Spec.Name, c => c.Value, StringComparer.Ordinal), ct).ConfigureAwait(false);
        NpgsqlConnection.ClearAllPools();
        Log($"reboot of the platform instance: PostgreSQL restarted{(real.Count > 0 ? $" with {Names(real)}" : "")}; {held} connections of the connection fault released");
        return true;
    }

    private static string Names(IEnumerable<(RdsParameterSpec Spec, string Value)> s) =>
        string.Join(", ", s.Select(c => $"{c.Spec.Name}={c.Value}"));

    private string Log(string message)
    {
        _log?.LogInformation("RDS: {Message}", message);
        return message;
    }
}
