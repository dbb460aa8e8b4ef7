namespace RealEstateOps.Engine.Kubernetes;

/// <summary>What Verify Deployment checks: a namespace's deployments (all, or by name with wildcards).</summary>
public sealed class DeploymentHealthRequest
{
    public required string Namespace { get; init; }
    /// <summary>Deployment names, wildcards allowed; none for every deployment of the namespace.</summary>
    public string[]? Names { get; init; }
    /// <summary>Container restarts within this window count as recent.</summary>
    public TimeSpan RestartWindow { get; init; } = TimeSpan.FromMinutes(15);
}
