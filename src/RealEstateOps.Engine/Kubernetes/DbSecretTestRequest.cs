namespace RealEstateOps.Engine.Kubernetes;

/// <summary>
/// Which secret to verify (keys host, port, user, password, database, as Set-DbConnectionSecret writes them) and where this
/// machine reaches its database: the secret's own host and port, or <see cref="HostOverride"/>/<see cref="PortOverride"/>
/// (a kubectl port-forward, a bastion tunnel) when the in-cluster address is not reachable from here.
/// </summary>
public sealed class DbSecretTestRequest
{
    public required string Namespace { get; init; }
    public string Name { get; init; } = "db-credentials";
    public string? HostOverride { get; init; }
    public int? PortOverride { get; init; }
    public TimeSpan Timeout { get; init; } = TimeSpan.FromSeconds(5);
    /// <summary>The CA bundle for TLS to the server (RDS's global bundle), as for Test-DbConnection.</summary>
    public string? SslRootCert { get; init; }
}
