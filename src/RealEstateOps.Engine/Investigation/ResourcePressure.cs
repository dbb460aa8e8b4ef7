namespace RealEstateOps.Engine.Investigation;

/// <summary>Whether a pressure reading is about a pod (usage against its requests) or a node (usage against its capacity, its conditions).</summary>
public enum PressureScope
{
    Pod,
    Node,
}

/// <summary>
/// CPU and memory of one pod against its requests, or of one node against its capacity, with its state; <see cref="UnderPressure"/>
/// when a reading is above the limit used (pods 90% of requests, nodes 85% of capacity) or a node is not Ready.
/// </summary>
public sealed class ResourcePressure
{
    public PressureScope Scope { get; init; }
    public string Name { get; init; } = "";
    public string? Namespace { get; init; }
    public string? Service { get; init; }
    /// <summary>Percent of the CPU request (pods) or of the node's CPUs (nodes); null when not measured.</summary>
    public double? CpuPercent { get; init; }
    /// <summary>Percent of the memory request (pods) or of the node's memory (nodes); null when not measured.</summary>
    public double? MemoryPercent { get; init; }
    /// <summary>Nodes: Ready, NotReady, SchedulingDisabled as the Kubernetes API says; null for pods.</summary>
    public string? Condition { get; init; }
    public bool UnderPressure { get; init; }
    public string? Reason { get; init; }
}
