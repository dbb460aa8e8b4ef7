namespace RealEstateOps.Engine.Kubernetes;

/// <summary>What a drain did to one node (or, under -WhatIf, would do). Filled by the drain as it goes; read-only to callers.</summary>
public sealed class NodeDrainResult
{
    public string Node { get; init; } = "";
    public NodeDrainStatus Status { get; internal set; }
    public bool Cordoned { get; internal set; }
    public DrainPod[] Evicted { get; internal set; } = Array.Empty<DrainPod>();
    public DrainPod[] Skipped { get; internal set; } = Array.Empty<DrainPod>();
    public DrainPod[] Failed { get; internal set; } = Array.Empty<DrainPod>();
    /// <summary>Pods still on the node that were to be evicted (after a failure, timeout or Ctrl+C).</summary>
    public DrainPod[] Remaining { get; internal set; } = Array.Empty<DrainPod>();
    /// <summary>Disruption budgets that refused an eviction during the drain (or would, under -WhatIf), with the pod and the healthy count they needed.</summary>
    public BudgetBlock[] BlockingBudgets { get; internal set; } = Array.Empty<BudgetBlock>();
    public string[] Warnings { get; internal set; } = Array.Empty<string>();
    public TimeSpan Duration { get; internal set; }
}
