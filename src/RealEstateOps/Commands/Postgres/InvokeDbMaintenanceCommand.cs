using System.Management.Automation;
using RealEstateOps.Commands.Maintenance;
using RealEstateOps.Common;
using RealEstateOps.Completers;
using RealEstateOps.Engine.Common;
using RealEstateOps.Engine.Postgres;

namespace RealEstateOps.Commands.Postgres;

/// <summary>
/// VACUUM (ANALYZE) of tables (named, -AllTables, or by default those with at least -DeadTupleThreshold dead tuples) and REINDEX INDEX
/// CONCURRENTLY of indexes (named, or with -ReindexBloated those the health estimate finds bloated), in the Database maintenance
/// window. Each statement is its own change: one ShouldProcess (-WhatIf lists the statements and runs none), one journal entry, and a
/// failure of one is a non-terminating error while the others go on. Findings of Get-DbHealth -Findings pipe in.
/// </summary>
[Cmdlet(VerbsLifecycle.Invoke, "DbMaintenance", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Medium)]
[OutputType(typeof(DbMaintenanceResult))]
[MaintenanceWindow("Database")]
public sealed class InvokeDbMaintenanceCommand : PgCommandBase
{
    /// <summary>Tables to VACUUM (ANALYZE): schema.table or table.</summary>
    [Parameter(Position = 0)]
    [ArgumentCompleter(typeof(DbTableCompleter))]
    public string[]? Table { get; set; }

    /// <summary>Indexes to REINDEX CONCURRENTLY: schema.index or index.</summary>
    [Parameter]
    [ArgumentCompleter(typeof(DbIndexCompleter))]
    public string[]? Index { get; set; }

    /// <summary>Findings of Get-DbHealth -Findings: DeadTuples and TableBloat vacuum their table, IndexBloat reindexes its index; others are passed over.</summary>
    [Parameter(ValueFromPipeline = true)]
    public DbHealthFinding[]? Finding { get; set; }

    [Parameter] public SwitchParameter AllTables { get; set; }

    /// <summary>With nothing named: the tables with at least this many dead tuples.</summary>
    [Parameter]
    [ValidateRange(0, long.MaxValue)]
    public long DeadTupleThreshold { get; set; } = 1000;

    [Parameter] public SwitchParameter ReindexBloated { get; set; }

    [Parameter] [ValidateRange(0, 100)] public double BloatPercent { get; set; } = 30;
    [Parameter] [ValidateRange(0, long.MaxValue)] public long BloatMinimumBytes { get; set; } = 8L * 1024 * 1024;

    [Parameter]
    [Duration]
    public TimeSpan StatementTimeout { get; set; } = TimeSpan.FromHours(1);

    [Parameter]
    [Duration]
    public TimeSpan LockTimeout { get; set; } = TimeSpan.FromSeconds(30);

    [Parameter] public SwitchParameter Force { get; set; }

    protected override void ProcessRecordCore()
    {
        var tables = new List<string>(Table ?? Array.Empty<string>());
        var indexes = new List<string>(Index ?? Array.Empty<string>());
        if (Finding is { } findings)
        {
            foreach (var f in findings)
            {
                if (f.Check is DbHealthCheck.DeadTuples or DbHealthCheck.TableBloat && f.Table is { } t) tables.Add(t);
                else if (f.Check == DbHealthCheck.IndexBloat && f.Index is { } i) indexes.Add(i);
                else WriteVerbose($"Passed over: a {f.Check} finding ({f.Target}) is not one maintenance acts on.");
            }
            if (tables.Count == 0 && indexes.Count == 0) return;
        }
        var request = new DbMaintenanceRequest
        {
            Connection = ResolveConnection(), Tables = tables, Indexes = indexes, AllTables = AllTables, DeadTupleThreshold = DeadTupleThreshold,
            ReindexBloated = ReindexBloated, BloatPercent = BloatPercent, BloatMinimumBytes = BloatMinimumBytes,
            StatementTimeout = StatementTimeout, LockTimeout = LockTimeout,
        };
        var maintenance = new PgMaintenance();
        var plan = Run(ct => maintenance.PlanAsync(request, Listener, ct));
        foreach (var statement in plan)
        {
            try
            {
                var result = Change(statement.Target, $"{statement.Sql} ({statement.Reason})", ct => maintenance.RunAsync(statement, request, Listener, ct), Force);
                if (result is not null) WriteObject(result);
            }
            catch (OpsException ex) when (!ex.IsFatal)
            {
                WriteOpsError(ex);
            }
        }
    }
}
