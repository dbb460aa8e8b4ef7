namespace RealEstateOps.Engine.Kubernetes;

/// <summary>How a node's drain ended.</summary>
public enum NodeDrainStatus
{
    /// <summary>Every pod to evict is gone.</summary>
    Drained,
    /// <summary>-WhatIf: what would be evicted, skipped or refused; nothing changed.</summary>
    WhatIf,
    /// <summary>Some pods cannot be handled (emptyDir data, no controller, ...): nothing was evicted.</summary>
    Refused,
    /// <summary>Some evictions failed; the others went on.</summary>
    Failed,
    /// <summary>The pods were not all gone within the timeout.</summary>
    TimedOut,
    /// <summary>Cancelled (Ctrl+C) while pods were being evicted.</summary>
    Stopped,
}
