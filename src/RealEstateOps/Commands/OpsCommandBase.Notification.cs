using RealEstateOps.Commands.Notification;
using RealEstateOps.Common;
using RealEstateOps.Engine.Common;
using RealEstateOps.Engine.Notification;

namespace RealEstateOps.Commands;

/// <summary>Notices to stakeholders for every cmdlet that sends one (Send-OpsNotification, Undo-ArgoApplication -Notify, ...).</summary>
public abstract partial class OpsCommandBase
{
    /// <summary>A notice from this command: who acted (<paramref name="actor"/>, else the OS user), the command and the session's correlation id.</summary>
    protected OpsNotice NewNotice(string title, string? reason, string? status, NotificationSeverity severity, string? component = null,
        IReadOnlyList<Uri>? links = null, string? actor = null, PagerDutyAction action = PagerDutyAction.Trigger, string? dedupKey = null) => new()
    {
        Title = title,
        Reason = reason,
        Status = status,
        Actor = string.IsNullOrWhiteSpace(actor) ? Environment.UserName : actor,
        Severity = severity,
        Source = MyInvocation.MyCommand.Name,
        Component = component,
        Links = links ?? Array.Empty<Uri>(),
        CorrelationId = OpsSession.CorrelationId(System.Management.Automation.Runspaces.Runspace.DefaultRunspace),
        Action = action,
        DedupKey = dedupKey,
    };

    /// <summary>
    /// Sends <paramref name="notice"/> to the context's channels (all, or those named; wildcards allowed) as a change of its own:
    /// -WhatIf sends nothing, one journal entry that names the channels and never their secrets. A channel that fails is a
    /// non-terminating error with its id while the others are still sent; when none delivers, the entry is Failed with
    /// NotificationNotDelivered. Returns one result per channel that takes the notice's severity, null when nothing was sent.
    /// </summary>
    protected IReadOnlyList<NotificationResult>? NotifyStakeholders(OpsNotice notice, IReadOnlyCollection<string>? channelNames, bool force = false)
    {
        var channels = NotificationChannels.Resolve(ActiveContext, channelNames);
        var target = string.Join(", ", channels.Select(c => c.Name));
        return Change(target, $"Send {notice.Severity} notice '{notice.Title}'", async ct =>
        {
            using var notifier = new OpsNotifier();
            var sent = await notifier.SendAsync(notice, channels, Listener, ct).ConfigureAwait(false);
            if (sent.Count > 0 && sent.All(r => !r.Delivered))
                throw new OpsException("NotificationNotDelivered", OpsErrorCategory.ConnectionError,
                    $"No channel delivered the notice '{notice.Title}': {string.Join("; ", sent.Select(r => $"{r.Channel} ({r.ErrorId})"))}.", target);
            return sent;
        }, force);
    }
}
