using RealEstateOps.Engine.ArgoCd;
using RealEstateOps.Engine.Kubernetes;
using RealEstateOps.Engine.Langfuse;
using RealEstateOps.Engine.Postgres;
using RealEstateOps.Engine.Prometheus;
using RealEstateOps.Engine.Rds;

namespace RealEstateOps.Engine.Incident;

/// <summary>
/// The services a triage reads, each optional: a step whose source is missing is Skipped with the reason given in
/// <see cref="Unavailable"/> (keyed by source name: RDS, EC2, Kubernetes, PostgreSQL, Langfuse, Prometheus, Argo CD).
/// The caller owns the clients.
/// </summary>
public sealed class TriageSources
{
    public IRdsClient? Rds { get; init; }
    public Ec2Client? Ec2 { get; init; }
    public KubeClient? Kube { get; init; }
    /// <summary>The database as the operator reaches it (Get-DbActivity's connection).</summary>
    public DbConnectionRequest? Database { get; init; }
    public LangfuseQueries? Langfuse { get; init; }
    public PromQueries? Prometheus { get; init; }
    public ArgoQueries? Argo { get; init; }
    /// <summary>Why a source is missing, by its name.</summary>
    public IReadOnlyDictionary<string, string> Unavailable { get; init; } = new Dictionary<string, string>();
}
