using System.Management.Automation;
using RealEstateOps.Common;
using RealEstateOps.Completers;
using RealEstateOps.Engine.ArgoCd;

namespace RealEstateOps.Commands.ArgoCd;

/// <summary>
/// Waits as `argocd app wait` does: Synced, Healthy and no operation in progress, with Write-Progress; fails fast with
/// ArgoApplicationDegraded (health Degraded after the operation ended) or ArgoOperationFailed; ArgoWaitTimeout.
/// </summary>
[Cmdlet(VerbsLifecycle.Wait, "ArgoApplication")]
[OutputType(typeof(ArgoApplication))]
public sealed class WaitArgoApplicationCommand : ArgoCommandBase
{
    [Parameter(Mandatory = true, Position = 0, ValueFromPipelineByPropertyName = true)]
    [ArgumentCompleter(typeof(ArgoApplicationNameCompleter))]
    public string Name { get; set; } = "";

    [Parameter] [Duration] public TimeSpan Timeout { get; set; } = TimeSpan.FromMinutes(10);

    protected override void ProcessRecordCore() => WriteObject(WaitFor(new ArgoWaitRequest { Name = Name, Timeout = Timeout }));
}
