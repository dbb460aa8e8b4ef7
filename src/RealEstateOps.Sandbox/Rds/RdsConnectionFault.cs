using Npgsql;

namespace RealEstateOps.Sandbox.Rds;

/// <summary>What the connection fault holds now.</summary>
internal sealed record RdsConnectionFaultState(string? Application, int Opened, int Held, int MaxConnections, int ReservedForSuperuser, string? Refusal);

/// <summary>
/// The "database connection issues: connection limit" fault: idle connections to the platform database as its application user,
/// named like an application (application_name api-service), until a count is reached or, with "fill", until the server refuses
/// the application user (SQLSTATE 53300: "sorry, too many clients already" or "remaining connection slots are reserved ...";
/// the server logs the FATAL line, which the RDS log then shows). Released by <see cref="ReleaseAsync"/>, or when a reboot restarts the server.
/// </summary>
internal sealed class RdsConnectionFault
{
    private const int MaxHeld = 10_000;
    private readonly string _appConnectionString;
    private readonly string _adminConnectionString;
    private readonly SemaphoreSlim _gate = new(1, 1);
    private readonly List<NpgsqlConnection> _held = new();
    private string? _application;
    private string? _refusal;

    public RdsConnectionFault(string appConnectionString, string adminConnectionString)
    {
        _appConnectionString = appConnectionString;
        _adminConnectionString = adminConnectionString;
    }

    /// <param name="count">How many to open; null opens until the server refuses.</param>
    public async Task<RdsConnectionFaultState> OpenAsync(string application, int? count, CancellationToken ct)
    {
        await _gate.WaitAsync(ct).ConfigureAwait(false);
        try
        {
            var builder = new NpgsqlConnectionStringBuilder(_appConnectionString) { Pooling = false, ApplicationName = application, Timeout = 10 };
            var opened = 0;
            _application = application;
            _refusal = null;
            while ((count is null || opened < count) && _held.Count < MaxHeld)
            {
                var conn = new NpgsqlConnection(builder.ConnectionString);
                try
                {
                    await conn.OpenAsync(ct).ConfigureAwait(false);
                }
                catch (PostgresException ex) when (ex.SqlState == "53300")
                {
                    await conn.DisposeAsync().ConfigureAwait(false);
                    _refusal = ex.MessageText;
                    break;
                }
                catch
                {
                    await conn.DisposeAsync().ConfigureAwait(false);
                    throw;
                }
                _held.Add(conn);
                opened++;
            }
            return await StateAsync(opened, ct).ConfigureAwait(false);
        }
        finally
        {
            _gate.Release();
        }
    }

    public async Task<RdsConnectionFaultState> StateAsync(CancellationToken ct)
    {
        await _gate.WaitAsync(ct).ConfigureAwait(false);
        try { return await StateAsync(0, ct).ConfigureAwait(false); }
        finally { _gate.Release(); }
    }

    private async Task<RdsConnectionFaultState> StateAsync(int opened, CancellationToken ct)
    {
        var (max, reserved) = (0, 0);
        try
        {
            // As the superuser: the reserved slots are still open to it when the application user is refused.
            await using var conn = new NpgsqlConnection(new NpgsqlConnectionStringBuilder(_adminConnectionString) { Pooling = false, Timeout = 10 }.ConnectionString);
            await conn.OpenAsync(ct).ConfigureAwait(false);
            await using var cmd = new NpgsqlCommand("select current_setting('max_connections')::int, current_setting('superuser_reserved_connections')::int", conn);
            await using var r = await cmd.ExecuteReaderAsync(ct).ConfigureAwait(false);
            await r.ReadAsync(ct).ConfigureAwait(false);
            (max, reserved) = (r.GetInt32(0), r.GetInt32(1));
        }
        catch (NpgsqlException) { }
        return new RdsConnectionFaultState(_application, opened, _held.Count, max, reserved, _refusal);
    }

    /// <summary>Closes every held connection (a restarted server has closed them already); returns how many were held.</summary>
    public async Task<int> ReleaseAsync()
    {
        await _gate.WaitAsync().ConfigureAwait(false);
        try
        {
            var n = _held.Count;
            foreach (var c in _held)
                try { await c.DisposeAsync().ConfigureAwait(false); } catch (Exception ex) when (ex is NpgsqlException or IOException or InvalidOperationException) { }
            _held.Clear();
            _application = null;
            _refusal = null;
            return n;
        }
        finally
        {
            _gate.Release();
        }
    }
}
