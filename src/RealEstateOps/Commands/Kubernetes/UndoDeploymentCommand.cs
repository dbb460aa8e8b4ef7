using System.Management.Automation;
using RealEstateOps.Common;
using RealEstateOps.Completers;
using RealEstateOps.Engine.Kubernetes;

namespace RealEstateOps.Commands.Kubernetes;

/// <summary>kubectl rollout undo: back to the previous revision (or -ToRevision); skipped when the template already matches.</summary>
[Cmdlet(VerbsCommon.Undo, "Deployment", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.High)]
[OutputType(typeof(RollbackResult), typeof(RolloutStatus))]
public sealed class UndoDeploymentCommand : KubeCommandBase
{
    [Parameter(Mandatory = true, Position = 0, ValueFromPipelineByPropertyName = true)]
    [ArgumentCompleter(typeof(DeploymentNameCompleter))]
    public string Name { get; set; } = "";

    [Parameter(ValueFromPipelineByPropertyName = true)] public string? Namespace { get; set; }
    /// <summary>The revision to go back to (Get-RolloutHistory); by default the previous one.</summary>
    [Parameter] [ValidateRange(1, int.MaxValue)] public int ToRevision { get; set; }
    [Parameter] public SwitchParameter Wait { get; set; }
    [Parameter] [Duration] public TimeSpan Timeout { get; set; } = TimeSpan.FromMinutes(10);
    [Parameter] public SwitchParameter Force { get; set; }

    protected override string? NamespaceParameter => Namespace;

    protected override void ProcessRecordCore()
    {
        var client = Client();
        var ns = Namespace ?? client.Namespace;
        // Bad input (paused, no history, unknown revision) is reported before any prompt, and under -WhatIf too.
        var request = new RolloutRequest(ns, Name) { ToRevision = ToRevision, Timeout = Timeout };
        var plan = Run(ct => new Rollouts(client).PlanUndoAsync(request, ct));
        var action = plan.Matches ? $"Roll back to revision {plan.Revision} (skipped: the template already matches)" : $"Roll back to revision {plan.Revision}";
        var result = Change($"deployment/{Name} in {ns}", action, ct => new Rollouts(client).UndoAsync(request, Listener, ct), Force);
        if (result is null) return;
        WriteObject(result);
        if (Wait && !result.Skipped) WriteObject(Run(ct => new Rollouts(client).WaitAsync(request, WaitProgress(), ct)));
    }
}
