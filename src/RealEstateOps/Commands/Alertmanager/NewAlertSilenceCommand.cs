using System.Management.Automation;
using RealEstateOps.Commands.Maintenance;
using RealEstateOps.Common;
using RealEstateOps.Engine.Alertmanager;

namespace RealEstateOps.Commands.Alertmanager;

/// <summary>amtool silence add: mutes the alerts the matchers select, from now (or -Start) for -Duration or until -End, with a comment saying why.</summary>
[Cmdlet(VerbsCommon.New, "AlertSilence", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Low, DefaultParameterSetName = "Duration")]
[OutputType(typeof(AlertSilence))]
public sealed class NewAlertSilenceCommand : AlertmanagerCommandBase
{
    /// <summary>Label matchers, all of which an alert must satisfy: alertname=HighErrorRate, service=~"api.*", severity!=info.</summary>
    [Parameter(Mandatory = true, Position = 0)]
    [ValidateNotNullOrEmpty]
    public string[] Matcher { get; set; } = Array.Empty<string>();

    [Parameter(ParameterSetName = "Duration")]
    [Duration]
    public TimeSpan Duration { get; set; } = TimeSpan.FromHours(1);

    [Parameter] public DateTime? Start { get; set; }

    [Parameter(Mandatory = true, ParameterSetName = "End")]
    public DateTime End { get; set; }

    [Parameter(Mandatory = true)]
    [ValidateNotNullOrEmpty]
    public string Comment { get; set; } = "";

    /// <summary>Who the silence is by; defaults to the user running the command.</summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    public string CreatedBy { get; set; } = Environment.UserName;

    protected override void ProcessRecordCore()
    {
        var matchers = Matchers(Matcher);
        var start = MaintenanceTime.Moment(Start);
        var from = start ?? DateTimeOffset.UtcNow;
        var end = ParameterSetName == "End" ? MaintenanceTime.Moment(End)!.Value : from + Duration;
        var request = new NewAlertSilence { Matchers = matchers, StartsAt = start, EndsAt = end, CreatedBy = CreatedBy, Comment = Comment };
        Silences.Validate(request); // refused before any request, -WhatIf included
        var text = string.Join(" ", matchers.Select(m => m.ToString()));
        var silence = Change(text, $"Silence alerts {(start is null ? "from now" : "from " + AlertmanagerClient.Rfc3339(from))} until {AlertmanagerClient.Rfc3339(end)} ({Comment})",
            ct => Silences.CreateAsync(request, ct));
        if (silence is not null) WriteObject(silence);
    }
}
