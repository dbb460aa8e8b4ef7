using System.Management.Automation;
using RealEstateOps.Common;
using RealEstateOps.Completers;
using RealEstateOps.Engine.Common;
using RealEstateOps.Engine.Notification;

namespace RealEstateOps.Commands.Notification;

/// <summary>
/// Notifies stakeholders through the channels of the active context (Slack and Teams webhooks, PagerDuty Events API v2):
/// what happened, why, the current status and who acted. One NotificationResult per channel; a channel that fails is a
/// non-terminating error with its id (NotificationRejected, NotificationUnreachable, NotificationTimeout, ...) and the
/// others are still sent; when none delivers, NotificationNotDelivered. -WhatIf sends nothing. The journal records the
/// notice and the channels, never their secrets.
/// </summary>
[Cmdlet(VerbsCommunications.Send, "OpsNotification", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Low)]
[OutputType(typeof(NotificationResult))]
public sealed class SendOpsNotificationCommand : OpsCommandBase
{
    /// <summary>What happened.</summary>
    [Parameter(Mandatory = true, Position = 0)]
    [ValidateNotNullOrEmpty]
    public string Title { get; set; } = "";

    /// <summary>Why it happened (or why it was done).</summary>
    [Parameter(Mandatory = true)]
    [ValidateNotNullOrEmpty]
    public string Reason { get; set; } = "";

    /// <summary>The current status.</summary>
    [Parameter(Mandatory = true)]
    [ValidateNotNullOrEmpty]
    public string Status { get; set; } = "";

    [Parameter]
    [ValidateSet("Info", "Warning", "Critical")]
    public string Severity { get; set; } = "Info";

    /// <summary>Channel names (wildcards allowed); default every channel of the context.</summary>
    [Parameter]
    [SupportsWildcards]
    [ArgumentCompleter(typeof(NotificationChannelCompleter))]
    public string[]? Channel { get; set; }

    /// <summary>Who acted (default the OS user).</summary>
    [Parameter] public string? Actor { get; set; }

    /// <summary>The component concerned (e.g. api-service).</summary>
    [Parameter] public string? Component { get; set; }

    /// <summary>Links to add (a dashboard, the Argo CD application).</summary>
    [Parameter] public Uri[]? Link { get; set; }

    /// <summary>PagerDuty channels: trigger (default), acknowledge or resolve an incident (the last two need -DedupKey).</summary>
    [Parameter]
    [ValidateSet("Trigger", "Acknowledge", "Resolve")]
    public string PagerDutyAction { get; set; } = "Trigger";

    /// <summary>PagerDuty's dedup key: the incident's key to acknowledge or resolve it; for a trigger, one PagerDuty makes when omitted.</summary>
    [Parameter] public string? DedupKey { get; set; }

    protected override void ProcessRecordCore()
    {
        var notice = NewNotice(Title, Reason, Status, Enum.Parse<NotificationSeverity>(Severity, ignoreCase: true), Component, Link, Actor,
            Enum.Parse<Engine.Notification.PagerDutyAction>(PagerDutyAction, ignoreCase: true), DedupKey);
        if (NotifyStakeholders(notice, Channel) is { } results) foreach (var r in results) WriteObject(r);
    }
}
