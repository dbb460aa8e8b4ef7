using System.Runtime.CompilerServices;
using Npgsql;
using RealEstateOps.Engine.Common;

namespace RealEstateOps.Engine.Incident;

/// <summary>
/// The incident runbook over the store: open, list, note, change and close incidents. Every note is an INSERT of its own and
/// every change runs in a transaction holding the incident's row lock, so several operators writing at once lose nothing.
/// Times come from <see cref="TimeProvider"/> (the clocks a test injects).
/// </summary>
public sealed class IncidentOperations
{
    private const string Columns = """
        i.id, i.severity, i.title, i.component, i.commander, i.status, i.impact, i.summary, i.opened_at, i.opened_by, i.acknowledged_at,
        i.last_update_at, i.resolved_at, i.closed_at, i.revision, (select count(*) from ops.incident_notes n where n.incident_id = i.id)
        """;

    private readonly IncidentStore _store;
    private readonly TimeProvider _time;

    public IncidentOperations(IncidentStore store, TimeProvider? time = null)
    {
        _store = store;
        _time = time ?? TimeProvider.System;
    }

    /// <summary>Now, to PostgreSQL's precision (microseconds): what a method returns equals what a later read gives.</summary>
    private DateTimeOffset Now
    {
        get
        {
            var now = _time.GetUtcNow().ToUniversalTime();
            return new DateTimeOffset(now.Ticks - now.Ticks % 10, TimeSpan.Zero);
        }
    }

    /// <summary>Opens an incident with the next id of the day (INC-yyyyMMdd-NNNN, UTC) in status Investigating.</summary>
    public Task<IncidentTransition> NewAsync(NewIncidentRequest request, CancellationToken ct)
    {
        RequireText(request.Title, "Title");
        RequireText(request.Component, "Component");
        var now = Now;
        var day = DateOnly.FromDateTime(now.UtcDateTime);
        return _store.Call(request.Title, async (conn, token) =>
        {
            await using var tx = await conn.BeginTransactionAsync(token).ConfigureAwait(false);
            // One id per day at a time: the day's sequence is read and taken under a lock of its own.
            await IncidentStore.Exec(conn, tx, "select pg_advisory_xact_lock(@k)", token, ("k", IncidentStore.MigrationLockKey + day.DayNumber)).ConfigureAwait(false);
            await using var next = new NpgsqlCommand("select coalesce(max(seq), 0) + 1 from ops.incidents where day = @d", conn, tx);
            next.Parameters.AddWithValue("d", day);
            var seq = Convert.ToInt32(await next.ExecuteScalarAsync(token).ConfigureAwait(false));
            var id = $"INC-{day:yyyyMMdd}-{seq:0000}";
            await IncidentStore.Exec(conn, tx, """
                insert into ops.incidents (id, day, seq, severity, title, component, commander, status, impact, opened_at, opened_by)
                values (@id, @day, @seq, @sev, @title, @component, @commander, 'Investigating', @impact, @at, @by)
                """, token, ("id", id), ("day", day), ("seq", seq), ("sev", (short)request.Severity), ("title", request.Title.Trim()),
                ("component", request.Component.Trim()), ("commander", Blank(request.Commander)), ("impact", Blank(request.Impact)), ("at", now), ("by", request.OpenedBy))
                .ConfigureAwait(false);
            var created = await ReadOne(conn, tx, id, token).ConfigureAwait(false);
            await tx.CommitAsync(token).ConfigureAwait(false);
            return new IncidentTransition { After = created! };
        }, ct);
    }

    /// <summary>One incident by id (IncidentNotFound when there is none).</summary>
    public Task<Incident> GetAsync(string id, CancellationToken ct) => _store.Call(id, async (conn, token) =>
        await ReadOne(conn, null, id, token).ConfigureAwait(false) ?? throw NotFound(id), ct);

    /// <summary>
    /// The incidents asked for, newest first, read a page at a time as the consumer asks: by id (an id that does not exist is
    /// IncidentNotFound, after the others), by status, all, or the open ones (Investigating, Identified, Mitigated).
    /// </summary>
    public async IAsyncEnumerable<Incident> ListAsync(IncidentQuery query, [EnumeratorCancellation] CancellationToken ct)
    {
        if (query.Id is { Count: > 0 } ids)
        {
            foreach (var id in ids) yield return await GetAsync(id, ct).ConfigureAwait(false);
            yield break;
        }
        var statuses = query.Status is { Count: > 0 } s ? s.Select(x => x.ToString()).ToArray()
            : query.All ? null
            : new[] { nameof(IncidentStatus.Investigating), nameof(IncidentStatus.Identified), nameof(IncidentStatus.Mitigated) };
        var pageSize = Math.Clamp(query.PageSize, 1, 1000);
        string? after = null;
        while (true)
        {
            var page = await _store.Call("incidents", async (conn, token) =>
            {
                await using var cmd = new NpgsqlCommand($"""
                    select {Columns} from ops.incidents i
                    where (@statuses::text[] is null or i.status = any(@statuses)) and (@after::text is null or i.id < @after)
                    order by i.id desc limit @n
                    """, conn);
                cmd.Parameters.AddWithValue("statuses", NpgsqlTypes.NpgsqlDbType.Array | NpgsqlTypes.NpgsqlDbType.Text, (object?)statuses ?? DBNull.Value);
                cmd.Parameters.AddWithValue("after", NpgsqlTypes.NpgsqlDbType.Text, (object?)after ?? DBNull.Value);
                cmd.Parameters.AddWithValue("n", pageSize);
                return await ReadAll(cmd, token).ConfigureAwait(false);
            }, ct).ConfigureAwait(false);
            foreach (var incident in page) yield return incident;
            if (page.Count < pageSize) yield break;
            after = page[^1].Id;
        }
    }

    /// <summary>
    /// Adds a note to an open incident (IncidentNotFound; IncidentClosed once closed). The first note is the incident's
    /// response (acknowledged); a StakeholderUpdate restarts the update clock. <paramref name="kind"/> StatusChange is the
    /// store's own (Set-Incident's) and is refused here (IncidentNoteKindInvalid).
    /// </summary>
    public Task<IncidentNote> AddNoteAsync(string incidentId, IncidentNoteKind kind, string text, string author, CancellationToken ct, string? host = null)
    {
        if (kind == IncidentNoteKind.StatusChange)
            throw new OpsException("IncidentNoteKindInvalid", OpsErrorCategory.InvalidArgument,
                "StatusChange notes are written by Set-Incident and Close-Incident themselves: add a Finding, Action or StakeholderUpdate.", incidentId);
        RequireText(text, "Text");
        return _store.Call(incidentId, async (conn, token) =>
        {
            await using var tx = await conn.BeginTransactionAsync(token).ConfigureAwait(false);
            var current = await LockOpen(conn, tx, incidentId, token).ConfigureAwait(false);
            var note = await InsertNote(conn, tx, current.Id, kind, text, author, host, token).ConfigureAwait(false);
            await tx.CommitAsync(token).ConfigureAwait(false);
            return note;
        }, ct);
    }

    /// <summary>
    /// Changes severity, commander, status (not Closed) or summary, each change a StatusChange note; unchanged values are no
    /// change (no note). Changes to a closed incident are IncidentClosed.
    /// </summary>
    public Task<IncidentTransition> SetAsync(IncidentChange change, CancellationToken ct)
    {
        if (change.Status == IncidentStatus.Closed)
            throw new OpsException("IncidentCloseRequired", OpsErrorCategory.InvalidArgument,
                "An incident is closed with Close-Incident (it checks that it was resolved first).", change.Id);
        return _store.Call(change.Id, async (conn, token) =>
        {
            await using var tx = await conn.BeginTransactionAsync(token).ConfigureAwait(false);
            var before = await LockOpen(conn, tx, change.Id, token).ConfigureAwait(false);
            var now = Now;
            var notes = new List<string>();
            var severity = change.Severity ?? before.Severity;
            if (severity != before.Severity) notes.Add($"Severity {before.Severity} -> {severity}");
            var commander = Blank(change.Commander) ?? before.Commander;
            if (!string.Equals(commander, before.Commander, StringComparison.Ordinal)) notes.Add($"Commander {before.Commander ?? "(none)"} -> {commander}");
            var status = change.Status ?? before.Status;
            if (status != before.Status) notes.Add($"Status {before.Status} -> {status}");
            var summary = Blank(change.Summary) ?? before.Summary;
            if (!string.Equals(summary, before.Summary, StringComparison.Ordinal)) notes.Add($"Summary: {summary}");
            if (notes.Count == 0)
            {
                await tx.CommitAsync(token).ConfigureAwait(false);
                return new IncidentTransition { Before = before, After = before };
            }
            DateTimeOffset? resolvedAt = status == IncidentStatus.Resolved ? before.ResolvedAt ?? now : null;
            await IncidentStore.Exec(conn, tx, """
                update ops.incidents set severity = @sev, commander = @commander, status = @status, summary = @summary, resolved_at = @resolved,
                    acknowledged_at = case when @ack then coalesce(acknowledged_at, @at) else acknowledged_at end, revision = revision + 1
                where id = @id
                """, token, ("sev", (short)severity), ("commander", commander), ("status", status.ToString()), ("summary", summary),
                ("resolved", resolvedAt), ("ack", commander is not null), ("at", now), ("id", before.Id)).ConfigureAwait(false);
            foreach (var text in notes)
                await InsertNote(conn, tx, before.Id, IncidentNoteKind.StatusChange, text, change.Author, change.Host, token).ConfigureAwait(false);
            var after = await ReadOne(conn, tx, before.Id, token).ConfigureAwait(false);
            await tx.CommitAsync(token).ConfigureAwait(false);
            return new IncidentTransition { Before = before, After = after! };
        }, ct);
    }

    /// <summary>
    /// Closes a Resolved incident; with a resolution, resolves an open one (the resolution its summary) and closes it in one
    /// transaction. IncidentNotResolved when it is open and no resolution is given; IncidentClosed when it is closed already.
    /// </summary>
    public Task<IncidentTransition> CloseAsync(IncidentCloseRequest request, CancellationToken ct) => _store.Call(request.Id, async (conn, token) =>
    {
        await using var tx = await conn.BeginTransactionAsync(token).ConfigureAwait(false);
        var before = await LockOpen(conn, tx, request.Id, token).ConfigureAwait(false);
        var resolution = Blank(request.Resolution);
        if (before.Status != IncidentStatus.Resolved && resolution is null)
            throw new OpsException("IncidentNotResolved", OpsErrorCategory.InvalidOperation,
                $"Incident {before.Id} is {before.Status}, not Resolved: resolve it first (Set-Incident -Status Resolved), or give -Resolution to resolve and close it at once.",
                before.Id);
        var now = Now;
        if (before.Status != IncidentStatus.Resolved)
            await InsertNote(conn, tx, before.Id, IncidentNoteKind.StatusChange, $"Status {before.Status} -> Resolved: {resolution}", request.Author, request.Host, token).ConfigureAwait(false);
        await InsertNote(conn, tx, before.Id, IncidentNoteKind.StatusChange, "Status Resolved -> Closed", request.Author, request.Host, token).ConfigureAwait(false);
        await IncidentStore.Exec(conn, tx, """
            update ops.incidents set status = 'Closed', resolved_at = coalesce(resolved_at, @at), closed_at = @at,
                summary = coalesce(@resolution, summary), revision = revision + 1
            where id = @id
            """, token, ("at", now), ("resolution", resolution), ("id", before.Id)).ConfigureAwait(false);
        var after = await ReadOne(conn, tx, before.Id, token).ConfigureAwait(false);
        await tx.CommitAsync(token).ConfigureAwait(false);
        return new IncidentTransition { Before = before, After = after! };
    }, ct);

    /// <summary>An incident's notes in the order they were written, a page at a time.</summary>
    public async IAsyncEnumerable<IncidentNote> NotesAsync(string incidentId, [EnumeratorCancellation] CancellationToken ct, int pageSize = 500)
    {
        long after = 0;
        var first = true;
        while (true)
        {
            var page = await _store.Call(incidentId, async (conn, token) =>
            {
                if (first && await ReadOne(conn, null, incidentId, token).ConfigureAwait(false) is null) throw NotFound(incidentId);
                await using var cmd = new NpgsqlCommand("""
                    select id, incident_id, kind, text, author, host, at from ops.incident_notes
                    where incident_id = @i and id > @after order by id limit @n
                    """, conn);
                cmd.Parameters.AddWithValue("i", incidentId);
                cmd.Parameters.AddWithValue("after", after);
                cmd.Parameters.AddWithValue("n", pageSize);
                var list = new List<IncidentNote>();
                await using var reader = await cmd.ExecuteReaderAsync(token).ConfigureAwait(false);
                while (await reader.ReadAsync(token).ConfigureAwait(false))
                    list.Add(new IncidentNote
                    {
                        Id = reader.GetInt64(0), IncidentId = reader.GetString(1), Kind = Enum.Parse<IncidentNoteKind>(reader.GetString(2)),
                        Text = reader.GetString(3), Author = reader.GetString(4), Host = reader.IsDBNull(5) ? null : reader.GetString(5),
                        At = reader.GetFieldValue<DateTimeOffset>(6),
                    });
                return list;
            }, ct).ConfigureAwait(false);
            first = false;
            foreach (var note in page) yield return note;
            if (page.Count < pageSize) yield break;
            after = page[^1].Id;
        }
    }

    private async Task<Incident> LockOpen(NpgsqlConnection conn, NpgsqlTransaction tx, string id, CancellationToken ct)
    {
        await using (var lockRow = new NpgsqlCommand("select 1 from ops.incidents where id = @id for update", conn, tx))
        {
            lockRow.Parameters.AddWithValue("id", id);
            if (await lockRow.ExecuteScalarAsync(ct).ConfigureAwait(false) is null) throw NotFound(id);
        }
        var current = (await ReadOne(conn, tx, id, ct).ConfigureAwait(false))!;
        if (current.Status == IncidentStatus.Closed)
            throw new OpsException("IncidentClosed", OpsErrorCategory.InvalidOperation, $"Incident {id} was closed at {current.ClosedAt:u}: it takes no more changes.", id);
        return current;
    }

    private async Task<IncidentNote> InsertNote(NpgsqlConnection conn, NpgsqlTransaction tx, string id, IncidentNoteKind kind, string text, string author, string? host, CancellationToken ct)
    {
        var at = Now;
        long noteId;
        await using (var insert = new NpgsqlCommand("insert into ops.incident_notes (incident_id, kind, text, author, host, at) values (@i, @k, @t, @a, @h, @at) returning id", conn, tx))
        {
            insert.Parameters.AddWithValue("i", id);
            insert.Parameters.AddWithValue("k", kind.ToString());
            insert.Parameters.AddWithValue("t", text.Trim());
            insert.Parameters.AddWithValue("a", author);
            insert.Parameters.AddWithValue("h", (object?)host ?? DBNull.Value);
            insert.Parameters.AddWithValue("at", at);
            noteId = (long)(await insert.ExecuteScalarAsync(ct).ConfigureAwait(false))!;
        }
        await IncidentStore.Exec(conn, tx, """
            update ops.incidents set acknowledged_at = coalesce(acknowledged_at, @at),
                last_update_at = case when @update then @at else last_update_at end
            where id = @i
            """, ct, ("at", at), ("update", kind == IncidentNoteKind.StakeholderUpdate), ("i", id)).ConfigureAwait(false);
        return new IncidentNote { Id = noteId, IncidentId = id, Kind = kind, Text = text.Trim(), Author = author, Host = host, At = at };
    }

    private async Task<Incident?> ReadOne(NpgsqlConnection conn, NpgsqlTransaction? tx, string id, CancellationToken ct)
    {
        await using var cmd = new NpgsqlCommand($"select {Columns} from ops.incidents i where i.id = @id", conn, tx);
        cmd.Parameters.AddWithValue("id", id);
        return (await ReadAll(cmd, ct).ConfigureAwait(false)).FirstOrDefault();
    }

    private async Task<List<Incident>> ReadAll(NpgsqlCommand cmd, CancellationToken ct)
    {
        var now = Now;
        var list = new List<Incident>();
        await using var r = await cmd.ExecuteReaderAsync(ct).ConfigureAwait(false);
        DateTimeOffset? At(int i) => r.IsDBNull(i) ? null : r.GetFieldValue<DateTimeOffset>(i);
        string? Text(int i) => r.IsDBNull(i) ? null : r.GetString(i);
        while (await r.ReadAsync(ct).ConfigureAwait(false))
            list.Add(new Incident
            {
                Id = r.GetString(0), Severity = (IncidentSeverity)r.GetInt16(1), Title = r.GetString(2), Component = r.GetString(3),
                Commander = Text(4), Status = Enum.Parse<IncidentStatus>(r.GetString(5)), Impact = Text(6), Summary = Text(7),
                OpenedAt = r.GetFieldValue<DateTimeOffset>(8), OpenedBy = r.GetString(9), AcknowledgedAt = At(10), LastUpdateAt = At(11),
                ResolvedAt = At(12), ClosedAt = At(13), Revision = r.GetInt32(14), NoteCount = (int)r.GetInt64(15), EvaluatedAt = now,
            });
        return list;
    }

    private static OpsException NotFound(string id) => new("IncidentNotFound", OpsErrorCategory.ObjectNotFound,
        $"There is no incident '{id}' in the incident store (Get-Incident -All lists them).", id);

    private static string? Blank(string? s) => string.IsNullOrWhiteSpace(s) ? null : s.Trim();

    private static void RequireText(string? value, string name)
    {
        if (string.IsNullOrWhiteSpace(value))
            throw new OpsException("Incident" + name + "Empty", OpsErrorCategory.InvalidArgument, $"The incident's {name.ToLowerInvariant()} is empty.");
    }
}
