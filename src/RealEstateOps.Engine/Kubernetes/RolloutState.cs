namespace RealEstateOps.Engine.Kubernetes;

/// <summary>Where a deployment's rollout is, as kubectl rollout status tells it.</summary>
public enum RolloutState
{
    Progressing,
    Complete,
    /// <summary>The rollout passed its progress deadline.</summary>
    Failed,
}
