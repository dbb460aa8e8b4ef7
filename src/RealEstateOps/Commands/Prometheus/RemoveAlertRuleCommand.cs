using System.Management.Automation;
using RealEstateOps.Completers;
using RealEstateOps.Engine.Prometheus;

namespace RealEstateOps.Commands.Prometheus;

/// <summary>
/// Removes a rule from its PrometheusRule object (a group left empty goes with it). When it was the object's last rule the
/// object is deleted too (an empty PrometheusRule serves nothing), unless -KeepEmptyObject. Other rules are never touched.
/// </summary>
[Cmdlet(VerbsCommon.Remove, "AlertRule", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.High)]
public sealed class RemoveAlertRuleCommand : AlertRuleCommandBase
{
    [Parameter(Mandatory = true, Position = 0, ValueFromPipelineByPropertyName = true)]
    [Alias("AlertName")]
    [ArgumentCompleter(typeof(AlertRuleNameCompleter))]
    public string Name { get; set; } = "";

    [Parameter(ValueFromPipelineByPropertyName = true)] public string? Group { get; set; }

    /// <summary>Keeps the PrometheusRule object when its last rule is removed (with no rules).</summary>
    [Parameter] public SwitchParameter KeepEmptyObject { get; set; }

    [Parameter] public SwitchParameter Force { get; set; }

    protected override void ProcessRecordCore()
    {
        var objects = Objects; // opened here, on the pipeline thread (its settings go to verbose)
        var change = Run(ct => objects.PlanRemoveAsync(Name, Namespace, ObjectName, Group, KeepEmptyObject, ct));
        Change(change.Target, Describe(change), ct => objects.ApplyAsync(change, Listener, ct), Force);
    }
}
