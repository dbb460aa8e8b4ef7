namespace RealEstateOps.Engine.Kubernetes;

/// <summary>How to drain: kubectl drain's switches, the timeout, and how many nodes at once.</summary>
public sealed class DrainOptions
{
    /// <summary>Skip DaemonSet pods (on by default, as the runbook drains with --ignore-daemonsets).</summary>
    public bool IgnoreDaemonSets { get; init; } = true;
    /// <summary>Evict pods with emptyDir volumes (their data is lost).</summary>
    public bool DeleteEmptyDirData { get; init; }
    /// <summary>kubectl drain's --force: evict pods that no controller will recreate (and DaemonSet pods whose DaemonSet is gone); they are gone for good.</summary>
    public bool EvictUnmanaged { get; init; }
    /// <summary>Seconds each pod gets to terminate; null uses the pod's own terminationGracePeriodSeconds.</summary>
    public int? GracePeriodSeconds { get; init; }
    public TimeSpan Timeout { get; init; } = TimeSpan.FromMinutes(10);
    /// <summary>Delete pods instead of evicting them (disruption budgets are not consulted).</summary>
    public bool DisableEviction { get; init; }
    /// <summary>How soon an eviction refused by a disruption budget (429) is tried again.</summary>
    public TimeSpan EvictionRetryInterval { get; init; } = TimeSpan.FromSeconds(2);
    /// <summary>Only pods matching this label selector.</summary>
    public string? PodSelector { get; init; }
    /// <summary>How many nodes <see cref="NodeDrainer.DrainManyAsync"/> drains at the same time (1: one by one).</summary>
    public int ThrottleLimit { get; init; } = 1;
}
