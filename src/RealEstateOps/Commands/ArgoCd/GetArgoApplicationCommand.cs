using System.Management.Automation;
using RealEstateOps.Completers;
using RealEstateOps.Engine.ArgoCd;
using RealEstateOps.Engine.Common;

namespace RealEstateOps.Commands.ArgoCd;

/// <summary>
/// Argo CD applications: sync status, health, revision, the operation's phase, and the out-of-sync and unhealthy
/// resources. All of them (one list request, streamed), those whose names match a wildcard, or one by name
/// (ArgoApplicationNotFound: "not found or not permitted").
/// </summary>
[Cmdlet(VerbsCommon.Get, "ArgoApplication")]
[OutputType(typeof(ArgoApplication))]
public sealed class GetArgoApplicationCommand : ArgoCommandBase
{
    [Parameter(Position = 0, ValueFromPipelineByPropertyName = true)]
    [SupportsWildcards]
    [ArgumentCompleter(typeof(ArgoApplicationNameCompleter))]
    public string[]? Name { get; set; }

    /// <summary>Only applications of this Argo CD project.</summary>
    [Parameter] public string? Project { get; set; }

    /// <summary>Ask Argo CD to compare with git again before answering (?refresh=normal); named applications only.</summary>
    [Parameter] public SwitchParameter Refresh { get; set; }

    protected override void ProcessRecordCore()
    {
        if (Name is { Length: > 0 } names && names.All(n => !Wildcard.HasWildcard(n)))
        {
            foreach (var name in names)
            {
                try { WriteObject(Run(ct => Queries.GetAsync(name, Project, ct, Refresh))); }
                catch (OpsException ex) when (!ex.IsFatal) { WriteOpsError(ex); }
            }
            return;
        }
        Stream(ct => Queries.ListAsync(new ArgoApplicationQuery { Names = Name, Project = Project }, ct));
    }
}
