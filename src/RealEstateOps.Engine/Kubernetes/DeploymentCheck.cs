namespace RealEstateOps.Engine.Kubernetes;

/// <summary>One deployment's part of the verification: replica counts and what is wrong with its pods.</summary>
public sealed class DeploymentCheck
{
    public string Namespace { get; init; } = "";
    public string Name { get; init; } = "";
    public int Desired { get; init; }
    public int Updated { get; init; }
    public int Ready { get; init; }
    public int Available { get; init; }
    public HealthStatus Status { get; init; }
    public string[] PodsNotReady { get; init; } = Array.Empty<string>();
    /// <summary>"pod/container" of containers in CrashLoopBackOff.</summary>
    public string[] CrashLooping { get; init; } = Array.Empty<string>();
    /// <summary>"pod/container" of containers that restarted within the restart window.</summary>
    public string[] RestartedRecently { get; init; } = Array.Empty<string>();
    public string[] Reasons { get; init; } = Array.Empty<string>();
}
