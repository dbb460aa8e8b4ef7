namespace RealEstateOps.Engine.Kubernetes;

/// <summary>What Update-DbConnectionSecret did: the verified login, the secret as written, and the restarts that apply it.</summary>
public sealed class DbSecretUpdateResult
{
    public DbSecretTestResult Verified { get; init; } = new();
    public DbConnectionSecret Secret { get; init; } = new();
    public RolloutStatus[] Restarted { get; init; } = Array.Empty<RolloutStatus>();
    /// <summary>Deployments whose restart failed (each also reported as an OpsItemFailed event): their pods keep the old credentials until they restart.</summary>
    public string[] NotRestarted { get; init; } = Array.Empty<string>();
}
