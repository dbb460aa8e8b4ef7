using System.Management.Automation;
using RealEstateOps.Completers;
using RealEstateOps.Engine.ArgoCd;

namespace RealEstateOps.Commands.ArgoCd;

/// <summary>
/// An application's deployments, newest first: history id, revision, the git tag at it (the runbook's "previous stable
/// version"), when and by whom; the newest is the current one. Takes applications from Get-ArgoApplication.
/// </summary>
[Cmdlet(VerbsCommon.Get, "ArgoHistory")]
[OutputType(typeof(ArgoHistoryEntry))]
public sealed class GetArgoHistoryCommand : ArgoCommandBase
{
    [Parameter(Mandatory = true, Position = 0, ValueFromPipelineByPropertyName = true)]
    [ArgumentCompleter(typeof(ArgoApplicationNameCompleter))]
    public string Name { get; set; } = "";

    /// <summary>Only the newest n entries.</summary>
    [Parameter] [ValidateRange(1, int.MaxValue)] public int? Last { get; set; }

    protected override void ProcessRecordCore() => Stream(ct => Queries.HistoryAsync(Name, Last, Listener, ct));
}
