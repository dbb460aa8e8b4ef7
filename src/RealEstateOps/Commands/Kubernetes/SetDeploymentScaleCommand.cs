using System.Management.Automation;
using RealEstateOps.Common;
using RealEstateOps.Completers;
using RealEstateOps.Engine.Kubernetes;

namespace RealEstateOps.Commands.Kubernetes;

/// <summary>
/// kubectl scale deployment: sets the replica count through the scale subresource; -Wait waits until the deployment runs
/// that many ready replicas (kubectl rollout status). Scaling to 0 stops the service and needs -AllowZero.
/// </summary>
[Cmdlet(VerbsCommon.Set, "DeploymentScale", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Medium)]
[OutputType(typeof(DeploymentScale))]
public sealed class SetDeploymentScaleCommand : RolloutCommandBase
{
    [Parameter(Mandatory = true, Position = 0, ValueFromPipelineByPropertyName = true)]
    [ArgumentCompleter(typeof(DeploymentNameCompleter))]
    public string Name { get; set; } = "";

    [Parameter(Mandatory = true, Position = 1)] [ValidateRange(0, 10000)] public int Replicas { get; set; }
    [Parameter(ValueFromPipelineByPropertyName = true)] [ArgumentCompleter(typeof(NamespaceNameCompleter))] public string? Namespace { get; set; }
    /// <summary>Allows scaling to 0 replicas, which stops the service.</summary>
    [Parameter] public SwitchParameter AllowZero { get; set; }
    [Parameter] [Duration] public TimeSpan Timeout { get; set; } = TimeSpan.FromMinutes(10);
    [Parameter] public SwitchParameter Force { get; set; }

    protected override string? NamespaceParameter => Namespace;

    protected override void ProcessRecordCore()
    {
        var client = Client();
        var ns = Namespace ?? client.Namespace;
        var request = new DeploymentScaleRequest { Namespace = ns, Name = Name, Replicas = Replicas, AllowZero = AllowZero };
        var (target, action) = ($"deployment/{Name} in {ns}", $"Scale deployment to {Replicas} replicas");
        Func<CancellationToken, Task<DeploymentScale>> scale = ct => new DeploymentScaler(client).ScaleAsync(request, ct);
        var result = Wait
            ? ChangeThenWait(target, action, scale, s => Settled(client, s), Force)
            : Change(target, action, scale, Force);
        if (result is not null) WriteObject(result);
    }

    /// <summary>After the wait: the scale as it is now (its current replicas), with the count it had before the change.</summary>
    private DeploymentScale Settled(KubeClient client, DeploymentScale changed)
    {
        WaitForRollout(client, new RolloutRequest(changed.Namespace, changed.Name) { Timeout = Timeout });
        var now = Run(ct => new DeploymentScaler(client).GetAsync(changed.Namespace, changed.Name, ct));
        return new DeploymentScale
        {
            Namespace = now.Namespace, Name = now.Name, PreviousReplicas = changed.PreviousReplicas, Replicas = now.Replicas,
            CurrentReplicas = now.CurrentReplicas, Selector = now.Selector,
        };
    }
}
