using System.Management.Automation;
using RealEstateOps.Engine.Alertmanager;

namespace RealEstateOps.Commands.Alertmanager;

/// <summary>amtool silence query: the Alertmanager's silences, by id, matchers or state.</summary>
[Cmdlet(VerbsCommon.Get, "AlertSilence")]
[OutputType(typeof(AlertSilence))]
public sealed class GetAlertSilenceCommand : AlertmanagerCommandBase
{
    [Parameter(Position = 0, ValueFromPipelineByPropertyName = true)]
    [Alias("SilenceId")]
    public string[]? Id { get; set; }

    /// <summary>Only silences with a matcher on each of these labels whose value these matchers accept (Alertmanager's filter).</summary>
    [Parameter] public string[]? Matcher { get; set; }

    [Parameter]
    [ValidateSet("Active", "Pending", "Expired")]
    public string[]? State { get; set; }

    protected override void ProcessRecordCore()
    {
        var query = new AlertSilenceQuery
        {
            Ids = Id,
            Matchers = Matcher is { Length: > 0 } ? Matchers(Matcher) : null,
            States = State?.Select(s => Enum.Parse<AlertSilenceState>(s, ignoreCase: true)).ToArray(),
        };
        Stream(ct => Silences.ListAsync(query, Listener, ct));
    }
}
