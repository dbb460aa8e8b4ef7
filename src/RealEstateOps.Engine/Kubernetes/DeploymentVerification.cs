namespace RealEstateOps.Engine.Kubernetes;

/// <summary>The runbook's "Verify Deployment" as one verdict a scheduled script can assert on.</summary>
public sealed class DeploymentVerification
{
    public string Namespace { get; init; } = "";
    public HealthStatus Status { get; init; }
    public bool IsHealthy => Status == HealthStatus.Healthy;
    public DeploymentCheck[] Deployments { get; init; } = Array.Empty<DeploymentCheck>();
    public string[] ServicesWithoutEndpoints { get; init; } = Array.Empty<string>();
    public string[] Reasons { get; init; } = Array.Empty<string>();
    public DateTimeOffset CheckedAt { get; init; }
}
