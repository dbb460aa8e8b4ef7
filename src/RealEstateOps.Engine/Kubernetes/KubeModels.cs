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

public sealed class KubeNode
{
    public string Name { get; init; } = "";
    /// <summary>kubectl's STATUS column: Ready, NotReady, with ",SchedulingDisabled" when cordoned.</summary>
    public string Status { get; init; } = "";
    public string Roles { get; init; } = "<none>";
    public TimeSpan Age { get; init; }
    public string? Version { get; init; }
    public string? NodeGroup { get; init; }
    public string? InstanceType { get; init; }
    public string? Zone { get; init; }
    public string? InternalIP { get; init; }
    public bool Unschedulable { get; init; }
    public bool IsReady { get; init; }
    public double AllocatableCpuMillicores { get; init; }
    public double AllocatableMemoryMiB { get; init; }
    public IReadOnlyDictionary<string, string> Labels { get; init; } = new Dictionary<string, string>();

    public static KubeNode From(V1Node n, DateTimeOffset now)
    {
        var labels = n.Metadata.Labels ?? new Dictionary<string, string>();
        var ready = n.Status?.Conditions?.Any(c => c.Type == "Ready" && c.Status == "True") == true;
        var roles = labels.Keys.Where(k => k.StartsWith("node-role.kubernetes.io/", StringComparison.Ordinal)).Select(k => k["node-role.kubernetes.io/".Length..]).ToList();
        return new KubeNode
        {
            Name = n.Metadata.Name, IsReady = ready, Unschedulable = n.Spec?.Unschedulable == true,
            Status = (ready ? "Ready" : "NotReady") + (n.Spec?.Unschedulable == true ? ",SchedulingDisabled" : ""),
            Roles = roles.Count == 0 ? "<none>" : string.Join(',', roles), Age = Kube.Age(n.Metadata.CreationTimestamp, now),
            Version = n.Status?.NodeInfo?.KubeletVersion, NodeGroup = labels.TryGetValue(Kube.NodeGroupLabel, out var g) ? g : null,
            InstanceType = labels.TryGetValue("node.kubernetes.io/instance-type", out var it) ? it : null,
            Zone = labels.TryGetValue("topology.kubernetes.io/zone", out var z) ? z : null,
            InternalIP = n.Status?.Addresses?.FirstOrDefault(a => a.Type == "InternalIP")?.Address,
            AllocatableCpuMillicores = n.Status?.Allocatable?.TryGetValue("cpu", out var cpu) == true ? Kube.Millicores(cpu) : 0,
            AllocatableMemoryMiB = n.Status?.Allocatable?.TryGetValue("memory", out var mem) == true ? Kube.MiB(mem) : 0,
            Labels = new Dictionary<string, string>(labels),
        };
    }
}

/// <summary>Shared helpers and names.</summary>
public static class Kube
{
    public const string NodeGroupLabel = "eks.amazonaws.com/nodegroup";
    public const string RevisionAnnotation = "deployment.kubernetes.io/revision";
    public const string ChangeCauseAnnotation = "kubernetes.io/change-cause";
    public const string RestartedAtAnnotation = "kubectl.kubernetes.io/restartedAt";
    public const string DefaultContainerAnnotation = "kubectl.kubernetes.io/default-container";
    public const string MirrorAnnotation = "kubernetes.io/config.mirror";
    public const string PodTemplateHashLabel = "pod-template-hash";

    public static TimeSpan Age(DateTime? created, DateTimeOffset now) =>
        created is { } c ? now - new DateTimeOffset(DateTime.SpecifyKind(c, DateTimeKind.Utc)) : TimeSpan.Zero;

    /// <summary>CPU in millicores, rounded up as kubectl top rounds (MilliValue).</summary>
    public static double Millicores(ResourceQuantity q) => Math.Ceiling((double)q.ToDecimal() * 1000);

    public static double MiB(ResourceQuantity q) => Math.Floor((double)q.ToDecimal() / (1024 * 1024));

    /// <summary>A label selector object as the query string the API takes ("app=api,tier in (web)").</summary>
    public static string SelectorString(V1LabelSelector? selector)
    {
        if (selector is null) return "";
        var parts = new List<string>();
        if (selector.MatchLabels is { } ml) parts.AddRange(ml.OrderBy(kv => kv.Key, StringComparer.Ordinal).Select(kv => kv.Key + "=" + kv.Value));
        foreach (var e in selector.MatchExpressions ?? new List<V1LabelSelectorRequirement>())
            parts.Add(e.OperatorProperty switch
            {
                "In" => $"{e.Key} in ({string.Join(',', e.Values)})",
                "NotIn" => $"{e.Key} notin ({string.Join(',', e.Values)})",
                "Exists" => e.Key,
                "DoesNotExist" => "!" + e.Key,
                _ => e.Key,
            });
        return string.Join(',', parts);
    }

    public static bool Matches(V1LabelSelector? selector, IDictionary<string, string>? labels)
    {
        if (selector is null) return false;
        labels ??= new Dictionary<string, string>();
        if (selector.MatchLabels is { } ml && ml.Any(kv => !labels.TryGetValue(kv.Key, out var v) || v != kv.Value)) return false;
        foreach (var e in selector.MatchExpressions ?? new List<V1LabelSelectorRequirement>())
        {
            var has = labels.TryGetValue(e.Key, out var v);
            var ok = e.OperatorProperty switch
            {
                "In" => has && e.Values.Contains(v!),
                "NotIn" => !has || !e.Values.Contains(v!),
                "Exists" => has,
                "DoesNotExist" => !has,
                _ => false,
            };
            if (!ok) return false;
        }
        return (selector.MatchLabels?.Count ?? 0) + (selector.MatchExpressions?.Count ?? 0) > 0;
    }

    /// <summary>The container kubectl picks when none is named: the default-container annotation, else the first.</summary>
    public static string DefaultContainer(V1Pod pod) =>
        pod.Metadata.Annotations?.TryGetValue(DefaultContainerAnnotation, out var c) == true && pod.Spec.Containers.Any(x => x.Name == c)
            ? c : pod.Spec.Containers[0].Name;
}
