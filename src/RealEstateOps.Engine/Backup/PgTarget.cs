using Npgsql;
using RealEstateOps.Engine.Common;
using RealEstateOps.Engine.Postgres;

namespace RealEstateOps.Engine.Backup;

/// <summary>The pre-flight of an export or import: a real login (specific error ids), the server's version and the tables there.</summary>
internal sealed record PgTarget(NpgsqlConnectionStringBuilder Builder, PgSslChoice Ssl, string ServerVersion, int ServerMajor, string[] Tables)
{
    public static async Task<PgTarget> ConnectAsync(DbConnectionRequest request, CancellationToken ct)
    {
        var (builder, ssl) = DbConnectionTester.BuildConnection(request);
        builder.Timeout = Math.Max(builder.Timeout, 15);
        try
        {
            await using var conn = new NpgsqlConnection(builder.ConnectionString);
            await conn.OpenAsync(ct).ConfigureAwait(false);
            await using var cmd = new NpgsqlCommand(
                "select current_setting('server_version'), current_setting('server_version_num')::int, " +
                "coalesce((select array_agg(schemaname || '.' || tablename order by schemaname, tablename) from pg_tables " +
                "where schemaname not in ('pg_catalog', 'information_schema') and schemaname not like 'pg_toast%'), '{}')", conn);
            await using var reader = await cmd.ExecuteReaderAsync(ct).ConfigureAwait(false);
            await reader.ReadAsync(ct).ConfigureAwait(false);
            var version = reader.GetString(0).Split(' ')[0];
            return new PgTarget(builder, ssl, version, reader.GetInt32(1) / 10000, reader.GetFieldValue<string[]>(2));
        }
        catch (NpgsqlException) when (!ct.IsCancellationRequested)
        {
            // The login failed: Test-DbConnection's diagnosis gives the specific id (refused, authentication, no such database, ...).
            throw await DiagnoseAsync(request, ct).ConfigureAwait(false);
        }
    }

    private static async Task<OpsException> DiagnoseAsync(DbConnectionRequest request, CancellationToken ct)
    {
        var result = await DbConnectionTester.TestAsync(request, ct).ConfigureAwait(false);
        var category = result.ErrorId switch
        {
            "DbAuthenticationFailed" or "DbPasswordMissing" => OpsErrorCategory.AuthenticationError,
            "DbDatabaseNotFound" or "DbPassFileNotFound" => OpsErrorCategory.ObjectNotFound,
            "DbPermissionDenied" => OpsErrorCategory.PermissionDenied,
            "DbConnectionTimeout" => OpsErrorCategory.OperationTimeout,
            _ when result.Status == DbConnectionStatus.NoAttempt => OpsErrorCategory.InvalidArgument,
            _ => OpsErrorCategory.ConnectionError,
        };
        return new OpsException(result.ErrorId ?? "DbConnectionFailed", category, result.Error ?? result.Status.ToString(), $"{result.Host}:{result.Port}/{result.Database}");
    }

    public string Describe => $"{Builder.Host}:{Builder.Port}/{Builder.Database}";
}
