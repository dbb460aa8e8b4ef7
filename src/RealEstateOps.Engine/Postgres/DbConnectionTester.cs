using System.Diagnostics;
using System.Net.Sockets;
using Npgsql;
using RealEstateOps.Engine.Common;

namespace RealEstateOps.Engine.Postgres;

/// <summary>
/// The runbook's "pg_isready -h $DB_HOST" through Npgsql: a real login, so it also proves the
/// credentials, the database name and reports the server version and whether pgvector is there.
/// </summary>
public static class DbConnectionTester
{
    public static NpgsqlConnectionStringBuilder BuildConnectionString(DbConnectionRequest request) => BuildConnection(request).Builder;

    /// <summary>The Npgsql connection and its TLS choice (the same one pg_dump/pg_restore get through their environment).</summary>
    public static (NpgsqlConnectionStringBuilder Builder, PgSslChoice Ssl) BuildConnection(DbConnectionRequest request)
    {
        NpgsqlConnectionStringBuilder builder;
        try
        {
            builder = new NpgsqlConnectionStringBuilder(request.ConnectionString ?? "");
        }
        catch (ArgumentException ex)
        {
            throw new OpsException("DbConnectionStringInvalid", OpsErrorCategory.InvalidArgument,
                "The connection string is not valid: " + Redaction.ScrubConnectionString(ex.Message));
        }
        if (!string.IsNullOrEmpty(request.Host)) builder.Host = request.Host;
        if (request.Port is { } port)
        {
            if (port is < 1 or > 65535)
                throw new OpsException("DbPortInvalid", OpsErrorCategory.InvalidArgument, $"Port {port} is not valid: a port is a number from 1 to 65535.", port);
            builder.Port = port;
        }
        if (!string.IsNullOrEmpty(request.Database)) builder.Database = request.Database;
        if (!string.IsNullOrEmpty(request.User)) builder.Username = request.User;
        if (!string.IsNullOrEmpty(request.Password)) builder.Password = request.Password;
        if (string.IsNullOrEmpty(builder.Password) && !string.IsNullOrEmpty(request.PassFile))
        {
            if (!File.Exists(request.PassFile))
                throw new OpsException("DbPassFileNotFound", OpsErrorCategory.ObjectNotFound,
                    $"The password file '{request.PassFile}' does not exist. Fix DbPassFile in the context (Set-OpsContext -DbPassFile) or give -Credential.", request.PassFile);
            builder.Passfile = request.PassFile;
        }
        if (string.IsNullOrWhiteSpace(builder.Host))
            throw new OpsException("DbHostNotConfigured", OpsErrorCategory.InvalidArgument,
                "No database host: give -HostName (or -ConnectionString), or set DbHost in the context (Set-OpsContext -DbHost).");
        var seconds = (int)Math.Ceiling(request.Timeout.TotalSeconds);
        if (seconds < 1)
            throw new OpsException("DbTimeoutInvalid", OpsErrorCategory.InvalidArgument, $"Timeout {request.Timeout} is not valid: it must be at least one second.");
        builder.Timeout = Math.Min(seconds, 1024);
        builder.Pooling = false;
        builder.ApplicationName = "RealEstateOps";
        var ssl = PgSsl.Resolve(builder.Host, request.ConnectionString, request.SslRootCert, request.Environment);
        PgSsl.Apply(ssl, builder);
        return (builder, ssl);
    }

    public static async Task<DbConnectionResult> TestAsync(DbConnectionRequest request, CancellationToken cancellationToken)
    {
        NpgsqlConnectionStringBuilder builder;
        try
        {
            builder = BuildConnectionString(request);
        }
        catch (OpsException ex)
        {
            return new DbConnectionResult
            {
                Status = DbConnectionStatus.NoAttempt, Host = request.Host, Port = request.Port, Database = request.Database,
                User = request.User, ErrorId = ex.ErrorId, ErrorCategory = OpsErrorCategory.InvalidArgument, Error = ex.Message,
            };
        }

        DbConnectionResult Result(DbConnectionStatus status, string errorId, OpsErrorCategory category, string error, TimeSpan? latency = null) => new()
        {
            Status = status, Host = builder.Host, Port = builder.Port, Database = builder.Database, User = builder.Username,
            ErrorId = errorId, ErrorCategory = category, Error = Redaction.ScrubConnectionString(error), Latency = latency,
        };

        var watch = Stopwatch.StartNew();
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(request.Timeout);
        var connection = new NpgsqlConnection(builder.ConnectionString);
        var open = connection.OpenAsync(timeout.Token);
        try
        {
            // WaitAsync: a driver that is slow to notice cancellation mid-handshake must not hold up a timeout or Ctrl+C.
            await open.WaitAsync(timeout.Token).ConfigureAwait(false);
            var latency = watch.Elapsed;
            await using var cmd = new NpgsqlCommand(
                "select current_setting('server_version'), (select extversion from pg_extension where extname = 'vector'), " +
                "exists(select 1 from pg_available_extensions where name = 'vector')", connection);
            await using var reader = await cmd.ExecuteReaderAsync(timeout.Token).ConfigureAwait(false);
            await reader.ReadAsync(timeout.Token).ConfigureAwait(false);
            var vector = reader.IsDBNull(1) ? null : reader.GetString(1);
            return new DbConnectionResult
            {
                Status = DbConnectionStatus.Accepting, Authenticated = true, Host = builder.Host, Port = builder.Port,
                Database = builder.Database, User = builder.Username, ServerVersion = reader.GetString(0), Latency = latency,
                PgVectorInstalled = vector is not null, PgVectorVersion = vector, PgVectorAvailable = reader.GetBoolean(2),
            };
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return Result(DbConnectionStatus.NoResponse, "DbConnectionTimeout", OpsErrorCategory.OperationTimeout,
                $"No answer from {builder.Host}:{builder.Port} within {Waiting.Waiter.Format(request.Timeout)}.");
        }
        catch (PostgresException ex)
        {
            var (status, id, category) = Classify(ex.SqlState);
            return Result(status, id, category, $"{ex.MessageText} (SQLSTATE {ex.SqlState})", watch.Elapsed);
        }
        catch (NpgsqlException ex) when (FindSocketError(ex) is { } socket)
        {
            var (id, category) = socket.SocketErrorCode switch
            {
                SocketError.ConnectionRefused => ("DbConnectionRefused", OpsErrorCategory.ConnectionError),
                SocketError.HostNotFound or SocketError.NoData or SocketError.TryAgain => ("DbHostNotFound", OpsErrorCategory.ConnectionError),
                SocketError.TimedOut => ("DbConnectionTimeout", OpsErrorCategory.OperationTimeout),
                _ => ("DbHostUnreachable", OpsErrorCategory.ConnectionError),
            };
            return Result(DbConnectionStatus.NoResponse, id, category, $"{builder.Host}:{builder.Port}: {socket.Message}");
        }
        catch (NpgsqlException ex) when (ex.InnerException is TimeoutException || ex.Message.Contains("Timeout", StringComparison.OrdinalIgnoreCase))
        {
            return Result(DbConnectionStatus.NoResponse, "DbConnectionTimeout", OpsErrorCategory.OperationTimeout,
                $"No answer from {builder.Host}:{builder.Port} within {Waiting.Waiter.Format(request.Timeout)}.");
        }
        catch (NpgsqlException ex) when (ex.Message.Contains("password", StringComparison.OrdinalIgnoreCase))
        {
            // The server asked for a password and none was found: it is up (pg_isready would say accepting). A password file
            // was given but has no line for this login (its lines may name one database only): say that, not "none was given".
            return Result(DbConnectionStatus.Accepting, "DbPasswordMissing", OpsErrorCategory.AuthenticationError,
                string.IsNullOrEmpty(builder.Passfile)
                    ? "The server requires a password and none was given: use -Credential, or a password file (context DbPassFile, PGPASSFILE)."
                    : $"The server requires a password and the password file '{builder.Passfile}' has no line for {builder.Username}@{builder.Host}:{builder.Port}/{builder.Database} " +
                      "(host:port:database:user:password, '*' for any): add one, check -Database and the other settings, or use -Credential.", watch.Elapsed);
        }
        catch (NpgsqlException ex)
        {
            return Result(DbConnectionStatus.NoResponse, "DbHostUnreachable", OpsErrorCategory.ConnectionError, $"{builder.Host}:{builder.Port}: {ex.InnerException?.Message ?? ex.Message}");
        }
        finally
        {
            // Dispose once the open has settled, without waiting for it here.
            _ = open.ContinueWith(_ => connection.DisposeAsync().AsTask(), TaskScheduler.Default).Unwrap();
        }
    }

    private static (DbConnectionStatus, string, OpsErrorCategory) Classify(string sqlState) => sqlState switch
    {
        "28P01" or "28000" => (DbConnectionStatus.Accepting, "DbAuthenticationFailed", OpsErrorCategory.AuthenticationError),
        "3D000" => (DbConnectionStatus.Accepting, "DbDatabaseNotFound", OpsErrorCategory.ObjectNotFound),
        "57P03" => (DbConnectionStatus.Rejecting, "DbConnectionRejected", OpsErrorCategory.ResourceUnavailable),
        "53300" => (DbConnectionStatus.Rejecting, "DbTooManyConnections", OpsErrorCategory.ResourceUnavailable),
        "42501" => (DbConnectionStatus.Accepting, "DbPermissionDenied", OpsErrorCategory.PermissionDenied),
        _ => (DbConnectionStatus.Rejecting, "DbConnectionRejected", OpsErrorCategory.ResourceUnavailable),
    };

    private static SocketException? FindSocketError(Exception ex)
    {
        for (Exception? e = ex; e is not null; e = e.InnerException)
            if (e is SocketException s) return s;
        return null;
    }
}
