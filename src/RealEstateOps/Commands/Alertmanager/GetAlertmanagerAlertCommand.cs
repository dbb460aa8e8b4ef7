using System.Management.Automation;
using RealEstateOps.Engine.Alertmanager;

namespace RealEstateOps.Commands.Alertmanager;

/// <summary>amtool alert query: the alerts Alertmanager holds, with whether a silence or an inhibition mutes them.</summary>
[Cmdlet(VerbsCommon.Get, "AlertmanagerAlert")]
[OutputType(typeof(AlertmanagerAlert))]
public sealed class GetAlertmanagerAlertCommand : AlertmanagerCommandBase
{
    /// <summary>Alert names (alertname); several are matched as one regular expression.</summary>
    [Parameter(Position = 0)]
    public string[]? Name { get; set; }

    [Parameter] public string[]? Matcher { get; set; }

    /// <summary>Active (notified), Suppressed (silenced or inhibited), Unprocessed; all by default.</summary>
    [Parameter]
    [ValidateSet("Active", "Suppressed", "Unprocessed")]
    public string[]? State { get; set; }

    /// <summary>Only the alerts a silence mutes.</summary>
    [Parameter] public SwitchParameter Silenced { get; set; }

    protected override void ProcessRecordCore()
    {
        var matchers = Matchers(Matcher).ToList();
        if (Name is { Length: > 0 })
            matchers.Insert(0, Name.Length == 1 ? new AlertMatcher("alertname", Name[0]) : new AlertMatcher("alertname", AlertMatcher.AnyOf(Name), isRegex: true));
        var states = (State ?? Array.Empty<string>()).Select(s => s.ToLowerInvariant()).ToHashSet();
        var all = states.Count == 0;
        var query = new AlertmanagerAlertQuery
        {
            Matchers = matchers,
            Active = (all && !Silenced) || states.Contains("active"),
            Silenced = all || states.Contains("suppressed"),
            Inhibited = (all && !Silenced) || states.Contains("suppressed"),
            Unprocessed = (all && !Silenced) || states.Contains("unprocessed"),
        };
        var silencedOnly = Silenced.IsPresent;
        Stream(ct => Filter(Silences.ListAlertsAsync(query, ct), silencedOnly));
    }

    private static async IAsyncEnumerable<AlertmanagerAlert> Filter(IAsyncEnumerable<AlertmanagerAlert> alerts, bool silencedOnly)
    {
        await foreach (var alert in alerts.ConfigureAwait(false))
            if (!silencedOnly || alert.Silenced) yield return alert;
    }
}
