using System.Net.Sockets;
using Npgsql;
using RealEstateOps.Engine.Common;

namespace RealEstateOps.Engine.Postgres;

/// <summary>
/// Opens a connection for the database commands that work inside the server (Get-DbActivity, Stop-DbQuery): built as
/// Test-DbConnection builds it (<see cref="DbConnectionTester.BuildConnection"/>), every failure an OpsException with the
/// same ids Test-DbConnection reports (DbConnectionRefused, DbAuthenticationFailed, ...), and a server out of connection
/// slots (SQLSTATE 53300: "sorry, too many clients already", "remaining connection slots are reserved ...") DbTooManyConnections.
/// </summary>
public static class PgConnect
{
    public const string ExhaustedErrorId = "DbTooManyConnections";

    public static async Task<NpgsqlConnection> OpenAsync(DbConnectionRequest request, CancellationToken ct)
    {
        var builder = DbConnectionTester.BuildConnectionString(request);
        var where = $"{builder.Host}:{builder.Port}/{builder.Database} as {builder.Username}";
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(ct);
        timeout.CancelAfter(request.Timeout);
        var connection = new NpgsqlConnection(builder.ConnectionString);
        try
        {
            await connection.OpenAsync(timeout.Token).WaitAsync(timeout.Token).ConfigureAwait(false);
            return connection;
        }
        catch (Exception ex)
        {
            _ = connection.DisposeAsync();
            if (ex is OperationCanceledException && ct.IsCancellationRequested) throw;
            throw Classify(ex, where, request.Timeout);
        }
    }

    private static OpsException Classify(Exception ex, string where, TimeSpan timeout)
    {
        var text = Redaction.ScrubConnectionString(ex.Message);
        switch (ex)
        {
            case OperationCanceledException:
                return new OpsException("DbConnectionTimeout", OpsErrorCategory.OperationTimeout, $"No answer from {where} within {Waiting.Waiter.Format(timeout)}.", where);
            case PostgresException { SqlState: "53300" } pg:
                return new OpsException(ExhaustedErrorId, OpsErrorCategory.ResourceUnavailable,
                    $"{where}: the server refused the login: {pg.MessageText} (SQLSTATE 53300). Every connection slot not reserved for superusers is in use.", where)
                {
                    RecommendedAction = "See who holds them: Get-DbActivity -SuperuserCredential (a superuser may still use the reserved slots); free them with Stop-DbQuery -Terminate, " +
                                        "or raise the limit: Set-DbParameter -Name max_connections -Value <n> -ApplyMethod pending-reboot; Restart-DbInstance -Wait.",
                };
            case PostgresException { SqlState: "28P01" or "28000" } pg:
                return new OpsException("DbAuthenticationFailed", OpsErrorCategory.AuthenticationError, $"{where}: {pg.MessageText} (SQLSTATE {pg.SqlState}).", where);
            case PostgresException { SqlState: "3D000" } pg:
                return new OpsException("DbDatabaseNotFound", OpsErrorCategory.ObjectNotFound, $"{where}: {pg.MessageText}.", where);
            case PostgresException pg:
                return new OpsException("DbConnectionRejected", OpsErrorCategory.ResourceUnavailable, $"{where}: {pg.MessageText} (SQLSTATE {pg.SqlState}).", where);
        }
        for (var e = ex; e is not null; e = e.InnerException)
            if (e is SocketException s)
                return s.SocketErrorCode == SocketError.ConnectionRefused
                    ? new OpsException("DbConnectionRefused", OpsErrorCategory.ConnectionError, $"{where}: {s.Message}", where)
                    : new OpsException("DbHostUnreachable", OpsErrorCategory.ConnectionError, $"{where}: {s.Message}", where);
        if (ex is NpgsqlException && (ex.InnerException is TimeoutException || text.Contains("Timeout", StringComparison.OrdinalIgnoreCase)))
            return new OpsException("DbConnectionTimeout", OpsErrorCategory.OperationTimeout, $"No answer from {where} within {Waiting.Waiter.Format(timeout)}.", where);
        if (ex is NpgsqlException && text.Contains("password", StringComparison.OrdinalIgnoreCase))
            return new OpsException("DbPasswordMissing", OpsErrorCategory.AuthenticationError, $"{where}: the server requires a password and none was found (-Credential, or the context's DbPassFile).", where);
        if (ex is NpgsqlException)
            return new OpsException("DbHostUnreachable", OpsErrorCategory.ConnectionError, $"{where}: {Redaction.ScrubConnectionString(ex.InnerException?.Message ?? ex.Message)}", where);
        return ex as OpsException ?? new OpsException("DbConnectionFailed", OpsErrorCategory.ConnectionError, $"{where}: {text}", where);
    }
}
