using k8s.Models;

namespace RealEstateOps.Engine.Kubernetes;

/// <summary>A service as kubectl get services shows it.</summary>
public sealed class KubeService
{
    public string Namespace { get; init; } = "";
    public string Name { get; init; } = "";
    public string Type { get; init; } = "";
    public string? ClusterIP { get; init; }
    public string ExternalIP { get; init; } = "<none>";
    /// <summary>kubectl's PORT(S) column, "80:8000/TCP" style.</summary>
    public string Ports { get; init; } = "";
    public TimeSpan Age { get; init; }
    public string Selector { get; init; } = "";

    public static KubeService From(V1Service s, DateTimeOffset now) => new()
    {
        Namespace = s.Metadata.NamespaceProperty ?? "", Name = s.Metadata.Name, Type = s.Spec?.Type ?? "ClusterIP", ClusterIP = s.Spec?.ClusterIP,
        ExternalIP = s.Status?.LoadBalancer?.Ingress?.Select(i => i.Hostname ?? i.Ip).FirstOrDefault() ?? (s.Spec?.ExternalIPs is { Count: > 0 } e ? string.Join(',', e) : "<none>"),
        Ports = string.Join(',', s.Spec?.Ports?.Select(p => p.Port + (p.NodePort is { } np ? ":" + np : "") + "/" + (p.Protocol ?? "TCP")) ?? Array.Empty<string>()),
        Age = Kube.Age(s.Metadata.CreationTimestamp, now),
        Selector = s.Spec?.Selector is { } sel ? string.Join(',', sel.Select(kv => kv.Key + "=" + kv.Value)) : "",
    };
}
