using System.Diagnostics;
using System.Management.Automation;
using RealEstateOps.Engine.Kubernetes;
using RealEstateOps.Engine.Waiting;

namespace RealEstateOps.Commands.Kubernetes;

/// <summary>
/// What the cmdlets that start a rollout share (Restart-Deployment, Undo-Deployment): -Wait, and the wait itself.
/// With -Wait the change and its wait are one journal entry (<see cref="OpsCommandBase.ChangeThenWait{T}"/>), so its
/// duration covers the wait; a wait stopped with Ctrl+C says on the host that the rollout goes on.
/// </summary>
public abstract class RolloutCommandBase : KubeCommandBase
{
    /// <summary>Waits for the rollout to end (kubectl rollout status) before the command goes on.</summary>
    [Parameter] public SwitchParameter Wait { get; set; }

    /// <summary>
    /// Waits for the rollout with Write-Progress. Ctrl+C stops the wait at once: the rollout itself goes on in the
    /// cluster (nothing is undone), and the host is told so and how to check it.
    /// </summary>
    protected RolloutStatus WaitForRollout(KubeClient client, RolloutRequest request)
    {
        var watch = Stopwatch.StartNew();
        try
        {
            return Run(ct => new Rollouts(client).WaitAsync(request, WaitProgress(), ct));
        }
        catch (PipelineStoppedException)
        {
            var message = $"Stopped waiting for the rollout of deployment/{request.Name} in {request.Namespace} after {Waiter.Format(watch.Elapsed)}; " +
                          $"the rollout goes on in the cluster and nothing was undone. Check with Wait-Rollout {request.Name} -Namespace {request.Namespace}.";
            try { Host.UI.WriteWarningLine(message); } catch (Exception ex) when (ex is PipelineStoppedException or InvalidOperationException or NotImplementedException) { }
            throw;
        }
    }
}
