using System.Management.Automation;
using RealEstateOps.Common;
using RealEstateOps.Completers;
using RealEstateOps.Engine.Context;

namespace RealEstateOps.Commands.Context;

/// <summary>Deletes stored contexts. Removing a stored 'default' reverts to the built-in default.</summary>
[Cmdlet(VerbsCommon.Remove, "OpsContext", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Medium)]
public sealed class RemoveOpsContextCommand : OpsCommandBase
{
    [Parameter(Mandatory = true, Position = 0, ValueFromPipelineByPropertyName = true)]
    [ArgumentCompleter(typeof(ContextNameCompleter))]
    public string[] Name { get; set; } = Array.Empty<string>();

    [Parameter] public SwitchParameter Force { get; set; }

    protected override void ProcessRecordCore()
    {
        var store = new ContextStore(Paths);
        foreach (var name in Name)
        {
            try
            {
                ContextStore.ValidateName(name);
                if (!File.Exists(store.PathOf(name))) store.Remove(name); // throws the specific not-found error
                if (!Change(name, "Remove context", () => store.Remove(name), Force)) continue;
                if (string.Equals(SessionContextChoice, name, StringComparison.OrdinalIgnoreCase))
                {
                    SessionContextChoice = null;
                    WriteWarning($"'{name}' was this session's active context; the environment's or the built-in default applies now.");
                }
            }
            catch (Engine.Common.OpsException ex)
            {
                WriteOpsError(ex);
            }
        }
    }
}
