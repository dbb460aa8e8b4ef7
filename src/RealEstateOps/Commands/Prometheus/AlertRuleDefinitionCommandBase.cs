using System.Collections;
using System.Management.Automation;
using RealEstateOps.Engine.Prometheus;

namespace RealEstateOps.Commands.Prometheus;

/// <summary>
/// What New-AlertRule and Set-AlertRule say about a rule besides its name and expression: for, severity, the usual
/// annotations, and further labels and annotations; one <see cref="PromRuleSpec"/> from them.
/// </summary>
public abstract class AlertRuleDefinitionCommandBase : AlertRuleCommandBase
{
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

    /// <summary>The rule these parameters describe.</summary>
    protected PromRuleSpec Spec(string name, string? expression) => new()
    {
        Name = name, Expression = expression, For = For, Severity = Severity, Summary = Summary, Description = Description, RunbookUrl = RunbookUrl,
        Labels = Strings(Labels), Annotations = Strings(Annotations),
    };

    private static Dictionary<string, string>? Strings(Hashtable? table) =>
        table?.Cast<DictionaryEntry>().ToDictionary(e => e.Key.ToString() ?? "", e => (e.Value is PSObject p ? p.BaseObject : e.Value)?.ToString() ?? "", StringComparer.Ordinal);
}
