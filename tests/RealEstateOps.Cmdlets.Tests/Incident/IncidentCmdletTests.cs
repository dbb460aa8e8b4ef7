using Npgsql;
using RealEstateOps.Cmdlets.Tests.Support;
using RealEstateOps.Engine.Incident;
using RealEstateOps.Engine.Journal;
using RealEstateOps.Sandbox.Incident;

namespace RealEstateOps.Cmdlets.Tests.Incident;

/// <summary>The incident cmdlets in a runspace against an incident store of their own on the test server (a context names it).</summary>
public class IncidentCmdletTests
{
    private static (PsSession Session, IncidentDatabase Db) Open()
    {
        var s = new PsSession();
        var name = "inc_" + Guid.NewGuid().ToString("N")[..12];
        var stateDir = Path.Combine(s.Home, "store");
        Directory.CreateDirectory(stateDir);
        var db = IncidentDatabase.EnsureAsync(TestPostgres.AdminConnectionString, name, name + "_ops", stateDir, CancellationToken.None).GetAwaiter().GetResult();
        var r = s.Run("Set-OpsContext -Name t -IncidentDbHost $h -IncidentDbPort $p -IncidentDbName $d -IncidentDbUser $u -IncidentDbPassFile $f -Use",
            new Dictionary<string, object?> { ["h"] = db.Host, ["p"] = db.Port, ["d"] = db.Database, ["u"] = db.User, ["f"] = db.PassFile });
        Assert.Empty(r.Errors);
        return (s, db);
    }

    private static long Count(IncidentDatabase db, string table)
    {
        var admin = TestPostgres.AdminBuilder;
        admin.Database = db.Database;
        using var conn = new NpgsqlConnection(admin.ConnectionString);
        conn.Open();
        using var cmd = new NpgsqlCommand($"select case when to_regclass('ops.{table}') is null then -1 else 0 end", conn);
        if (Convert.ToInt64(cmd.ExecuteScalar()) < 0) return 0;
        using var count = new NpgsqlCommand($"select count(*) from ops.{table}", conn);
        return Convert.ToInt64(count.ExecuteScalar());
    }

    [Fact]
    public void WhatIf_writes_nothing_to_the_store_and_journals_WhatIf()
    {
        var (s, db) = Open();
        using (s)
        {
            var created = s.Run("New-Incident -Severity SEV3 -Title 'Slow search' -Component api-service -NoUse");
            var incident = Assert.Single(created.Objects<Engine.Incident.Incident>());
            var notesBefore = Count(db, "incident_notes");

            var r = s.Run("""
                New-Incident -Severity SEV2 -Title 'Would open' -Component web -WhatIf
                Add-IncidentNote -Id $id -Text 'would note' -WhatIf
                Set-Incident -Id $id -Status Identified -Commander alice -WhatIf
                Close-Incident -Id $id -Resolution 'would close' -WhatIf
                """, new Dictionary<string, object?> { ["id"] = incident.Id });
            Assert.Empty(r.Errors);
            Assert.Empty(r.Output);
            Assert.Equal(1, Count(db, "incidents"));
            Assert.Equal(notesBefore, Count(db, "incident_notes"));
            var after = Assert.Single(s.Run("Get-Incident -Id $id", new Dictionary<string, object?> { ["id"] = incident.Id }).Objects<Engine.Incident.Incident>());
            Assert.Equal(IncidentStatus.Investigating, after.Status);
            Assert.Null(after.Commander);
            Assert.False(File.Exists(Path.Combine(s.Home, "state", CurrentIncident.FileName)));
            var journal = new OpsJournal(s.JournalFile).Read().Where(e => e.Outcome == JournalOutcome.WhatIf).Select(e => e.Command).ToList();
            Assert.Equal(new[] { "New-Incident", "Add-IncidentNote", "Set-Incident", "Close-Incident" }, journal);
        }
    }

    [Fact]
    public void Journal_entries_carry_the_current_incident_until_it_is_closed()
    {
        var (s, _) = Open();
        using (s)
        {
            var incident = Assert.Single(s.Run("New-Incident -Severity SEV4 -Title 'Typo' -Component web").Objects<Engine.Incident.Incident>());
            var r = s.Run("Add-IncidentNote -Text 'found it' -Kind Finding; Close-Incident -Resolution 'fixed' -Confirm:$false; Set-OpsContext -Name other -Description x");
            Assert.Empty(r.Errors);
            var entries = new OpsJournal(s.JournalFile).Read().ToList();
            Assert.Equal(incident.Id, entries.Single(e => e.Command == "New-Incident").IncidentId);
            Assert.Equal(incident.Id, entries.Single(e => e.Command == "Add-IncidentNote").IncidentId);
            Assert.Null(entries.Single(e => e.Command == "Set-OpsContext" && e.Target == "other").IncidentId);
            Assert.Single(new OpsJournal(s.JournalFile).Read(new JournalQuery { IncidentId = incident.Id }), e => e.Command == "Add-IncidentNote");
        }
    }

    [Fact]
    public void Without_an_id_or_a_current_incident_the_error_says_how_to_name_one()
    {
        var (s, _) = Open();
        using (s)
        {
            var r = s.Run("Add-IncidentNote -Text 'x'");
            Assert.Equal("IncidentIdNotGiven", Assert.Single(r.ErrorIds.Concat(r.Terminating is System.Management.Automation.IContainsErrorRecord c ? new[] { c.ErrorRecord.FullyQualifiedErrorId.Split(',')[0] } : Array.Empty<string>())));
        }
    }

    [Fact]
    public void A_context_without_a_store_is_IncidentStoreNotConfigured()
    {
        using var s = new PsSession();
        var r = s.Run("Get-Incident");
        var id = r.Terminating is System.Management.Automation.IContainsErrorRecord c ? c.ErrorRecord.FullyQualifiedErrorId : r.Errors.Single().FullyQualifiedErrorId;
        Assert.StartsWith("IncidentStoreNotConfigured,", id);
    }
}

public class IncidentCompleterTests
{
    [Fact]
    public void Completes_the_ids_of_open_incidents_only()
    {
        using var s = new PsSession();
        var name = "inc_" + Guid.NewGuid().ToString("N")[..12];
        var stateDir = Path.Combine(s.Home, "store");
        Directory.CreateDirectory(stateDir);
        var db = IncidentDatabase.EnsureAsync(TestPostgres.AdminConnectionString, name, name + "_ops", stateDir, CancellationToken.None).GetAwaiter().GetResult();
        var r = s.Run("""
            Set-OpsContext -Name t -IncidentDbHost $h -IncidentDbPort $p -IncidentDbName $d -IncidentDbUser $u -IncidentDbPassFile $f -Use
            $open = New-Incident -Severity SEV4 -Title open -Component web -NoUse
            $closed = New-Incident -Severity SEV4 -Title closed -Component web -NoUse
            Close-Incident -Id $closed.Id -Resolution done -Confirm:$false | Out-Null
            $open.Id; $closed.Id
            (TabExpansion2 -inputScript 'Get-Incident -Id INC-' -cursorColumn 21).CompletionMatches.CompletionText
            """, new Dictionary<string, object?> { ["h"] = db.Host, ["p"] = db.Port, ["d"] = db.Database, ["u"] = db.User, ["f"] = db.PassFile });
        Assert.Empty(r.Errors);
        var lines = r.Output.Select(o => o.ToString()).ToList();
        Assert.Equal(new[] { lines[0] }, lines.Skip(2));
    }
}
