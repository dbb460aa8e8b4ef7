using System.Management.Automation;
using RealEstateOps.Completers;
using RealEstateOps.Engine.Kubernetes;

namespace RealEstateOps.Commands.Kubernetes;

/// <summary>kubectl rollout history: a deployment's revisions (its replica sets), oldest first.</summary>
[Cmdlet(VerbsCommon.Get, "RolloutHistory")]
[OutputType(typeof(RolloutRevision))]
public sealed class GetRolloutHistoryCommand : KubeCommandBase
{
    [Parameter(Mandatory = true, Position = 0, ValueFromPipelineByPropertyName = true)]
    [ArgumentCompleter(typeof(DeploymentNameCompleter))]
    public string[] Name { get; set; } = Array.Empty<string>();

    [Parameter(ValueFromPipelineByPropertyName = true)] [ArgumentCompleter(typeof(NamespaceNameCompleter))] public string? Namespace { get; set; }

    protected override string? NamespaceParameter => Namespace;

    protected override void ProcessRecordCore()
    {
        var client = Client();
        var ns = Namespace ?? client.Namespace;
        foreach (var name in Name)
        {
            var request = new RolloutRequest(ns, name);
            try { foreach (var revision in Run(ct => new Rollouts(client).HistoryAsync(request, ct))) WriteObject(revision); }
            catch (Engine.Common.OpsException ex) when (!ex.IsFatal) { WriteOpsError(ex); }
        }
    }
}
