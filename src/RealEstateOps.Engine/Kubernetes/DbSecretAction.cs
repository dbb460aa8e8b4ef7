namespace RealEstateOps.Engine.Kubernetes;

/// <summary>What writing the db-credentials secret did.</summary>
public enum DbSecretAction
{
    Created,
    Updated,
    /// <summary>The secret already held exactly this data: nothing was written.</summary>
    Unchanged,
}
