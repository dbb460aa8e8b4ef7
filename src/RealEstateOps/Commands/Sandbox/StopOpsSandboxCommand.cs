using System.Management.Automation;
using RealEstateOps.Engine.Common;
using RealEstateOps.Engine.Sandbox;

namespace RealEstateOps.Commands.Sandbox;

/// <summary>Stops the sandbox started by Start-OpsSandbox, with its PostgreSQL server.</summary>
[Cmdlet(VerbsLifecycle.Stop, "OpsSandbox", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Medium)]
[OutputType(typeof(SandboxInstance))]
public sealed class StopOpsSandboxCommand : SandboxCommandBase
{
    [Parameter] public SwitchParameter PassThru { get; set; }

    protected override void ProcessRecordCore()
    {
        var running = Run(ct => Launcher.GetRunningAsync(ct))
            ?? throw new OpsException("SandboxNotRunning", OpsErrorCategory.ObjectNotFound, "No sandbox is running (none was started, or it was stopped already).");
        var stopped = Change(running.Url, "Stop sandbox", ct => Launcher.StopAsync(WaitProgress(), ct));
        if (stopped is not null && PassThru) WriteObject(stopped);
    }
}
