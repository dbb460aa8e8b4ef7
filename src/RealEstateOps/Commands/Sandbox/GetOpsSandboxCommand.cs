using System.Management.Automation;
using RealEstateOps.Engine.Sandbox;

namespace RealEstateOps.Commands.Sandbox;

/// <summary>Shows the running sandbox: address, process, whether it answers, and requests served per service.</summary>
[Cmdlet(VerbsCommon.Get, "OpsSandbox")]
[OutputType(typeof(SandboxInstance))]
public sealed class GetOpsSandboxCommand : SandboxCommandBase
{
    protected override void ProcessRecordCore()
    {
        var instance = Run(ct => Launcher.GetRunningAsync(ct));
        if (instance is null)
        {
            WriteVerbose($"No sandbox recorded in {Paths.SandboxFolder}.");
            return;
        }
        WriteObject(instance);
    }
}
