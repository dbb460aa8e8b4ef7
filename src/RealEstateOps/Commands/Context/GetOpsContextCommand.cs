using System.Management.Automation;
using RealEstateOps.Common;
using RealEstateOps.Completers;
using RealEstateOps.Engine.Common;
using RealEstateOps.Engine.Context;

namespace RealEstateOps.Commands.Context;

/// <summary>Shows the active context, named contexts, or all of them, with each value's source.</summary>
[Cmdlet(VerbsCommon.Get, "OpsContext", DefaultParameterSetName = "Active")]
[OutputType(typeof(OpsContext))]
public sealed class GetOpsContextCommand : OpsCommandBase
{
    [Parameter(Mandatory = true, Position = 0, ParameterSetName = "Name")]
    [SupportsWildcards]
    [ArgumentCompleter(typeof(ContextNameCompleter))]
    public string[] Name { get; set; } = Array.Empty<string>();

    [Parameter(Mandatory = true, ParameterSetName = "List")]
    public SwitchParameter ListAvailable { get; set; }

    protected override void ProcessRecordCore()
    {
        var store = new ContextStore(Paths);
        var chosen = SessionContextChoice;
        if (ParameterSetName == "Active")
        {
            var active = ContextSelector.ActiveName(chosen);
            WriteVerbose($"Active context '{active.Value}' (from {active.Source}).");
            Emit(store, active.Value, chosen, fatal: true);
            return;
        }

        var names = store.ListNames();
        IEnumerable<string> wanted = ListAvailable ? names : Name;
        foreach (var pattern in wanted)
        {
            if (Wildcard.HasWildcard(pattern))
            {
                foreach (var n in names.Where(n => Wildcard.IsMatch(n, pattern))) Emit(store, n, chosen, fatal: false);
                continue;
            }
            Emit(store, pattern, chosen, fatal: false);
        }
    }

    private void Emit(ContextStore store, string name, string? chosen, bool fatal)
    {
        try
        {
            WriteObject(ContextView.Of(store, name, chosen));
        }
        catch (OpsException ex) when (!fatal)
        {
            // One unreadable context does not hide the others.
            WriteError(NewErrorRecord(new OpsException(ex.ErrorId, ex.Category, ex.Message, ex.Target, ex)));
        }
    }
}
