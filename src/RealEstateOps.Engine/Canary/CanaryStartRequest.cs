namespace RealEstateOps.Engine.Canary;

/// <summary>Start-Canary: the stable Deployment, the canary's image (for its first container, or <see cref="Container"/>), and how long the canary's rollout may take.</summary>
public sealed record CanaryStartRequest(string Namespace, string Deployment, string Image)
{
    public string? Container { get; init; }
    public TimeSpan Timeout { get; init; } = TimeSpan.FromMinutes(5);
}
