using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;

namespace RealEstateOps.Sandbox.Eks;

/// <summary>
/// EKS upgrade insights (category UPGRADE_READINESS) for the next minor, derived from what the sandbox serves: kubelet
/// version skew (nodes trailing the control plane: WARNING; more than three minors behind the target, or ahead of the
/// control plane: ERROR), add-on versions without support for the next minor (WARNING: update them after the control
/// plane), requests in the last 30 days for APIs the next minor removes (ERROR: blocks UpdateClusterVersion without
/// force), and cluster health.
/// </summary>
internal static class EksInsights
{
    private const string SkewName = "Kubelet version skew";
    private const string AddonName = "Amazon EKS add-on version compatibility";
    private const string HealthName = "Cluster health issues";

    public static string IdOf(string name, string version)
    {
        var h = MD5.HashData(Encoding.UTF8.GetBytes(name + "|" + version));
        h[6] = (byte)(h[6] & 0x0f | 0x30);
        h[8] = (byte)(h[8] & 0x3f | 0x80);
        return new Guid(h, bigEndian: true).ToString();
    }

    /// <summary>The insights for the minor after the cluster's (none once the cluster is at the newest supported minor).</summary>
    public static List<EksInsight> For(EksStore store)
    {
        var current = store.Cluster.Version;
        var target = EksReleases.Next(current);
        if (!EksReleases.IsSupported(target)) return new List<EksInsight>();
        return new List<EksInsight> { KubeletSkew(store, current, target), Addons(store, target), DeprecatedApis(store, target), Health(store, target) };
    }

    private static EksInsight KubeletSkew(EksStore store, string current, string target)
    {
        var resources = new List<(string, string, string)>();
        var worst = "PASSING";
        var reasons = new List<string>();
        var t = EksReleases.MinorNumber(target);
        var c = EksReleases.MinorNumber(current);
        foreach (var ng in store.NodegroupNames)
            foreach (var node in store.NodesOf(ng))
            {
                var kubelet = EksStore.KubeletOf(node) ?? "";
                var minor = EksReleases.MinorOf(kubelet);
                var m = minor is null ? -1 : EksReleases.MinorNumber(minor);
                var name = Kubernetes.KubeStore.NameOf(node);
                string status, reason;
                if (m < 0) { status = "UNKNOWN"; reason = $"Node {name} reports no kubelet version."; }
                else if (m > c) { status = "ERROR"; reason = $"Node {name} kubelet {kubelet} is newer than the control plane {current}."; }
                else if (t - m > 3) { status = "ERROR"; reason = $"Node {name} kubelet {kubelet} would be {t - m} minors behind Kubernetes {target} (at most 3 are supported)."; }
                else if (m < c) { status = "WARNING"; reason = $"Node {name} kubelet {kubelet} trails the control plane {current}."; }
                else { status = "PASSING"; reason = $"Node {name} kubelet {kubelet} matches the control plane."; }
                resources.Add(("/api/v1/nodes/" + name, status, reason));
                if (Rank(status) > Rank(worst)) worst = status;
                if (status != "PASSING") reasons.Add(reason);
            }
        var summary = worst == "PASSING" ? "All kubelets are at the control plane's version." : string.Join(" ", reasons);
        return new EksInsight(IdOf(SkewName, target), SkewName, target, worst, summary,
            "Checks for kubelet versions of worker nodes in the cluster that are going to cause skew errors after upgrade.",
            "Upgrade your worker nodes to match the Kubernetes version of your cluster control plane.",
            resources, null, new Dictionary<string, string> { ["Kubernetes version skew policy"] = "https://kubernetes.io/releases/version-skew-policy/#supported-version-skew" });
    }

    private static EksInsight Addons(EksStore store, string target)
    {
        var resources = new List<(string, string, string)>();
        var details = new JsonArray();
        var incompatible = new List<string>();
        foreach (var name in store.AddonNames)
        {
            var addon = store.RequireAddon(EksStore.ClusterName, name);
            var info = EksAddonCatalog.Find(name)!;
            var ok = info.IsCompatible(addon.Version, target);
            var compatible = info.CompatibleWith(target).Select(v => v.Version).ToList();
            resources.Add((addon.Arn, ok ? "PASSING" : "WARNING", ok ? $"{name} {addon.Version} supports Kubernetes {target}." : $"{name} {addon.Version} does not support Kubernetes {target}."));
            details.Add(new JsonObject { ["name"] = name, ["compatibleVersions"] = new JsonArray(compatible.Select(v => (JsonNode)v).ToArray()) });
            if (!ok) incompatible.Add($"{name} {addon.Version}");
        }
        var status = incompatible.Count == 0 ? "PASSING" : "WARNING";
        return new EksInsight(IdOf(AddonName, target), AddonName, target, status,
            incompatible.Count == 0 ? $"All installed add-on versions support Kubernetes {target}." : $"Add-on versions without support for Kubernetes {target}: {string.Join(", ", incompatible)}.",
            "Checks version of installed EKS add-ons to ensure they are compatible with the next version of Kubernetes.",
            "Upgrade your EKS add-on to a version compatible with the next Kubernetes version after the control plane upgrade.",
            resources, new JsonObject { ["addonCompatibilityDetails"] = details }, new Dictionary<string, string> { ["Amazon EKS add-ons"] = "https://docs.aws.amazon.com/eks/latest/userguide/eks-add-ons.html" });
    }

    private static EksInsight DeprecatedApis(EksStore store, string target)
    {
        var name = $"Deprecated APIs removed in Kubernetes v{target}";
        var usage = store.DeprecatedApiUsage().Where(u => u.Api.StopServingVersion == target).ToList();
        var details = new JsonArray(usage.Select(u => (JsonNode)new JsonObject
        {
            ["usage"] = u.Api.Usage, ["replacedWith"] = u.Api.ReplacedWith, ["stopServingVersion"] = u.Api.StopServingVersion,
            ["startServingReplacementVersion"] = u.Api.StartServingReplacementVersion,
            ["clientStats"] = new JsonArray(u.Requests.GroupBy(r => r.UserAgent).Select(g => (JsonNode)new JsonObject
            {
                ["userAgent"] = g.Key, ["numberOfRequestsLast30Days"] = g.Count(), ["lastRequestTime"] = EksJson.Time(g.Max(r => r.At)),
            }).ToArray()),
        }).ToArray());
        var status = usage.Count == 0 ? "PASSING" : "ERROR";
        return new EksInsight(IdOf("deprecated-apis", target), name, target, status,
            usage.Count == 0 ? $"No deprecated API usage detected within the last 30 days for APIs removed in Kubernetes {target}." : $"Deprecated API usage detected within the last 30 days: {string.Join(", ", usage.Select(u => u.Api.Usage))}.",
            $"Checks for usage of deprecated APIs that are scheduled for removal in Kubernetes v{target}. Upgrading your cluster before migrating to the updated APIs supported by v{target} could cause application impact.",
            $"Update manifests and API clients to use newer Kubernetes APIs if applicable before upgrading to Kubernetes v{target}.",
            usage.Select(u => (u.Api.Usage, "ERROR", $"{u.Requests.Count} requests in the last 30 days")).ToList(),
            new JsonObject { ["deprecationDetails"] = details }, new Dictionary<string, string> { ["Kubernetes deprecated API migration guide"] = "https://kubernetes.io/docs/reference/using-api/deprecation-guide/" });
    }

    private static EksInsight Health(EksStore store, string target)
    {
        var notReady = store.NodegroupNames.SelectMany(store.NodesOf)
            .Where(n => !((n["status"]?["conditions"] as JsonArray)?.OfType<JsonObject>().Any(c => (string?)c["type"] == "Ready" && (string?)c["status"] == "True") ?? false))
            .Select(Kubernetes.KubeStore.NameOf).ToList();
        var status = notReady.Count == 0 ? "PASSING" : "WARNING";
        return new EksInsight(IdOf(HealthName, target), HealthName, target, status,
            notReady.Count == 0 ? "No cluster health issues detected." : $"Nodes not ready: {string.Join(", ", notReady)}.",
            "Checks for any cluster health issues that prevent successful upgrade to the next Kubernetes version on EKS.",
            "Refer to the resolution steps of the cluster health issue.",
            notReady.Select(n => ("/api/v1/nodes/" + n, "WARNING", "Node is not ready.")).ToList(), null, new Dictionary<string, string>());
    }

    private static int Rank(string status) => status switch { "ERROR" => 3, "WARNING" => 2, "UNKNOWN" => 1, _ => 0 };
}
