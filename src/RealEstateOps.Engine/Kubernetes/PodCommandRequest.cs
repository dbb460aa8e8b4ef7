namespace RealEstateOps.Engine.Kubernetes;

/// <summary>
/// A command to run in a pod's container through the exec API (kubectl exec): in <see cref="Pod"/>, or in a Ready
/// pod of <see cref="Deployment"/> (exactly one of the two). <see cref="Command"/> is the argv, never run through a shell
/// unless it names one itself ("sh", "-c", "..."): secrets belong in the pod's environment, never in it.
/// </summary>
public sealed class PodCommandRequest
{
    public required string Namespace { get; init; }
    public string? Pod { get; init; }
    public string? Deployment { get; init; }
    /// <summary>The container; by default the pod's kubectl.kubernetes.io/default-container, else its first.</summary>
    public string? Container { get; init; }
    public required IReadOnlyList<string> Command { get; init; }
    /// <summary>How long the command may run before it is abandoned (PodCommandTimeout).</summary>
    public TimeSpan Timeout { get; init; } = TimeSpan.FromSeconds(30);
}
