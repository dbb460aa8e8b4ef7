using System.Management.Automation;
using RealEstateOps.Completers;
using RealEstateOps.Engine.Prometheus;
using RealEstateOps.Commands.Kubernetes;

namespace RealEstateOps.Commands.Prometheus;

/// <summary>
/// Base of the cmdlets that change PrometheusRule objects: the cluster from -Kubeconfig/-KubeContext (or the context), the
/// namespace from -Namespace (default monitoring, where the platform's rules live; not the context's namespace).
/// </summary>
public abstract class AlertRuleCommandBase : KubeCommandBase
{
    [Parameter(ValueFromPipelineByPropertyName = true)]
    [ArgumentCompleter(typeof(NamespaceNameCompleter))]
    public string Namespace { get; set; } = "monitoring";

    /// <summary>The PrometheusRule object (kubectl get prometheusrules NAME).</summary>
    [Parameter(ValueFromPipelineByPropertyName = true)]
    [Alias("PrometheusRule")]
    public string? ObjectName { get; set; }

    protected override string? NamespaceParameter => Namespace;

    private PromRuleObjects? _objects;

    protected PromRuleObjects Objects => _objects ??= new PromRuleObjects(Client());

    /// <summary>What -WhatIf and -Confirm show: the summary and the rule's line diff.</summary>
    protected static string Describe(PromRuleChange change) =>
        change.Kind is PromRuleChangeKind.RemoveRule or PromRuleChangeKind.DeleteObject
            ? change.Summary + Environment.NewLine + change.Diff
            : change.Summary + ":" + Environment.NewLine + change.Diff;
}
