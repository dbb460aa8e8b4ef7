using RealEstateOps.Engine.Common;
using RealEstateOps.Engine.Context;
using RealEstateOps.Engine.Notification;

namespace RealEstateOps.Commands.Notification;

/// <summary>
/// The stakeholder channels of a context, for Send-OpsNotification and for other cmdlets that send a notice through the
/// engine's <see cref="OpsNotifier"/> (Undo-ArgoApplication -Notify): all of them, or those named (wildcards allowed).
/// </summary>
public static class NotificationChannels
{
    /// <summary>The context's channels matching <paramref name="names"/> (all when none is given); a name that matches none is NotificationChannelNotFound.</summary>
    public static IReadOnlyList<NotificationChannel> Resolve(ActiveContext context, IReadOnlyCollection<string>? names)
    {
        var all = context.Effective.NotificationChannels ?? new List<NotificationChannel>();
        if (names is null || names.Count == 0)
            return all.Count > 0 ? all : throw new OpsException("NotificationChannelNotFound", OpsErrorCategory.ObjectNotFound,
                $"Context '{context.Name.Value}' names no notification channel.", context.Name.Value)
            { RecommendedAction = "Add one with Add-OpsNotificationChannel (a Slack or Teams webhook URL, or a PagerDuty routing key, in a file or an environment variable)." };
        var chosen = new List<NotificationChannel>();
        foreach (var name in names)
        {
            var matches = all.Where(c => Wildcard.IsMatch(c.Name, name)).ToList();
            if (matches.Count == 0 && !Wildcard.HasWildcard(name))
                throw new OpsException("NotificationChannelNotFound", OpsErrorCategory.ObjectNotFound,
                    $"Context '{context.Name.Value}' has no notification channel '{name}'. Channels: {(all.Count == 0 ? "(none)" : string.Join(", ", all.Select(c => c.Name)))}.", name);
            foreach (var m in matches) if (!chosen.Contains(m)) chosen.Add(m);
        }
        return chosen;
    }
}
