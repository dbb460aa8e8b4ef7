using Npgsql;
using RealEstateOps.Engine.Common;
using RealEstateOps.Engine.Incident;
using RealEstateOps.Engine.Notification;
using RealEstateOps.Engine.Tests.Support;
using RealEstateOps.Sandbox.Incident;
using Xunit;

namespace RealEstateOps.Engine.Tests.Incident;

/// <summary>The incident store on the test PostgreSQL server: each test its own database and role, made as the sandbox makes them.</summary>
public sealed class IncidentStoreTests : IAsyncLifetime
{
    private readonly string _stateDir = Path.Combine(Path.GetTempPath(), "reo-incident-" + Guid.NewGuid().ToString("N")[..8]);
    private readonly List<IncidentStore> _stores = new();

    public Task InitializeAsync()
    {
        FileUtil.CreatePrivateDirectory(_stateDir);
        return Task.CompletedTask;
    }

    public Task DisposeAsync()
    {
        foreach (var store in _stores) store.Dispose();
        if (Directory.Exists(_stateDir) && Path.GetFileName(_stateDir).StartsWith("reo-incident-", StringComparison.Ordinal)) Directory.Delete(_stateDir, true);
        return Task.CompletedTask;
    }

    private sealed class Clock(DateTimeOffset now) : TimeProvider
    {
        public DateTimeOffset Now { get; set; } = now;
        public override DateTimeOffset GetUtcNow() => Now;
    }

    private async Task<IncidentStoreTarget> NewDatabaseAsync()
    {
        var db = await IncidentDatabase.EnsureAsync(await TestPostgres.AdminConnectionStringAsync(), TestPostgres.UniqueName("inc"), TestPostgres.UniqueName("ops"), _stateDir, CancellationToken.None);
        return new IncidentStoreTarget { Host = db.Host, Port = db.Port, Database = db.Database, User = db.User, PassFile = db.PassFile };
    }

    private IncidentStore Open(IncidentStoreTarget target)
    {
        var store = IncidentStore.Open(target);
        _stores.Add(store);
        return store;
    }

    private static async Task<long> ScalarAsync(IncidentStoreTarget target, string sql)
    {
        var admin = await TestPostgres.AdminAsync();
        admin.Database = target.Database;
        await using var conn = new NpgsqlConnection(admin.ConnectionString);
        await conn.OpenAsync();
        await using var cmd = new NpgsqlCommand(sql, conn);
        return Convert.ToInt64(await cmd.ExecuteScalarAsync());
    }

    private static NewIncidentRequest Request(IncidentSeverity severity, string title = "API 500s") =>
        new() { Severity = severity, Title = title, Component = "api-service", OpenedBy = "alice", Host = "test" };

    [Fact]
    public async Task Migrations_are_applied_once_and_again_change_nothing()
    {
        var target = await NewDatabaseAsync();
        var store = Open(target);
        Assert.Equal(0, await store.SchemaVersionAsync(default));
        Assert.Equal(IncidentMigrations.Latest, await store.MigrateAsync(default));
        Assert.Equal(IncidentMigrations.Latest, await store.MigrateAsync(default));
        Assert.Equal(IncidentMigrations.Latest, await ScalarAsync(target, "select count(*) from ops.schema_version"));
        Assert.Equal(IncidentMigrations.Latest, await Open(target).SchemaVersionAsync(default));
    }

    [Fact]
    public async Task Operators_migrating_at_once_apply_each_migration_once()
    {
        var target = await NewDatabaseAsync();
        var versions = await Task.WhenAll(Enumerable.Range(0, 6).Select(_ => Task.Run(() => Open(target).MigrateAsync(default))));
        Assert.All(versions, v => Assert.Equal(IncidentMigrations.Latest, v));
        Assert.Equal(IncidentMigrations.Latest, await ScalarAsync(target, "select count(*) from ops.schema_version"));
    }

    [Fact]
    public async Task A_store_of_a_newer_schema_is_refused()
    {
        var target = await NewDatabaseAsync();
        await Open(target).MigrateAsync(default);
        await ScalarAsync(target, $"insert into ops.schema_version (version, description) values ({IncidentMigrations.Latest + 1}, 'from the future') returning version");
        var ex = await Assert.ThrowsAsync<OpsException>(() => new IncidentOperations(Open(target)).GetAsync("INC-20260101-0001", default));
        Assert.Equal("IncidentStoreVersionTooNew", ex.ErrorId);
        Assert.True(ex.IsFatal);
    }

    [Fact]
    public async Task Clocks_flag_overdue_responses_and_updates_on_the_injected_time()
    {
        var clock = new Clock(new DateTimeOffset(2026, 12, 2, 10, 0, 0, TimeSpan.Zero));
        var incidents = new IncidentOperations(Open(await NewDatabaseAsync()), clock);
        var opened = (await incidents.NewAsync(Request(IncidentSeverity.SEV2), default)).After;
        Assert.Equal("INC-20261202-0001", opened.Id);
        Assert.Equal(clock.Now.AddMinutes(30), opened.ResponseDue);
        Assert.Equal(clock.Now.AddHours(2), opened.UpdateDue);
        Assert.False(opened.OverdueResponse);

        clock.Now = clock.Now.AddMinutes(31);
        Assert.True((await incidents.GetAsync(opened.Id, default)).OverdueResponse);
        await incidents.AddNoteAsync(opened.Id, IncidentNoteKind.Finding, "connections at max", "bob", default);
        var responded = await incidents.GetAsync(opened.Id, default);
        Assert.False(responded.OverdueResponse);
        Assert.Equal(clock.Now, responded.AcknowledgedAt);
        Assert.False(responded.OverdueUpdate);

        clock.Now = opened.OpenedAt.AddHours(2).AddMinutes(1);
        Assert.True((await incidents.GetAsync(opened.Id, default)).OverdueUpdate);
        await incidents.AddNoteAsync(opened.Id, IncidentNoteKind.StakeholderUpdate, "rolling back", "bob", default);
        var updated = await incidents.GetAsync(opened.Id, default);
        Assert.False(updated.OverdueUpdate);
        Assert.Equal(clock.Now.AddHours(2), updated.UpdateDue);

        var sev4 = (await incidents.NewAsync(Request(IncidentSeverity.SEV4, "typo"), default)).After;
        Assert.Equal("INC-20261202-0002", sev4.Id);
        Assert.Null(sev4.UpdateDue);
        clock.Now = clock.Now.AddDays(3);
        var late = await incidents.GetAsync(sev4.Id, default);
        Assert.True(late.OverdueResponse);
        Assert.False(late.OverdueUpdate);
    }

    [Fact]
    public async Task Notes_written_at_once_are_all_kept()
    {
        var target = await NewDatabaseAsync();
        var incidents = new IncidentOperations(Open(target));
        var id = (await incidents.NewAsync(Request(IncidentSeverity.SEV3), default)).After.Id;
        // Four writers, each with its own client, 25 notes each.
        await Task.WhenAll(Enumerable.Range(0, 4).Select(w => Task.Run(async () =>
        {
            var own = new IncidentOperations(Open(target));
            for (var i = 0; i < 25; i++) await own.AddNoteAsync(id, IncidentNoteKind.Action, $"writer {w} note {i}", $"op{w}", default);
        })));
        var notes = new List<IncidentNote>();
        await foreach (var n in incidents.NotesAsync(id, default, pageSize: 7)) notes.Add(n);
        Assert.Equal(100, notes.Count);
        Assert.Equal(100, notes.Select(n => n.Text).Distinct().Count());
        Assert.Equal(notes.OrderBy(n => n.Id).Select(n => n.Id), notes.Select(n => n.Id));
        Assert.Equal(100, (await incidents.GetAsync(id, default)).NoteCount);
    }

    [Fact]
    public async Task Changes_are_notes_and_closing_needs_a_resolution()
    {
        var incidents = new IncidentOperations(Open(await NewDatabaseAsync()));
        var id = (await incidents.NewAsync(Request(IncidentSeverity.SEV3), default)).After.Id;
        var set = await incidents.SetAsync(new IncidentChange { Id = id, Commander = "carol", Status = IncidentStatus.Identified, Author = "carol" }, default);
        Assert.Equal(IncidentStatus.Identified, set.After.Status);
        Assert.NotNull(set.After.AcknowledgedAt);
        var unchanged = await incidents.SetAsync(new IncidentChange { Id = id, Commander = "carol", Author = "carol" }, default);
        Assert.Equal(2, unchanged.After.NoteCount);
        Assert.Equal("IncidentNoteKindInvalid", (await Assert.ThrowsAsync<OpsException>(() => incidents.AddNoteAsync(id, IncidentNoteKind.StatusChange, "x", "a", default))).ErrorId);
        Assert.Equal("IncidentNotResolved", (await Assert.ThrowsAsync<OpsException>(() => incidents.CloseAsync(new IncidentCloseRequest { Id = id, Author = "carol" }, default))).ErrorId);
        var closed = await incidents.CloseAsync(new IncidentCloseRequest { Id = id, Resolution = "raised max_connections", Author = "carol" }, default);
        Assert.Equal(IncidentStatus.Closed, closed.After.Status);
        Assert.Equal("raised max_connections", closed.After.Summary);
        Assert.NotNull(closed.After.ResolvedAt);
        Assert.Equal(closed.After.ResolvedAt!.Value.AddHours(48), closed.After.PostMortemDue);
        Assert.Equal("IncidentClosed", (await Assert.ThrowsAsync<OpsException>(() => incidents.AddNoteAsync(id, IncidentNoteKind.Finding, "late", "a", default))).ErrorId);
        Assert.Equal("IncidentNotFound", (await Assert.ThrowsAsync<OpsException>(() => incidents.AddNoteAsync("INC-20000101-0001", IncidentNoteKind.Finding, "x", "a", default))).ErrorId);
    }

    [Fact]
    public async Task Lists_read_open_incidents_newest_first_a_page_at_a_time()
    {
        var incidents = new IncidentOperations(Open(await NewDatabaseAsync()));
        var ids = new List<string>();
        for (var i = 0; i < 5; i++) ids.Add((await incidents.NewAsync(Request(IncidentSeverity.SEV4, $"t{i}"), default)).After.Id);
        await incidents.CloseAsync(new IncidentCloseRequest { Id = ids[1], Resolution = "done", Author = "a" }, default);
        var open = new List<string>();
        await foreach (var i in incidents.ListAsync(new IncidentQuery { PageSize = 2 }, default)) open.Add(i.Id);
        Assert.Equal(new[] { ids[4], ids[3], ids[2], ids[0] }, open);
        var all = new List<string>();
        await foreach (var i in incidents.ListAsync(new IncidentQuery { All = true, PageSize = 2 }, default)) all.Add(i.Id);
        Assert.Equal(5, all.Count);
        var closed = new List<string>();
        await foreach (var i in incidents.ListAsync(new IncidentQuery { Status = new[] { IncidentStatus.Closed } }, default)) closed.Add(i.Id);
        Assert.Equal(new[] { ids[1] }, closed);
    }

    [Fact]
    public async Task A_wrong_password_and_a_closed_port_have_their_own_ids()
    {
        var target = await NewDatabaseAsync();
        var wrong = Path.Combine(_stateDir, "wrong.pgpass");
        FileUtil.WriteAtomic(wrong, $"*:*:*:{target.User}:not-the-password\n", ownerOnly: true);
        var auth = await Assert.ThrowsAsync<OpsException>(() => Open(target with { PassFile = wrong }).SchemaVersionAsync(default));
        Assert.Equal("IncidentStoreAuthFailed", auth.ErrorId);
        Assert.DoesNotContain("not-the-password", auth.Message);
        var unreachable = await Assert.ThrowsAsync<OpsException>(() => Open(target with { Port = Ports.Free() }).SchemaVersionAsync(default));
        Assert.Equal("IncidentStoreUnreachable", unreachable.ErrorId);
    }

    private static Engine.Incident.Incident At(IncidentSeverity severity, IncidentStatus status, string? commander = null) => new()
    {
        Id = "INC-20261202-0001", Severity = severity, Status = status, Title = "t", Component = "c", OpenedBy = "a", Commander = commander,
    };

    [Fact]
    public void Paging_follows_severity_status_and_commander()
    {
        Assert.Equal(new[] { PagerDutyAction.Trigger }, IncidentTransition.PagerActionsFor(null, At(IncidentSeverity.SEV2, IncidentStatus.Investigating)));
        Assert.Empty(IncidentTransition.PagerActionsFor(null, At(IncidentSeverity.SEV3, IncidentStatus.Investigating)));
        Assert.Equal(new[] { PagerDutyAction.Trigger },
            IncidentTransition.PagerActionsFor(At(IncidentSeverity.SEV3, IncidentStatus.Investigating), At(IncidentSeverity.SEV1, IncidentStatus.Investigating)));
        Assert.Equal(new[] { PagerDutyAction.Acknowledge },
            IncidentTransition.PagerActionsFor(At(IncidentSeverity.SEV2, IncidentStatus.Investigating), At(IncidentSeverity.SEV2, IncidentStatus.Identified)));
        Assert.Equal(new[] { PagerDutyAction.Acknowledge },
            IncidentTransition.PagerActionsFor(At(IncidentSeverity.SEV1, IncidentStatus.Investigating), At(IncidentSeverity.SEV1, IncidentStatus.Investigating, "alice")));
        Assert.Empty(IncidentTransition.PagerActionsFor(At(IncidentSeverity.SEV2, IncidentStatus.Identified), At(IncidentSeverity.SEV2, IncidentStatus.Mitigated)));
        Assert.Equal(new[] { PagerDutyAction.Resolve },
            IncidentTransition.PagerActionsFor(At(IncidentSeverity.SEV2, IncidentStatus.Mitigated), At(IncidentSeverity.SEV2, IncidentStatus.Resolved)));
        Assert.Equal(new[] { PagerDutyAction.Resolve },
            IncidentTransition.PagerActionsFor(At(IncidentSeverity.SEV2, IncidentStatus.Identified), At(IncidentSeverity.SEV3, IncidentStatus.Identified)));
        Assert.Empty(IncidentTransition.PagerActionsFor(At(IncidentSeverity.SEV3, IncidentStatus.Mitigated), At(IncidentSeverity.SEV3, IncidentStatus.Closed)));
        Assert.Equal(new[] { PagerDutyAction.Trigger, PagerDutyAction.Acknowledge },
            IncidentTransition.PagerActionsFor(At(IncidentSeverity.SEV4, IncidentStatus.Investigating), At(IncidentSeverity.SEV2, IncidentStatus.Identified)));
    }

    [Fact]
    public void The_current_incident_comes_from_the_environment_before_the_state_file()
    {
        var paths = new OpsPaths(_stateDir, _stateDir, Path.Combine(_stateDir, "state"));
        var current = new CurrentIncident(paths, _ => null);
        Assert.Null(current.Get());
        current.Set("INC-20261202-0007");
        Assert.Equal("INC-20261202-0007", current.Get()?.Value);
        Assert.Equal(UnixFiles.OwnerOnlyFile, File.GetUnixFileMode(current.FilePath));
        var fromEnv = new CurrentIncident(paths, name => name == CurrentIncident.EnvironmentVariable ? "INC-20261202-0009" : null);
        Assert.Equal("INC-20261202-0009", fromEnv.Get()?.Value);
        Assert.False(current.Clear("INC-20261202-0001"));
        Assert.True(current.Clear("INC-20261202-0007"));
        Assert.Null(current.Get());
        Assert.Equal("IncidentIdInvalid", Assert.Throws<OpsException>(() => current.Set("../x")).ErrorId);
    }
}

public sealed class IncidentPostMortemTests
{
    private sealed class Clock(DateTimeOffset now) : TimeProvider
    {
        public override DateTimeOffset GetUtcNow() => now;
    }

    [Fact]
    public void The_timeline_merges_notes_journal_entries_of_the_window_or_the_id_and_alerts()
    {
        var opened = new DateTimeOffset(2026, 12, 2, 10, 0, 0, TimeSpan.Zero);
        var incident = new Engine.Incident.Incident
        {
            Id = "INC-20261202-0003", Severity = IncidentSeverity.SEV2, Title = "DB | connections", Component = "database", OpenedBy = "alice",
            Status = IncidentStatus.Closed, OpenedAt = opened, ResolvedAt = opened.AddHours(1), ClosedAt = opened.AddHours(2), Impact = "API 500s",
        };
        var folder = Path.Combine(Path.GetTempPath(), "reo-incident-pm-" + Guid.NewGuid().ToString("N")[..8]);
        FileUtil.CreatePrivateDirectory(folder);
        try
        {
            var journal = new Engine.Journal.OpsJournal(Path.Combine(folder, "journal.jsonl"));
            Engine.Journal.JournalEntry Entry(DateTimeOffset at, string command, string? incidentId = null) => new()
            {
                Timestamp = at, User = "bob", Host = "ops-1", Command = command, Action = "act", Target = "t", Outcome = Engine.Journal.JournalOutcome.Succeeded,
                CorrelationId = "corr-" + command, IncidentId = incidentId,
            };
            journal.Append(Entry(opened.AddMinutes(-30), "Before-Window"));
            journal.Append(Entry(opened.AddMinutes(10), "Set-DbParameter"));
            journal.Append(Entry(opened.AddHours(5), "Late-With-Id", incident.Id));
            journal.Append(Entry(opened.AddHours(6), "Late-Other"));
            var writer = new IncidentPostMortemWriter(new Clock(opened.AddDays(1)));
            var entries = writer.JournalEntries(incident, journal);
            Assert.Equal(new[] { "Set-DbParameter", "Late-With-Id" }, entries.Select(e => e.Command));

            var notes = new[] { new IncidentNote { IncidentId = incident.Id, Kind = IncidentNoteKind.Finding, Text = "max_connections reached", Author = "carol", At = opened.AddMinutes(5) } };
            var alerts = new[] { new IncidentAlert { Name = "DatabaseConnectionsHigh", Severity = "critical", FirstSeen = opened.AddMinutes(1), LastSeen = opened.AddMinutes(50) } };
            var md = writer.Render(incident, notes, entries, alerts, null);
            var timeline = md[md.IndexOf("## Timeline", StringComparison.Ordinal)..md.IndexOf("## Alerts that fired", StringComparison.Ordinal)];
            var alertAt = timeline.IndexOf("DatabaseConnectionsHigh firing", StringComparison.Ordinal);
            var noteAt = timeline.IndexOf("max_connections reached", StringComparison.Ordinal);
            var entryAt = timeline.IndexOf("Set-DbParameter", StringComparison.Ordinal);
            Assert.True(alertAt > 0 && alertAt < noteAt && noteAt < entryAt, timeline);
            Assert.Contains("| bob@ops-1 |", timeline);
            Assert.Contains("corr-Set-DbParameter", timeline);
            Assert.Contains("DB \\| connections", md);
            Assert.Contains("Post-mortem due: 2026-12-04 11:00:00Z", md);
            foreach (var section in new[] { "## Root cause", "## Contributing factors", "## Preventive measures", "## Runbook updates", "## Impact\n\nAPI 500s" })
                Assert.Contains(section, md);
            Assert.Contains("Prometheus is not configured", writer.Render(incident, notes, entries, null, "Prometheus is not configured in the context."));

            var path = Path.Combine(folder, "pm.md");
            IncidentPostMortemWriter.Write(path, md, overwrite: false);
            Assert.Equal(UnixFiles.OwnerOnlyFile, File.GetUnixFileMode(path));
            Assert.Equal("PostMortemFileExists", Assert.Throws<OpsException>(() => IncidentPostMortemWriter.Write(path, "other", overwrite: false)).ErrorId);
            Assert.Equal(md, File.ReadAllText(path));
            IncidentPostMortemWriter.Write(path, "other", overwrite: true);
            Assert.Equal("other", File.ReadAllText(path));
        }
        finally
        {
            Directory.Delete(folder, true);
        }
    }
}
