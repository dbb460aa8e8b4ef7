using RealEstateOps.Cmdlets.Tests.Support;
using RealEstateOps.Engine.Journal;
using RealEstateOps.Engine.Postgres;
using RealEstateOps.Engine.Rds;

namespace RealEstateOps.Cmdlets.Tests.Rds;

/// <summary>
/// Get-/Invoke-DbPendingMaintenance and the database health cmdlets in a hosted runspace against a sandbox with more than one page of
/// instances (each has a pending system-update): the list pages with Marker only as the pipeline asks, -WhatIf applies nothing, and an
/// immediate apply moves the instance on the sandbox clock.
/// </summary>
public sealed class DbPendingMaintenanceCmdletTests : IDisposable
{
    private readonly OpsSandboxSession _sandbox = new(speed: 300);
    private PsSession _s => _sandbox.Shell;

    public DbPendingMaintenanceCmdletTests()
    {
        _sandbox.Post("_sandbox/rds/instances", "{\"count\":30,\"prefix\":\"pending\"}");
        _sandbox.ResetRequests();
    }

    public void Dispose() => _sandbox.Dispose();

    private long Requests(string action) => _sandbox.Requests(action);

    [Fact]
    public void Get_DbPendingMaintenance_with_Select_First_1_makes_exactly_one_list_request_and_all_pages_are_read_when_asked()
    {
        var first = _s.Run("Get-DbPendingMaintenance -PageSize 20 | Select-Object -First 1");
        Assert.Empty(first.Errors);
        Assert.Single(first.Objects<DbPendingMaintenanceAction>());
        Assert.Equal(1, Requests("DescribePendingMaintenanceActions"));

        var all = _s.Run("Get-DbPendingMaintenance -PageSize 20").Objects<DbPendingMaintenanceAction>().ToList();
        Assert.Equal(1 + 2, Requests("DescribePendingMaintenanceActions")); // 31 instances: two pages
        Assert.Equal(31, all.Count(a => a.Action == "system-update"));
        var upgrade = Assert.Single(all, a => a.Action == "db-upgrade");
        Assert.Equal("real-estate-ai-db", upgrade.DbInstanceId);
        Assert.EndsWith(":db:real-estate-ai-db", upgrade.ResourceIdentifier);
        Assert.NotNull(upgrade.AutoAppliedAfterDate);
        Assert.NotNull(upgrade.ForcedApplyDate);
        Assert.Contains("minor version upgrade", upgrade.Description);
    }

    [Fact]
    public void Invoke_DbPendingMaintenance_with_WhatIf_makes_no_apply_request_and_is_journaled_as_WhatIf()
    {
        var r = _s.Run("Get-DbPendingMaintenance real-estate-ai-db | Invoke-DbPendingMaintenance -OptInType immediate -WhatIf");
        Assert.Empty(r.Errors);
        Assert.Equal(0, Requests("ApplyPendingMaintenanceAction"));
        var journal = _s.Run("Get-OpsJournal -Within 1h").Objects<JournalEntry>().ToList();
        Assert.Equal(2, journal.Count(e => e.Command == "Invoke-DbPendingMaintenance" && e.Outcome == JournalOutcome.WhatIf));
    }

    [Fact]
    public void An_action_that_is_not_pending_is_refused_before_any_apply()
    {
        var r = _s.Run("Invoke-DbPendingMaintenance hardware-maintenance -OptInType immediate -Confirm:$false");
        Assert.Equal("DbPendingMaintenanceNotFound", Assert.Single(r.ErrorIds));
        Assert.Equal(0, Requests("ApplyPendingMaintenanceAction"));
    }

    [Fact]
    public void Next_maintenance_sets_the_opt_in_and_its_date_and_undo_clears_it()
    {
        var next = Assert.Single(_s.Run("Invoke-DbPendingMaintenance db-upgrade -OptInType next-maintenance -Confirm:$false").Objects<DbPendingMaintenanceAction>());
        Assert.Equal("next-maintenance", next.OptInStatus);
        Assert.Equal(DayOfWeek.Sunday, next.CurrentApplyDate!.Value.UtcDateTime.DayOfWeek);
        Assert.Equal(1, Requests("ApplyPendingMaintenanceAction"));
        var undone = Assert.Single(_s.Run("Invoke-DbPendingMaintenance db-upgrade -OptInType undo-opt-in -Confirm:$false").Objects<DbPendingMaintenanceAction>());
        Assert.Null(undone.OptInStatus);
    }

    [Fact]
    public void Invoke_DbMaintenance_with_WhatIf_lists_each_statement_and_runs_none()
    {
        var r = _s.Run("Invoke-DbMaintenance -AllTables -WhatIf");
        Assert.Empty(r.Errors);
        Assert.Empty(r.Objects<DbMaintenanceResult>());
        var journal = _s.Run("Get-OpsJournal -Within 1h").Objects<JournalEntry>().Where(e => e.Command == "Invoke-DbMaintenance").ToList();
        Assert.Contains(journal, e => e.Outcome == JournalOutcome.WhatIf && e.Action?.StartsWith("VACUUM (ANALYZE) \"public\".\"listings\"", StringComparison.Ordinal) == true);
        Assert.All(journal, e => Assert.Equal(JournalOutcome.WhatIf, e.Outcome));
        Assert.True(journal.Count >= 5, "one entry per table");
    }

    [Fact]
    public void Get_DbHealth_reports_on_the_sandbox_as_the_application_user()
    {
        var report = Assert.Single(_s.Run("Get-DbHealth").Objects<DbHealthReport>());
        Assert.Equal("real_estate_ai", report.Database);
        Assert.NotNull(report.Vector);
        Assert.True(report.Vector!.TableExists);
        Assert.Contains(report.Findings, f => f.Check == DbHealthCheck.VectorRecall);
        var findings = _s.Run("Get-DbHealth -Findings").Objects<DbHealthFinding>().ToList();
        Assert.Contains(findings, f => f.Check == DbHealthCheck.Connections);
    }

    [Fact]
    public void Completers_offer_live_table_index_and_pending_action_names()
    {
        string[] Complete(string line) => _s.Run($"(TabExpansion2 '{line}' {line.Length}).CompletionMatches.CompletionText").Output.Where(o => o is not null).Select(o => o.ToString()!).ToArray();
        var tables = Complete("Invoke-DbMaintenance -Table prop");
        Assert.Contains("properties", tables);
        Assert.Contains("property_embeddings", tables);
        Assert.DoesNotContain("listings", tables);
        Assert.Contains("properties_pkey", Complete("Invoke-DbMaintenance -Index properties_"));
        Assert.Equal(new[] { "db-upgrade" }, Complete("Invoke-DbPendingMaintenance -DbInstanceId real-estate-ai-db -Action db-"));
    }
}
