using RealEstateOps.Engine.Common;

namespace RealEstateOps.Engine.Kubernetes;

/// <summary>
/// The Kubernetes API answered with an error (NotFound, Forbidden, a budget's 429, ...): an OpsException with
/// the id <see cref="KubeErrors"/> chose, that also keeps the API's Status (code, reason, causes) for the
/// operations that act on it, such as a drain reading which disruption budget refused an eviction.
/// </summary>
public sealed class KubeApiException : OpsException
{
    public KubeApiException(KubeStatus status, string errorId, OpsErrorCategory category, string message, object? target = null,
        Exception? inner = null, bool isFatal = false)
        : base(errorId, category, message, target, inner, isFatal) => Status = status;

    /// <summary>The API server's Status answer.</summary>
    public KubeStatus Status { get; }
}
