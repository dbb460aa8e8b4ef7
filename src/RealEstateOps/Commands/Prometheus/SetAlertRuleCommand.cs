using System.Management.Automation;
using RealEstateOps.Completers;
using RealEstateOps.Engine.Prometheus;

namespace RealEstateOps.Commands.Prometheus;

/// <summary>
/// Changes a rule of a PrometheusRule object: only what is given changes (a label or annotation given empty is removed,
/// -For '' removes the rule's for). Checked like New-AlertRule; -WhatIf shows the rule's diff.
/// </summary>
[Cmdlet(VerbsCommon.Set, "AlertRule", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Medium)]
[OutputType(typeof(PromRuleDefinition))]
public sealed class SetAlertRuleCommand : AlertRuleDefinitionCommandBase
{
    [Parameter(Mandatory = true, Position = 0, ValueFromPipelineByPropertyName = true)]
    [Alias("AlertName")]
    [ArgumentCompleter(typeof(AlertRuleNameCompleter))]
    public string Name { get; set; } = "";

    [Parameter]
    [Alias("Expr")]
    public string? Expression { get; set; }

    /// <summary>The rule's group, when the name is in more than one.</summary>
    [Parameter(ValueFromPipelineByPropertyName = true)] public string? Group { get; set; }

    protected override void ProcessRecordCore()
    {
        var spec = Spec(Name, Expression);
        var objects = Objects; // opened here, on the pipeline thread (its settings go to verbose)
        var change = Run(ct => objects.PlanSetAsync(spec, Namespace, ObjectName, Group, ct));
        if (change.Before == change.After)
        {
            WriteVerbose($"Rule '{Name}' in {change.Target} already says that; nothing to change.");
            WriteObject(Run(ct => FirstAsync(objects, ct)));
            return;
        }
        var rule = Change(change.Target, Describe(change), ct => objects.ApplyAsync(change, Listener, ct));
        if (rule is not null) WriteObject(rule);
    }

    private async Task<PromRuleDefinition?> FirstAsync(PromRuleObjects objects, CancellationToken ct)
    {
        await foreach (var d in objects.ListAsync(new PromRuleDefinitionQuery { Namespace = Namespace, ObjectName = ObjectName, Names = new[] { Name }, Groups = Group is null ? null : new[] { Group } }, ct))
            if (d.Name == Name) return d;
        return null;
    }
}
