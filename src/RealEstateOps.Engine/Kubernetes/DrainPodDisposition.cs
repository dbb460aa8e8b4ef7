namespace RealEstateOps.Engine.Kubernetes;

/// <summary>What a drain did with one pod (or, under -WhatIf, would do).</summary>
public enum DrainPodDisposition
{
    /// <summary>Evicted (or deleted) and gone from the node; under -WhatIf, would be evicted.</summary>
    Evicted,
    /// <summary>Left alone, as kubectl leaves it: DaemonSet-managed or a mirror pod.</summary>
    Skipped,
    /// <summary>Cannot be handled without a switch (emptyDir data, no controller, ...): the drain evicted nothing.</summary>
    NotHandled,
    /// <summary>Its eviction failed (several disruption budgets, an API error).</summary>
    Failed,
    /// <summary>Still on the node: a disruption budget refuses its eviction.</summary>
    Blocked,
    /// <summary>Evicted, still terminating.</summary>
    Terminating,
    /// <summary>Still on the node: its eviction was never accepted.</summary>
    NotEvicted,
}
