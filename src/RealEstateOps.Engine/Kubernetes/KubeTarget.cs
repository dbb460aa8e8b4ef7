using RealEstateOps.Engine.Context;
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

    /// <summary>
    /// The context whose AWS settings (credentials, the sts endpoint) mint EKS tokens in-process when the kubeconfig's user is
    /// the exec plugin <c>aws eks get-token</c> (see <see cref="Eks.EksTokenExec"/>): no aws CLI is run then. Null: every exec
    /// plugin runs as written.
    /// </summary>
    public ActiveContext? AwsContext { get; init; }

    /// <summary>Told once, when the client is opened, how the user's credentials are obtained (for verbose output; never a secret).</summary>
    public Action<string>? Note { get; init; }

    /// <summary>Tests only: the clock EKS tokens are signed and refreshed by.</summary>
    internal TimeProvider? TimeForTests { get; init; }

    /// <summary>Tests only: a handler innermost in the client's pipeline (it may answer without the network).</summary>
    internal DelegatingHandler? InnerHandlerForTests { get; init; }
}
