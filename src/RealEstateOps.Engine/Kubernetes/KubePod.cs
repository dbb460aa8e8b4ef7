using k8s.Models;

namespace RealEstateOps.Engine.Kubernetes;

/// <summary>A pod as kubectl get pods shows it, plus what scripts need (node, controller, containers, labels).</summary>
public sealed class KubePod
{
    public string Namespace { get; init; } = "";
    public string Name { get; init; } = "";
    /// <summary>Ready containers of all, "2/2".</summary>
    public string Ready { get; init; } = "";
    /// <summary>kubectl's STATUS column: Running, Pending, Terminating, CrashLoopBackOff, Completed, ...</summary>
    public string Status { get; init; } = "";
    public int Restarts { get; init; }
    public DateTimeOffset? Created { get; init; }
    public TimeSpan Age { get; init; }
    public string? Node { get; init; }
    public string? IP { get; init; }
    public string? Phase { get; init; }
    public bool IsReady { get; init; }
    /// <summary>The controlling owner, "ReplicaSet/api-service-7d9f8", or null for a bare pod.</summary>
    public string? Controller { get; init; }
    public string[] Containers { get; init; } = Array.Empty<string>();
    public IReadOnlyDictionary<string, string> Labels { get; init; } = new Dictionary<string, string>();
    public string Uid { get; init; } = "";

    public static KubePod From(V1Pod p, DateTimeOffset now)
    {
        var statuses = p.Status?.ContainerStatuses ?? new List<V1ContainerStatus>();
        var total = p.Spec?.Containers?.Count ?? 0;
        var ready = statuses.Count(s => s.Ready);
        var owner = p.Metadata.OwnerReferences?.FirstOrDefault(o => o.Controller == true);
        return new KubePod
        {
            Namespace = p.Metadata.NamespaceProperty ?? "", Name = p.Metadata.Name, Ready = $"{ready}/{total}", Status = StatusOf(p),
            Restarts = statuses.Sum(s => s.RestartCount), Created = p.Metadata.CreationTimestamp is { } c ? new DateTimeOffset(DateTime.SpecifyKind(c, DateTimeKind.Utc)) : null,
            Age = p.Metadata.CreationTimestamp is { } t ? now - new DateTimeOffset(DateTime.SpecifyKind(t, DateTimeKind.Utc)) : TimeSpan.Zero,
            Node = p.Spec?.NodeName, IP = p.Status?.PodIP, Phase = p.Status?.Phase,
            IsReady = p.Status?.Conditions?.Any(c => c.Type == "Ready" && c.Status == "True") == true && p.Metadata.DeletionTimestamp is null,
            Controller = owner is null ? null : owner.Kind + "/" + owner.Name,
            Containers = p.Spec?.Containers?.Select(c => c.Name).ToArray() ?? Array.Empty<string>(),
            Labels = p.Metadata.Labels is { } l ? new Dictionary<string, string>(l) : new Dictionary<string, string>(),
            Uid = p.Metadata.Uid ?? "",
        };
    }

    /// <summary>The STATUS kubectl prints: a waiting or terminated container's reason wins over the phase; Terminating when deleted.</summary>
    public static string StatusOf(V1Pod p)
    {
        if (p.Metadata.DeletionTimestamp is not null) return "Terminating";
        var reason = p.Status?.Reason ?? p.Status?.Phase ?? "Unknown";
        foreach (var s in p.Status?.ContainerStatuses ?? new List<V1ContainerStatus>())
        {
            if (s.State?.Waiting?.Reason is { Length: > 0 } w) reason = w;
            else if (s.State?.Terminated?.Reason is { Length: > 0 } t) reason = t;
        }
        return reason == "Succeeded" ? "Completed" : reason;
    }
}
