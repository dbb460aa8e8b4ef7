using System.Management.Automation;
using RealEstateOps.Common;
using RealEstateOps.Engine.Postgres;

namespace RealEstateOps.Commands.Postgres;

/// <summary>
/// The database's health in one report (DbHealthReport): connections against max_connections, cache hit ratio, transaction ID
/// wraparound age, dead tuples and estimated bloat per table, unused and duplicate indexes, replication lag, long-running transactions
/// and the platform's vector search table, each check a verdict (Ok, Warning, Critical, or Skipped with the reason) against thresholds
/// given here. -Findings emits the findings instead, to filter and pipe (into Invoke-DbMaintenance). Read-only; works as the
/// application's login and says what it could not see without pg_monitor.
/// </summary>
[Cmdlet(VerbsCommon.Get, "DbHealth")]
[OutputType(typeof(DbHealthReport))]
[OutputType(typeof(DbHealthFinding))]
public sealed class GetDbHealthCommand : PgCommandBase
{
    /// <summary>Emit the findings (one per check and per object that needs attention) rather than the report.</summary>
    [Parameter] public SwitchParameter Findings { get; set; }

    [Parameter] [ValidateRange(1, 100)] public double ConnectionsWarningPercent { get; set; } = 80;
    [Parameter] [ValidateRange(1, 100)] public double ConnectionsCriticalPercent { get; set; } = 95;
    [Parameter] [ValidateRange(0, 100)] public double CacheHitWarningPercent { get; set; } = 95;
    [Parameter] [ValidateRange(0, 100)] public double CacheHitCriticalPercent { get; set; } = 90;
    [Parameter] [ValidateRange(1, 100)] public double WraparoundWarningPercent { get; set; } = 50;
    [Parameter] [ValidateRange(1, 100)] public double WraparoundCriticalPercent { get; set; } = 75;
    [Parameter] [ValidateRange(0, 100)] public double DeadTupleWarningPercent { get; set; } = 10;
    [Parameter] [ValidateRange(0, 100)] public double DeadTupleCriticalPercent { get; set; } = 30;
    [Parameter] [ValidateRange(0, long.MaxValue)] public long DeadTupleMinimum { get; set; } = 1000;
    [Parameter] [ValidateRange(0, 100)] public double BloatWarningPercent { get; set; } = 30;
    [Parameter] [ValidateRange(0, 100)] public double BloatCriticalPercent { get; set; } = 60;
    [Parameter] [ValidateRange(0, long.MaxValue)] public long BloatMinimumBytes { get; set; } = 8L * 1024 * 1024;
    [Parameter] [Duration] public TimeSpan ReplicationLagWarning { get; set; } = TimeSpan.FromSeconds(30);
    [Parameter] [Duration] public TimeSpan ReplicationLagCritical { get; set; } = TimeSpan.FromMinutes(5);
    [Parameter] [Duration] public TimeSpan LongTransactionThreshold { get; set; } = TimeSpan.FromMinutes(5);
    [Parameter] [ValidateRange(1, 100)] public int RecallSamples { get; set; } = 5;
    [Parameter] [ValidateRange(1, 1000)] public int RecallK { get; set; } = 10;

    protected override void ProcessRecordCore()
    {
        var request = new DbHealthRequest
        {
            Connection = ResolveConnection(),
            ConnectionsWarningPercent = ConnectionsWarningPercent, ConnectionsCriticalPercent = ConnectionsCriticalPercent,
            CacheHitWarningPercent = CacheHitWarningPercent, CacheHitCriticalPercent = CacheHitCriticalPercent,
            WraparoundWarningPercent = WraparoundWarningPercent, WraparoundCriticalPercent = WraparoundCriticalPercent,
            DeadTupleWarningPercent = DeadTupleWarningPercent, DeadTupleCriticalPercent = DeadTupleCriticalPercent, DeadTupleMinimum = DeadTupleMinimum,
            BloatWarningPercent = BloatWarningPercent, BloatCriticalPercent = BloatCriticalPercent, BloatMinimumBytes = BloatMinimumBytes,
            ReplicationLagWarning = ReplicationLagWarning, ReplicationLagCritical = ReplicationLagCritical,
            LongTransactionThreshold = LongTransactionThreshold, RecallSamples = RecallSamples, RecallK = RecallK,
        };
        var report = Run(ct => new PgHealthReader().ReadAsync(request, Listener, ct));
        foreach (var line in report.Restricted) WriteVerbose(line);
        if (Findings) WriteObject(report.Findings, enumerateCollection: true);
        else WriteObject(report);
    }
}
