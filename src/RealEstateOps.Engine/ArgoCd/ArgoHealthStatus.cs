namespace RealEstateOps.Engine.ArgoCd;

/// <summary>Health as gitops-engine computes it (status.health.status, and each resource-tree node's health).</summary>
public enum ArgoHealthStatus
{
    Unknown,
    Healthy,
    Progressing,
    Suspended,
    Missing,
    Degraded,
}
