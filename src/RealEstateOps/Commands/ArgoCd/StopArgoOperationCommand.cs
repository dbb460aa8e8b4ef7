using System.Management.Automation;
using RealEstateOps.Completers;
using RealEstateOps.Engine.ArgoCd;

namespace RealEstateOps.Commands.ArgoCd;

/// <summary>Terminates an application's running operation (argocd app terminate-op): Argo CD marks it Failed "terminated".</summary>
[Cmdlet(VerbsLifecycle.Stop, "ArgoOperation", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Medium)]
[OutputType(typeof(ArgoApplication))]
public sealed class StopArgoOperationCommand : ArgoCommandBase
{
    [Parameter(Mandatory = true, Position = 0, ValueFromPipelineByPropertyName = true)]
    [ArgumentCompleter(typeof(ArgoApplicationNameCompleter))]
    public string Name { get; set; } = "";

    [Parameter] public SwitchParameter Force { get; set; }

    protected override void ProcessRecordCore()
    {
        if (Change($"Argo CD application {Name}", "Terminate the running operation", ct => Operations.TerminateAsync(Name, Listener, ct), Force) is { } app)
            WriteObject(app);
    }
}
