namespace RealEstateOps.Engine.Kubernetes;

/// <summary>Where the llm-service's configuration lives: a ConfigMap its pods read at start (envFrom), and the deployment to restart.</summary>
public sealed class LlmConfigRequest
{
    public required string Namespace { get; init; }
    public string ConfigMap { get; init; } = LlmServiceConfigurator.DefaultConfigMap;
    public string Deployment { get; init; } = LlmServiceConfigurator.DefaultDeployment;
}
