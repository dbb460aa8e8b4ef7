using System.Management.Automation;
using RealEstateOps.Common;
using RealEstateOps.Completers;
using RealEstateOps.Engine.Kubernetes;

namespace RealEstateOps.Commands.Kubernetes;

/// <summary>kubectl rollout restart deployment: sets the restartedAt annotation; -Wait waits for the rollout (kubectl rollout status).</summary>
[Cmdlet(VerbsLifecycle.Restart, "Deployment", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Medium)]
[OutputType(typeof(RolloutStatus))]
public sealed class RestartDeploymentCommand : KubeCommandBase
{
    [Parameter(Mandatory = true, Position = 0, ValueFromPipelineByPropertyName = true)]
    [ArgumentCompleter(typeof(DeploymentNameCompleter))]
    public string[] Name { get; set; } = Array.Empty<string>();

    [Parameter(ValueFromPipelineByPropertyName = true)] public string? Namespace { get; set; }
    [Parameter] public SwitchParameter Wait { get; set; }
    [Parameter] [Duration] public TimeSpan Timeout { get; set; } = TimeSpan.FromMinutes(10);
    [Parameter] public SwitchParameter Force { get; set; }

    protected override string? NamespaceParameter => Namespace;

    protected override void ProcessRecordCore()
    {
        var client = Client();
        var ns = Namespace ?? client.Namespace;
        foreach (var name in Name)
        {
            var request = new RolloutRequest(ns, name) { Timeout = Timeout };
            var status = Change($"deployment/{name} in {ns}", "Restart deployment (rollout restart)", ct => new Rollouts(client).RestartAsync(request, ct), Force);
            if (status is null) continue;
            if (Wait) status = Run(ct => new Rollouts(client).WaitAsync(request, WaitProgress(), ct));
            WriteObject(status);
        }
    }
}
