using System.Management.Automation;
using RealEstateOps.Completers;
using RealEstateOps.Engine.Common;
using RealEstateOps.Engine.Context;
using RealEstateOps.Engine.Notification;

namespace RealEstateOps.Commands.Notification;

/// <summary>Lists the stakeholder channels of a context (default the active one): name, kind, minimum severity and where the secret comes from (never the secret).</summary>
[Cmdlet(VerbsCommon.Get, "OpsNotificationChannel")]
[OutputType(typeof(NotificationChannel))]
public sealed class GetOpsNotificationChannelCommand : OpsCommandBase
{
    [Parameter(Position = 0)]
    [SupportsWildcards]
    [ArgumentCompleter(typeof(NotificationChannelCompleter))]
    public string[]? Name { get; set; }

    [Parameter]
    [ArgumentCompleter(typeof(ContextNameCompleter))]
    public string? Context { get; set; }

    protected override void ProcessRecordCore()
    {
        var effective = Context is null ? ActiveContext.Effective : new ContextStore(Paths).LoadEffective(Context);
        var all = effective.NotificationChannels ?? new List<NotificationChannel>();
        if (Name is null || Name.Length == 0)
        {
            foreach (var c in all) WriteObject(c);
            return;
        }
        foreach (var pattern in Name)
        {
            var matches = all.Where(c => Wildcard.IsMatch(c.Name, pattern)).ToList();
            if (matches.Count == 0 && !Wildcard.HasWildcard(pattern))
                WriteOpsError(new OpsException("NotificationChannelNotFound", OpsErrorCategory.ObjectNotFound,
                    $"Context '{effective.Name}' has no notification channel '{pattern}'.", pattern));
            foreach (var c in matches) WriteObject(c);
        }
    }
}
