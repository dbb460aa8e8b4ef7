using System.Management.Automation;
using RealEstateOps.Common;
using RealEstateOps.Completers;
using RealEstateOps.Engine.Kubernetes;

namespace RealEstateOps.Commands.Kubernetes;

/// <summary>kubectl rollout undo: back to the previous revision (or -ToRevision); skipped when the template already matches.</summary>
[Cmdlet(VerbsCommon.Undo, "Deployment", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.High)]
[OutputType(typeof(RollbackResult), typeof(RolloutStatus))]
public sealed class UndoDeploymentCommand : RolloutCommandBase
{
    [Parameter(Mandatory = true, Position = 0, ValueFromPipelineByPropertyName = true)]
    [ArgumentCompleter(typeof(DeploymentNameCompleter))]
    public string Name { get; set; } = "";

    [Parameter(ValueFromPipelineByPropertyName = true)] [ArgumentCompleter(typeof(NamespaceNameCompleter))] public string? Namespace { get; set; }
    /// <summary>The revision to go back to (Get-RolloutHistory); by default the previous one.</summary>
    [Parameter] [ValidateRange(1, int.MaxValue)] public int ToRevision { get; set; }
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
        var target = $"deployment/{Name} in {ns}";
        Func<CancellationToken, Task<RollbackResult>> undo = ct => new Rollouts(client).UndoAsync(request, Listener, ct);
        if (!Wait)
        {
            if (Change(target, action, undo, Force) is { } result) WriteObject(result);
            return;
        }
        ChangeThenWait(target, action, undo, result =>
        {
            WriteObject(result);
            if (!result.Skipped) WriteObject(WaitForRollout(client, request));
            return result;
        }, Force);
    }
}
