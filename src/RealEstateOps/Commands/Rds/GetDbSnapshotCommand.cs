using System.Management.Automation;
using RealEstateOps.Completers;
using RealEstateOps.Engine.Common;
using RealEstateOps.Engine.Rds;

namespace RealEstateOps.Commands.Rds;

/// <summary>Lists DB snapshots (by id with wildcards, by instance, by type, or the latest), streamed as the pipeline takes them (the next page only when it has taken the last one).</summary>
[Cmdlet(VerbsCommon.Get, "DbSnapshot")]
[Alias("Get-Snapshot")]
[OutputType(typeof(DbSnapshot))]
public sealed class GetDbSnapshotCommand : RdsCommandBase
{
    [Parameter(Position = 0, ValueFromPipelineByPropertyName = true)]
    [Alias("DBSnapshotIdentifier")]
    [SupportsWildcards]
    [ArgumentCompleter(typeof(DbSnapshotIdCompleter))]
    public string[]? SnapshotId { get; set; }

    [Parameter(ValueFromPipelineByPropertyName = true)]
    [Alias("DBInstanceIdentifier")]
    [ArgumentCompleter(typeof(DbInstanceIdCompleter))]
    public string? DbInstanceId { get; set; }

    [Parameter]
    [ValidateSet("manual", "automated")]
    public string? SnapshotType { get; set; }

    /// <summary>Only the most recent available snapshot.</summary>
    [Parameter] public SwitchParameter Latest { get; set; }

    /// <summary>Snapshots per DescribeDBSnapshots page (20 to 100).</summary>
    [Parameter]
    [ValidateRange(20, 100)]
    public int PageSize { get; set; } = 100;

    protected override void ProcessRecordCore()
    {
        if (DbInstanceId is not null) RdsIdentifiers.ValidateInstanceId(DbInstanceId);
        var ids = SnapshotId ?? Array.Empty<string>();
        foreach (var id in ids.Where(i => !Wildcard.HasWildcard(i))) RdsIdentifiers.ValidateSnapshotRef(id);
        var instance = DbInstanceId ?? (Latest ? InstanceId(null) : null);

        if (Latest)
        {
            var query = new SnapshotQuery { SnapshotIds = ids, DbInstanceId = instance, SnapshotType = SnapshotType, PageSize = PageSize };
            var latest = Run(ct => Rds.GetLatestSnapshotAsync(query, ct))
                ?? throw new OpsException("DbLatestSnapshotNotFound", OpsErrorCategory.ObjectNotFound,
                    $"No available snapshot{(instance is null ? "" : $" of '{instance}'")}{(SnapshotType is null ? "" : $" of type {SnapshotType}")}.", instance);
            WriteObject(latest);
            return;
        }

        // Each exact id on its own, so that one missing snapshot is one error and the others still come.
        foreach (var id in ids.Where(i => !Wildcard.HasWildcard(i)))
        {
            try
            {
                List(new SnapshotQuery { SnapshotIds = new[] { id }, DbInstanceId = instance, SnapshotType = SnapshotType, PageSize = PageSize });
            }
            catch (OpsException ex) when (!ex.IsFatal)
            {
                WriteOpsError(ex);
            }
        }
        var patterns = ids.Where(Wildcard.HasWildcard).ToArray();
        if (ids.Length == 0 || patterns.Length > 0)
            List(new SnapshotQuery { SnapshotIds = patterns, DbInstanceId = instance, SnapshotType = SnapshotType, PageSize = PageSize });
    }

    private void List(SnapshotQuery query) => Stream(ct => Rds.GetSnapshotsAsync(query, ct));
}
