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
public sealed class NewAlertRuleCommand : AlertRuleDefinitionCommandBase
{
    [Parameter(Mandatory = true, Position = 0)]
    [Alias("AlertName")]
    public string Name { get; set; } = "";

    [Parameter(Mandatory = true, Position = 1)]
    [Alias("Expr")]
    public string Expression { get; set; } = "";

    /// <summary>The rule group (default platform).</summary>
    [Parameter] public string Group { get; set; } = "platform";

    protected override void ProcessRecordCore()
    {
        var spec = Spec(Name, Expression);
        var objectName = string.IsNullOrWhiteSpace(ObjectName) ? "platform-alerts" : ObjectName;
        var objects = Objects; // opened here, on the pipeline thread (its settings go to verbose)
        var change = Run(ct => objects.PlanNewAsync(spec, Namespace, objectName, Group, ct));
        var rule = Change(change.Target, Describe(change), ct => objects.ApplyAsync(change, Listener, ct));
        if (rule is not null) WriteObject(rule);
    }
}
