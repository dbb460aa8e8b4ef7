using System.Management.Automation;
using RealEstateOps.Common;
using RealEstateOps.Completers;
using RealEstateOps.Engine.Context;

namespace RealEstateOps.Commands.Context;

/// <summary>Makes a context the active one for this session (REALESTATEOPS_CONTEXT does the same for scheduled scripts).</summary>
[Cmdlet(VerbsOther.Use, "OpsContext", DefaultParameterSetName = "Name", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Low)]
[OutputType(typeof(OpsContext))]
public sealed class UseOpsContextCommand : OpsCommandBase
{
    [Parameter(Mandatory = true, Position = 0, ParameterSetName = "Name", ValueFromPipelineByPropertyName = true)]
    [ArgumentCompleter(typeof(ContextNameCompleter))]
    public string Name { get; set; } = "";

    /// <summary>Forgets this session's choice: REALESTATEOPS_CONTEXT or the built-in default applies again.</summary>
    [Parameter(Mandatory = true, ParameterSetName = "Reset")]
    public SwitchParameter Reset { get; set; }

    [Parameter] public SwitchParameter PassThru { get; set; }

    protected override void ProcessRecordCore()
    {
        var store = new ContextStore(Paths);
        string? choice = null;
        if (!Reset)
        {
            store.LoadStored(Name); // unknown or unreadable: an error, and the session keeps its context
            choice = Name;
        }
        var target = choice ?? "(environment or built-in default)";
        if (!Change(target, "Use context for this session", () => SessionContextChoice = choice)) return;
        var active = ContextSelector.ActiveName(SessionContextChoice);
        WriteVerbose($"Active context is now '{active.Value}' (from {active.Source}).");
        if (PassThru) WriteObject(ContextView.Of(store, active.Value, SessionContextChoice));
    }
}
