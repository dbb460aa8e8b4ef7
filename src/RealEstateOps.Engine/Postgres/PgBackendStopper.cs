using Npgsql;
using RealEstateOps.Engine.Common;

namespace RealEstateOps.Engine.Postgres;

/// <summary>
/// Stop-DbQuery: cancels a backend's running query (pg_cancel_backend) or ends its session (pg_terminate_backend). Refuses the
/// connection it works through (DbQueryStopOwnProcess) and a pid that is no client backend (DbProcessNotFound).
/// </summary>
public sealed class PgBackendStopper
{
    /// <summary>Reads the backend (checks only): its session as pg_stat_activity shows it.</summary>
    public async Task<DbQueryStopResult> StopAsync(DbConnectionRequest connection, int processId, bool terminate, CancellationToken ct)
    {
        var conn = await PgConnect.OpenAsync(connection, ct).ConfigureAwait(false);
        await using (conn.ConfigureAwait(false))
        {
            await using var find = new NpgsqlCommand(
                "select pg_backend_pid(), usename, application_name, state, query from pg_stat_activity where pid = @pid and backend_type = 'client backend'", conn);
            find.Parameters.AddWithValue("pid", processId);
            string? user = null, app = null, state = null, query = null;
            int own;
            await using (var r = await find.ExecuteReaderAsync(ct).ConfigureAwait(false))
            {
                if (!await r.ReadAsync(ct).ConfigureAwait(false))
                    throw new OpsException("DbProcessNotFound", OpsErrorCategory.ObjectNotFound,
                        $"No client session has process id {processId} (it may have ended). List them with Get-DbActivity -Detail.", processId);
                own = r.GetInt32(0);
                string? Str(int i) => r.IsDBNull(i) ? null : r.GetString(i);
                (user, app, state, query) = (Str(1), Str(2), Str(3), Str(4));
            }
            if (own == processId)
                throw new OpsException("DbQueryStopOwnProcess", OpsErrorCategory.InvalidArgument, $"Process {processId} is this command's own connection; it is not stopped.", processId);
            await using var stop = new NpgsqlCommand(terminate ? "select pg_terminate_backend(@pid)" : "select pg_cancel_backend(@pid)", conn);
            stop.Parameters.AddWithValue("pid", processId);
            bool signalled;
            try
            {
                signalled = (bool)(await stop.ExecuteScalarAsync(ct).ConfigureAwait(false))!;
            }
            catch (PostgresException ex) when (ex.SqlState == "42501")
            {
                throw new OpsException("DbPermissionDenied", OpsErrorCategory.PermissionDenied,
                    $"The server refused to signal process {processId} ({user}): {ex.MessageText}. Connect as a superuser, a member of pg_signal_backend, or the same role.", processId);
            }
            return new DbQueryStopResult
            {
                ProcessId = processId, Action = terminate ? "Terminate" : "Cancel", Signalled = signalled, User = user, Application = app, State = state, Query = query,
            };
        }
    }
}
