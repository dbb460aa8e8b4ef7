using k8s.Models;

namespace RealEstateOps.Engine.Kubernetes;

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
