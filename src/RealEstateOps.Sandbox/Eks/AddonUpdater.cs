using System.Text.Json.Nodes;
using RealEstateOps.Sandbox.Kubernetes;

namespace RealEstateOps.Sandbox.Eks;

/// <summary>
/// UpdateAddon on the sandbox clock: EKS applies the add-on's manifests (checking for conflicts with changes made outside
/// EKS: resolveConflicts NONE fails the update with ConfigurationConflict, OVERWRITE replaces them, PRESERVE keeps them), the
/// workload in kube-system rolls to the new image (aws-node, kube-proxy, ... where the sandbox runs one), and the update
/// succeeds once it has.
/// </summary>
internal sealed class AddonUpdater : IEksUpdateController
{
    public static readonly TimeSpan ApplyTime = TimeSpan.FromSeconds(45);
    private readonly EksStore _store;
    private readonly EksAddon _addon;
    private readonly EksAddonInfo _info;
    private readonly string _version;
    private readonly string _resolve;
    private readonly DateTimeOffset _start;

    public AddonUpdater(EksStore store, EksAddon addon, EksAddonInfo info, string version, string resolve, DateTimeOffset start)
    {
        _store = store;
        _addon = addon;
        _info = info;
        _version = version;
        _resolve = resolve;
        _start = start;
    }

    public string Phase { get; private set; } = "applying";

    private KubeResource? Kind => _info.WorkloadKind switch { "DaemonSet" => KubeResources.DaemonSets, "Deployment" => KubeResources.Deployments, _ => null };

    private JsonObject? Workload() => Kind is { } kind && _info.WorkloadName is { } name ? _store.Kube.Get(kind, "kube-system", name) : null;

    public void Step(EksUpdate update, DateTimeOffset now)
    {
        if (Phase == "applying")
        {
            if (now - _start < ApplyTime) return;
            var workload = Workload();
            var container = workload?["spec"]?["template"]?["spec"]?["containers"]?[0] as JsonObject;
            var image = (string?)container?["image"];
            var drifted = image is not null && image != _info.Image(_addon.Version);
            if (drifted && _resolve == "NONE")
            {
                update.Fail("ConfigurationConflict",
                    $"Conflicts found when trying to apply. Will not continue due to resolve conflicts mode. Conflicts: {_info.WorkloadKind} {_info.WorkloadName} {_info.WorkloadName} - .spec.template.spec.containers[name=\"{(string?)container?["name"]}\"].image (image {image} differs from the one EKS manages, {_info.Image(_addon.Version)})",
                    new[] { $"kube-system/{_info.WorkloadName}" });
                Phase = "failed";
                _addon.ModifiedAt = now;
                return;
            }
            if (workload is not null && !(drifted && _resolve == "PRESERVE"))
            {
                var wanted = _info.Image(_version);
                _store.Kube.Update(Kind!, workload, o =>
                {
                    o["spec"]!["template"]!["spec"]!["containers"]![0]!["image"] = wanted;
                    var meta = KubeStore.Meta(o);
                    meta["generation"] = (JsonNumbers.Long(meta["generation"]) ?? 1) + 1;
                });
            }
            _addon.Version = _version;
            _addon.ModifiedAt = now;
            Phase = "rolling-out";
            return;
        }
        if (Phase == "rolling-out")
        {
            if (Workload() is { } w && !RolledOut(w)) return;
            Phase = "done";
            update.Status = "Successful";
        }
    }

    private bool RolledOut(JsonObject workload)
    {
        var image = (string?)workload["spec"]?["template"]?["spec"]?["containers"]?[0]?["image"];
        var pods = _store.Kube.Items(KubeResources.Pods, "kube-system")
            .Where(p => (string?)KubeStore.ControllerOf(p)?["uid"] == KubeStore.UidOf(workload) || IsReplicaOf(p, workload)).ToList();
        return pods.Count > 0 && pods.All(p => !KubeStore.IsTerminating(p) && KubeController.PodReady(p) && (string?)p["spec"]?["containers"]?[0]?["image"] == image);
    }

    private bool IsReplicaOf(JsonObject pod, JsonObject workload)
    {
        if ((string?)workload["kind"] != "Deployment" || KubeStore.ControllerOf(pod) is not { } owner || (string?)owner["kind"] != "ReplicaSet") return false;
        var rs = _store.Kube.Get(KubeResources.ReplicaSets, "kube-system", (string)owner["name"]!);
        return rs is not null && (string?)KubeStore.ControllerOf(rs)?["uid"] == KubeStore.UidOf(workload);
    }
}
