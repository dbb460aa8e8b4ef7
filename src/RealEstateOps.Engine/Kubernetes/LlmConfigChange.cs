namespace RealEstateOps.Engine.Kubernetes;

/// <summary>One change of the llm-service's configuration: the setting, its old and new value, and the restart that applies it.</summary>
public sealed class LlmConfigChange
{
    public LlmServiceConfig Config { get; init; } = new();
    /// <summary>The ConfigMap key changed (LLM_PROVIDER, LLM_RATE_LIMIT_RPM).</summary>
    public string Setting { get; init; } = "";
    public string? OldValue { get; init; }
    public string? NewValue { get; init; }
    /// <summary>False when the value already was the one asked for: nothing was written and nothing restarted.</summary>
    public bool Changed { get; init; }
    public bool Reverted { get; init; }
    /// <summary>The rolling restart that makes the pods read the new value (null when nothing changed).</summary>
    public RolloutStatus? Restart { get; init; }
}
