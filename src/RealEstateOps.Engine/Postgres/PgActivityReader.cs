using Npgsql;
using RealEstateOps.Engine.Common;

namespace RealEstateOps.Engine.Postgres;

/// <summary>
/// Reads pg_stat_activity (with pg_blocking_pids) and the server's connection limits into one <see cref="DbActivityReport"/>.
/// When the normal login is refused because no slot is left (DbTooManyConnections), the superuser login, when one is given,
/// reads the report instead (superusers have reserved slots) and the report says the normal login was refused; without one the
/// DbTooManyConnections error stands.
/// </summary>
public sealed class PgActivityReader
{
    private const string LimitsSql =
        "select current_setting('max_connections')::int, current_setting('superuser_reserved_connections')::int, " +
        "coalesce(current_setting('reserved_connections', true), '0')::int, current_setting('server_version'), current_user, pg_backend_pid(), now()";

    private const string SessionsSql =
        "select pid, usename, application_name, client_addr::text, datname, state, wait_event_type, wait_event, backend_start, query_start, " +
        "state_change, query, pg_blocking_pids(pid) from pg_stat_activity where backend_type = 'client backend' order by pid";

    private readonly TimeProvider _time;

    public PgActivityReader(TimeProvider? time = null) => _time = time ?? TimeProvider.System;

    public Task<DbActivityReport> ReadAsync(DbConnectionRequest connection, CancellationToken ct) =>
        ReadAsync(new DbActivityRequest { Connection = connection }, ct);

    public async Task<DbActivityReport> ReadAsync(DbActivityRequest request, CancellationToken ct)
    {
        OpsException? refused = null;
        NpgsqlConnection conn;
        try
        {
            conn = await PgConnect.OpenAsync(request.Connection, ct).ConfigureAwait(false);
        }
        catch (OpsException ex) when (ex.ErrorId == PgConnect.ExhaustedErrorId && request.Superuser is not null)
        {
            refused = ex;
            conn = await PgConnect.OpenAsync(request.Superuser, ct).ConfigureAwait(false);
        }
        await using (conn.ConfigureAwait(false))
        {
            int max, reserved, ownPid;
            string version, user;
            DateTimeOffset now;
            await using (var cmd = new NpgsqlCommand(LimitsSql, conn))
            await using (var r = await cmd.ExecuteReaderAsync(ct).ConfigureAwait(false))
            {
                await r.ReadAsync(ct).ConfigureAwait(false);
                max = r.GetInt32(0);
                reserved = r.GetInt32(1) + r.GetInt32(2);
                version = r.GetString(3);
                user = r.GetString(4);
                ownPid = r.GetInt32(5);
                now = r.GetFieldValue<DateTimeOffset>(6);
            }
            var sessions = new List<DbSession>();
            await using (var cmd = new NpgsqlCommand(SessionsSql, conn))
            await using (var r = await cmd.ExecuteReaderAsync(ct).ConfigureAwait(false))
            {
                while (await r.ReadAsync(ct).ConfigureAwait(false))
                {
                    string? Str(int i) => r.IsDBNull(i) ? null : r.GetString(i);
                    DateTimeOffset? At(int i) => r.IsDBNull(i) ? null : r.GetFieldValue<DateTimeOffset>(i);
                    var state = Str(5);
                    var queryStart = At(9);
                    var stateChange = At(10);
                    TimeSpan? duration = queryStart is not { } qs ? null
                        : state == "active" ? now - qs
                        : stateChange is { } sc && sc >= qs ? sc - qs : null;
                    var pid = r.GetInt32(0);
                    sessions.Add(new DbSession
                    {
                        ProcessId = pid, User = Str(1), Application = Str(2), ClientAddress = Str(3), Database = Str(4), State = state,
                        WaitEventType = Str(6), WaitEvent = Str(7), BackendStart = At(8), QueryStart = queryStart, QueryDuration = duration,
                        Query = Str(11), BlockedBy = r.IsDBNull(12) ? Array.Empty<int>() : r.GetFieldValue<int[]>(12), IsOwn = pid == ownPid,
                    });
                }
            }
            var inUse = sessions.Count;
            var userSlots = Math.Max(1, max - reserved);
            var available = Math.Max(0, max - reserved - inUse);
            var byPid = sessions.ToDictionary(s => s.ProcessId);
            static IReadOnlyList<DbConnectionGroup> Group(IEnumerable<string?> keys) =>
                keys.GroupBy(k => string.IsNullOrEmpty(k) ? "(none)" : k, StringComparer.Ordinal)
                    .Select(g => new DbConnectionGroup { Name = g.Key, Count = g.Count() })
                    .OrderByDescending(g => g.Count).ThenBy(g => g.Name, StringComparer.Ordinal).ToList();
            var others = sessions.Where(s => !s.IsOwn).ToList();
            var builder = DbConnectionTester.BuildConnectionString(refused is null ? request.Connection : request.Superuser!);
            return new DbActivityReport
            {
                CapturedAt = _time.GetUtcNow(), Host = builder.Host, Port = builder.Port, Database = builder.Database, ConnectedAs = user, ServerVersion = version,
                MaxConnections = max, ReservedForSuperuser = reserved, InUse = inUse, AvailableToUsers = available,
                UsedPercent = Math.Round(100.0 * inUse / userSlots, 1), IsExhausted = refused is not null || available == 0,
                LoginRefused = refused is not null, LoginErrorId = refused?.ErrorId, LoginError = refused?.Message,
                ByState = Group(sessions.Select(s => s.State)), ByApplication = Group(sessions.Select(s => s.Application)), ByUser = Group(sessions.Select(s => s.User)),
                Sessions = sessions,
                LongestRunning = others.Where(s => s.State == "active" && s.QueryDuration is not null)
                    .OrderByDescending(s => s.QueryDuration).Take(Math.Max(0, request.Top)).ToList(),
                Blocking = sessions.SelectMany(s => s.BlockedBy.Select(b => (Blocked: s, BlockingPid: b))).Select(p =>
                {
                    byPid.TryGetValue(p.BlockingPid, out var blocking);
                    return new DbBlockingPair
                    {
                        BlockedPid = p.Blocked.ProcessId, BlockedUser = p.Blocked.User, BlockedQuery = p.Blocked.Query, BlockedFor = p.Blocked.QueryDuration,
                        BlockingPid = p.BlockingPid, BlockingUser = blocking?.User, BlockingState = blocking?.State, BlockingQuery = blocking?.Query,
                    };
                }).ToList(),
            };
        }
    }
}
