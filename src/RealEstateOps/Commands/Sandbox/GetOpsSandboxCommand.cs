using System.Management.Automation;
using RealEstateOps.Engine.Sandbox;

namespace RealEstateOps.Commands.Sandbox;

/// <summary>
/// Shows the running sandbox: address, process, whether it answers, its clock speed, and requests served per service.
/// When none was started it returns no object and says so on the information stream, shown as Write-Host's text is.
/// </summary>
[Cmdlet(VerbsCommon.Get, "OpsSandbox")]
[OutputType(typeof(SandboxInstance))]
public sealed class GetOpsSandboxCommand : SandboxCommandBase
{
    /// <summary>The tag that makes the console show an information record whatever $InformationPreference says, as Write-Host does.</summary>
    private const string HostTag = "PSHOST";

    protected override void ProcessRecordCore()
    {
        var instance = Run(ct => Launcher.GetRunningAsync(ct));
        if (instance is null)
        {
            WriteInformation($"No sandbox is running (none is recorded in {Paths.SandboxFolder}). Start one with Start-OpsSandbox.", new[] { HostTag });
            return;
        }
        WriteObject(instance);
    }
}
