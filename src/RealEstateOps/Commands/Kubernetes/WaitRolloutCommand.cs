using System.Management.Automation;
using RealEstateOps.Common;
using RealEstateOps.Completers;
using RealEstateOps.Engine.Kubernetes;

namespace RealEstateOps.Commands.Kubernetes;

/// <summary>kubectl rollout status: waits until a deployment's rollout is complete; a passed progress deadline fails.</summary>
[Cmdlet(VerbsLifecycle.Wait, "Rollout")]
[OutputType(typeof(RolloutStatus))]
public sealed class WaitRolloutCommand : KubeCommandBase
{
    [Parameter(Mandatory = true, Position = 0, ValueFromPipelineByPropertyName = true)]
    [ArgumentCompleter(typeof(DeploymentNameCompleter))]
    public string[] Name { get; set; } = Array.Empty<string>();

    [Parameter(ValueFromPipelineByPropertyName = true)] [ArgumentCompleter(typeof(NamespaceNameCompleter))] public string? Namespace { get; set; }
    [Parameter] [Duration] public TimeSpan Timeout { get; set; } = TimeSpan.FromMinutes(10);

    protected override string? NamespaceParameter => Namespace;

    protected override void ProcessRecordCore()
    {
        var client = Client();
        var ns = Namespace ?? client.Namespace;
        foreach (var name in Name)
        {
            var request = new RolloutRequest(ns, name) { Timeout = Timeout };
            try { WriteObject(Run(ct => new Rollouts(client).WaitAsync(request, WaitProgress(), ct))); }
            catch (Engine.Common.OpsException ex) when (!ex.IsFatal) { WriteOpsError(ex); }
        }
    }
}
