using System.Collections;
using System.Management.Automation;
using RealEstateOps.Engine.Prometheus;

namespace RealEstateOps.Commands.Prometheus;

/// <summary>
/// kubectl apply -f monitoring/alerts/new-alert.yaml, checked first: an alert rule added to a group of a PrometheusRule object
/// (created when missing). promtool check rules (when on PATH) and the cluster's admission check refuse an invalid rule with
/// the parser's message (AlertRuleInvalid); -WhatIf shows the rule and makes no change.
/// </summary>
[Cmdlet(VerbsCommon.New, "AlertRule", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Low)]
[OutputType(typeof(PromRuleDefinition))]
public sealed class NewAlertRuleCommand : AlertRuleCommandBase
{
    [Parameter(Mandatory = true, Position = 0)]
    [Alias("AlertName")]
    public string Name { get; set; } = "";

    [Parameter(Mandatory = true, Position = 1)]
    [Alias("Expr")]
    public string Expression { get; set; } = "";

    /// <summary>How long the expression must hold before the alert fires ("30s", "5m").</summary>
    [Parameter] public string? For { get; set; }

    [Parameter]
    [ValidateSet("critical", "warning", "info")]
    public string? Severity { get; set; }

    [Parameter] public string? Summary { get; set; }
    [Parameter] public string? Description { get; set; }
    [Parameter] public string? RunbookUrl { get; set; }
    [Parameter] public Hashtable? Labels { get; set; }
    [Parameter] public Hashtable? Annotations { get; set; }

    /// <summary>The rule group (default platform).</summary>
    [Parameter] public string Group { get; set; } = "platform";

    protected override void ProcessRecordCore()
    {
        var spec = new PromRuleSpec
        {
            Name = Name, Expression = Expression, For = For, Severity = Severity, Summary = Summary, Description = Description, RunbookUrl = RunbookUrl,
            Labels = Strings(Labels), Annotations = Strings(Annotations),
        };
        var objectName = string.IsNullOrWhiteSpace(ObjectName) ? "platform-alerts" : ObjectName;
        var objects = Objects; // opened here, on the pipeline thread (its settings go to verbose)
        var change = Run(ct => objects.PlanNewAsync(spec, Namespace, objectName, Group, ct));
        var rule = Change(change.Target, Describe(change), ct => objects.ApplyAsync(change, Listener, ct));
        if (rule is not null) WriteObject(rule);
    }

    internal static Dictionary<string, string>? Strings(Hashtable? table) =>
        table?.Cast<DictionaryEntry>().ToDictionary(e => e.Key.ToString() ?? "", e => (e.Value is PSObject p ? p.BaseObject : e.Value)?.ToString() ?? "", StringComparer.Ordinal);
}
