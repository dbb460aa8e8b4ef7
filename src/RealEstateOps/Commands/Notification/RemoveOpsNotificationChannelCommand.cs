using System.Management.Automation;
using RealEstateOps.Completers;
using RealEstateOps.Engine.Common;
using RealEstateOps.Engine.Context;

namespace RealEstateOps.Commands.Notification;

/// <summary>Removes stakeholder channels from a context (default the active one); the secret files themselves are left alone.</summary>
[Cmdlet(VerbsCommon.Remove, "OpsNotificationChannel", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Medium)]
public sealed class RemoveOpsNotificationChannelCommand : OpsCommandBase
{
    [Parameter(Mandatory = true, Position = 0, ValueFromPipelineByPropertyName = true)]
    [ArgumentCompleter(typeof(NotificationChannelCompleter))]
    public string[] Name { get; set; } = Array.Empty<string>();

    [Parameter]
    [ArgumentCompleter(typeof(ContextNameCompleter))]
    public string? Context { get; set; }

    [Parameter] public SwitchParameter Force { get; set; }

    protected override void ProcessRecordCore()
    {
        var contextName = Context ?? ActiveContext.Name.Value;
        var store = new ContextStore(Paths);
        foreach (var name in Name)
        {
            try
            {
                var context = File.Exists(store.PathOf(contextName)) ? store.LoadStored(contextName) : new OpsContext { Name = contextName };
                var list = context.NotificationChannels;
                if (list is null || !list.Any(c => c.Name.Equals(name, StringComparison.OrdinalIgnoreCase)))
                    throw new OpsException("NotificationChannelNotFound", OpsErrorCategory.ObjectNotFound,
                        $"Context '{contextName}' has no notification channel '{name}' of its own.", name);
                Change(name, $"Remove notification channel '{name}' from context '{contextName}'", () =>
                {
                    list.RemoveAll(c => c.Name.Equals(name, StringComparison.OrdinalIgnoreCase));
                    context.NotificationChannels = list.Count == 0 ? null : list;
                    store.Save(context);
                }, Force);
            }
            catch (OpsException ex)
            {
                WriteOpsError(ex);
            }
        }
    }
}
