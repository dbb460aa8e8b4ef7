using RealEstateOps.Engine.Http;

namespace RealEstateOps.Engine.Kubernetes;

/// <summary>Where a Kubernetes command points: kubeconfig file, its context, the API server and the namespace.</summary>
public sealed class KubeTarget
{
    public string? Kubeconfig { get; init; }
    public string? Context { get; init; }
    public string? Namespace { get; init; }
    /// <summary>Request timeout; log streams (-Follow) use none.</summary>
    public TimeSpan RequestTimeout { get; init; } = TimeSpan.FromMinutes(2);
    public RetryPolicy? RetryPolicy { get; init; }
    /// <summary>Tests only: a handler innermost in the client's pipeline (it may answer without the network).</summary>
    internal DelegatingHandler? InnerHandlerForTests { get; init; }
}
