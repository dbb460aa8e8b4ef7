namespace RealEstateOps.Engine.Kubernetes;

/// <summary>A deployment's scale (its autoscaling/v1 Scale subresource), before and after a change.</summary>
public sealed class DeploymentScale
{
    public string Namespace { get; init; } = "";
    public string Name { get; init; } = "";
    /// <summary>spec.replicas before the change (equal to <see cref="Replicas"/> when only read or unchanged).</summary>
    public int PreviousReplicas { get; init; }
    /// <summary>spec.replicas: what the deployment is asked to run.</summary>
    public int Replicas { get; init; }
    /// <summary>status.replicas: the pods it runs now.</summary>
    public int CurrentReplicas { get; init; }
    public string Selector { get; init; } = "";
    public bool Changed => PreviousReplicas != Replicas;
}
