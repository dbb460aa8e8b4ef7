namespace RealEstateOps.Engine.Kubernetes;

/// <summary>The llm-service's configuration as its ConfigMap holds it, with the values a change replaced (for a revert).</summary>
public sealed class LlmServiceConfig
{
    public string Namespace { get; init; } = "";
    public string ConfigMap { get; init; } = "";
    public string Deployment { get; init; } = "";
    /// <summary>LLM_PROVIDER: the provider the service calls.</summary>
    public string? Provider { get; init; }
    public string? Model { get; init; }
    /// <summary>LLM_FALLBACK_PROVIDER: the provider to switch to when the primary one degrades.</summary>
    public string? FallbackProvider { get; init; }
    public string? FallbackModel { get; init; }
    /// <summary>LLM_RATE_LIMIT_RPM: the requests per minute the service lets through to the provider (null: no limit set).</summary>
    public int? RequestsPerMinute { get; init; }
    /// <summary>The provider a switch replaced (what -Revert restores); null when there is nothing to revert.</summary>
    public string? PreviousProvider { get; init; }
    /// <summary>The request limit a change replaced ("" when there was none); null when there is nothing to revert.</summary>
    public string? PreviousRequestsPerMinute { get; init; }
    public bool OnFallback => Provider is not null && string.Equals(Provider, FallbackProvider, StringComparison.Ordinal);
    /// <summary>When the module last changed the configuration.</summary>
    public DateTimeOffset? ChangedAt { get; init; }
    public IReadOnlyDictionary<string, string> Data { get; init; } = new Dictionary<string, string>();
}
