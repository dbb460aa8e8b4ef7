using k8s.Models;

namespace RealEstateOps.Engine.Kubernetes;

/// <summary>A deployment as kubectl get deployments shows it, plus its revision, images and selector.</summary>
public sealed class KubeDeployment
{
    public string Namespace { get; init; } = "";
    public string Name { get; init; } = "";
    /// <summary>kubectl's READY column, "3/3".</summary>
    public string Ready { get; init; } = "";
    public int Replicas { get; init; }
    public int ReadyReplicas { get; init; }
    public int UpToDate { get; init; }
    public int Available { get; init; }
    public TimeSpan Age { get; init; }
    public long Generation { get; init; }
    public long ObservedGeneration { get; init; }
    public string? Revision { get; init; }
    public bool Paused { get; init; }
    public string[] Images { get; init; } = Array.Empty<string>();
    public string Selector { get; init; } = "";
    public IReadOnlyDictionary<string, string> Labels { get; init; } = new Dictionary<string, string>();

    public static KubeDeployment From(V1Deployment d, DateTimeOffset now) => new()
    {
        Namespace = d.Metadata.NamespaceProperty ?? "", Name = d.Metadata.Name,
        Ready = $"{d.Status?.ReadyReplicas ?? 0}/{d.Spec?.Replicas ?? 1}", Replicas = d.Spec?.Replicas ?? 1, ReadyReplicas = d.Status?.ReadyReplicas ?? 0,
        UpToDate = d.Status?.UpdatedReplicas ?? 0, Available = d.Status?.AvailableReplicas ?? 0,
        Age = Kube.Age(d.Metadata.CreationTimestamp, now), Generation = d.Metadata.Generation ?? 0, ObservedGeneration = d.Status?.ObservedGeneration ?? 0,
        Revision = d.Metadata.Annotations?.TryGetValue(Kube.RevisionAnnotation, out var r) == true ? r : null, Paused = d.Spec?.Paused == true,
        Images = d.Spec?.Template?.Spec?.Containers?.Select(c => c.Image).ToArray() ?? Array.Empty<string>(),
        Selector = Kube.SelectorString(d.Spec?.Selector),
        Labels = d.Metadata.Labels is { } l ? new Dictionary<string, string>(l) : new Dictionary<string, string>(),
    };
}
