using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;

namespace RealEstateOps.Sandbox.Kubernetes;

/// <summary>
/// The cluster's controllers, run on a timer over the sandbox clock: deployments roll replica sets
/// (max surge / max unavailable), replica sets, daemon sets and stateful sets keep their pods, the
/// scheduler places pods on schedulable nodes, kubelets start pods (ready after a start-up delay, or
/// crash-looping for a broken image) and end terminating pods after their grace period; endpoints and
/// disruption-budget status follow.
/// </summary>
public sealed class KubeController
{
    public const string RevisionAnnotation = "deployment.kubernetes.io/revision";
    public const string ReleaseAnnotation = "sandbox.realestateops/release-at";
    public static readonly TimeSpan StartupDelay = TimeSpan.FromSeconds(3);
    private readonly KubeStore _store;

    public KubeController(KubeStore store) => _store = store;

    public void Tick()
    {
        lock (_store.Gate)
        {
            var now = _store.Clock.UtcNow;
            Kubelet(now);
            Schedule();
            foreach (var d in _store.Items(KubeResources.Deployments).ToList()) Deployment(d, now);
            foreach (var rs in _store.Items(KubeResources.ReplicaSets).ToList()) Owned(KubeResources.ReplicaSets, rs, JsonNumbers.Int(rs["spec"]?["replicas"]) ?? 1, ordinal: false);
            foreach (var sts in _store.Items(KubeResources.StatefulSets).ToList()) Owned(KubeResources.StatefulSets, sts, JsonNumbers.Int(sts["spec"]?["replicas"]) ?? 1, ordinal: true);
            foreach (var ds in _store.Items(KubeResources.DaemonSets).ToList()) DaemonSet(ds);
            CollectOrphans();
            foreach (var svc in _store.Items(KubeResources.Services).ToList()) Endpoints(svc);
            foreach (var pdb in _store.Items(KubeResources.PodDisruptionBudgets).ToList())
            {
                if ((string?)KubeStore.Meta(pdb)["annotations"]?[ReleaseAnnotation] is { } releaseAt &&
                    DateTimeOffset.Parse(releaseAt, System.Globalization.CultureInfo.InvariantCulture) <= now)
                {
                    // A budget the bench or demo set to be released: it stops protecting its pods after a while.
                    _store.Update(KubeResources.PodDisruptionBudgets, pdb, o => { o["spec"]!["minAvailable"] = 0; ((JsonObject)KubeStore.Meta(o)["annotations"]!).Remove(ReleaseAnnotation); });
                    continue;
                }
                var st = BudgetStatus(pdb);
                _store.Update(KubeResources.PodDisruptionBudgets, pdb, o =>
                {
                    var status = o["status"] as JsonObject ?? new JsonObject();
                    status["observedGeneration"] = KubeStore.Meta(o)["generation"]?.DeepClone();
                    status["currentHealthy"] = st.CurrentHealthy; status["desiredHealthy"] = st.DesiredHealthy;
                    status["expectedPods"] = st.ExpectedPods; status["disruptionsAllowed"] = st.Allowed;
                    o["status"] = status;
                });
            }
        }
    }

    // ------------------------------------------------------------------ kubelet and scheduler

    private void Kubelet(DateTimeOffset now)
    {
        foreach (var pod in _store.Items(KubeResources.Pods).ToList())
        {
            var meta = KubeStore.Meta(pod);
            if (meta["deletionTimestamp"] is { } dt)
            {
                if (DateTimeOffset.Parse((string)dt!, System.Globalization.CultureInfo.InvariantCulture) <= now) _store.Remove(KubeResources.Pods, pod);
                continue;
            }
            if ((string?)pod["spec"]?["nodeName"] is not { } nodeName) continue;
            if (_store.Get(KubeResources.Nodes, null, nodeName) is null)
            {
                // The node is gone (EKS terminated its instance): the pod garbage collector removes what was bound to it.
                _store.Remove(KubeResources.Pods, pod);
                continue;
            }
            var phase = (string?)pod["status"]?["phase"];
            if (phase == "Running" && KubeStore.Meta(pod)["annotations"]?["sandbox.realestateops/broken"] is null && !((string?)pod["spec"]?["containers"]?[0]?["image"] ?? "").Contains(":broken", StringComparison.Ordinal)) continue;
            var created = DateTimeOffset.Parse((string)meta["creationTimestamp"]!, System.Globalization.CultureInfo.InvariantCulture);
            var containers = (pod["spec"]?["containers"] as JsonArray)?.OfType<JsonObject>().ToList() ?? new();
            var broken = containers.Any(c => ((string?)c["image"] ?? "").Contains(":broken", StringComparison.Ordinal));
            if (phase == "Running" && !broken) continue;
            if (now - created < StartupDelay && phase is null or "Pending") continue;
            _store.Update(KubeResources.Pods, pod, o =>
            {
                var status = o["status"] as JsonObject ?? new JsonObject();
                status["phase"] = "Running";
                status["hostIP"] ??= NodeIp((string)o["spec"]!["nodeName"]!);
                status["podIP"] ??= PodIp(KubeStore.UidOf(o));
                status["startTime"] ??= KubeStore.Timestamp(created + StartupDelay);
                var restartsNow = broken ? (int)((now - created).TotalSeconds / 10) : 0;
                var statuses = new JsonArray();
                foreach (var c in containers)
                {
                    var prior = (status["containerStatuses"] as JsonArray)?.OfType<JsonObject>().FirstOrDefault(x => (string?)x["name"] == (string?)c["name"]);
                    var cs = new JsonObject
                    {
                        ["name"] = c["name"]?.DeepClone(), ["image"] = c["image"]?.DeepClone(), ["imageID"] = "docker-pullable://" + (string?)c["image"],
                        ["containerID"] = "containerd://" + Hash((string?)c["name"] + KubeStore.UidOf(o), 32),
                        ["ready"] = !broken, ["started"] = !broken, ["restartCount"] = restartsNow,
                    };
                    if (broken)
                    {
                        cs["state"] = new JsonObject { ["waiting"] = new JsonObject { ["reason"] = "CrashLoopBackOff", ["message"] = $"back-off restarting failed container {(string?)c["name"]}" } };
                        if (restartsNow > 0) cs["lastState"] = new JsonObject { ["terminated"] = new JsonObject { ["exitCode"] = 1, ["reason"] = "Error", ["finishedAt"] = KubeStore.Timestamp(created + TimeSpan.FromSeconds(restartsNow * 10)) } };
                    }
                    else cs["state"] = new JsonObject { ["running"] = new JsonObject { ["startedAt"] = (prior?["state"]?["running"]?["startedAt"] ?? (JsonNode)KubeStore.Timestamp(created + StartupDelay)).DeepClone() } };
                    statuses.Add(cs);
                }
                status["containerStatuses"] = statuses;
                var ready = broken ? "False" : "True";
                status["conditions"] = new JsonArray(
                    Condition("PodScheduled", "True"), Condition("Ready", ready), Condition("ContainersReady", ready), Condition("Initialized", "True"));
                o["status"] = status;
            });
        }
    }

    private static JsonObject Condition(string type, string status) => new() { ["type"] = type, ["status"] = status, ["lastTransitionTime"] = null };

    private void Schedule()
    {
        var nodes = _store.Items(KubeResources.Nodes).Where(n => (bool?)n["spec"]?["unschedulable"] != true && Ready(n)).Select(KubeStore.NameOf).ToList();
        var load = _store.Items(KubeResources.Pods).Where(p => !KubeStore.IsTerminating(p)).Select(p => (string?)p["spec"]?["nodeName"]).Where(n => n is not null)
            .GroupBy(n => n!).ToDictionary(g => g.Key, g => g.Count());
        foreach (var pod in _store.Items(KubeResources.Pods).Where(p => (string?)p["spec"]?["nodeName"] is null && !KubeStore.IsTerminating(p)).ToList())
        {
            var selector = pod["spec"]?["nodeSelector"] as JsonObject;
            var candidates = nodes.Where(n => selector is null || selector.All(kv => KubeStore.Labels(_store.Get(KubeResources.Nodes, null, n)!).TryGetValue(kv.Key, out var v) && v == (string?)kv.Value)).ToList();
            if (candidates.Count == 0)
            {
                _store.Update(KubeResources.Pods, pod, o => o["status"] = new JsonObject
                {
                    ["phase"] = "Pending",
                    ["conditions"] = new JsonArray(new JsonObject { ["type"] = "PodScheduled", ["status"] = "False", ["reason"] = "Unschedulable", ["message"] = "0/" + nodes.Count + " nodes are available: no schedulable node matches." }),
                });
                continue;
            }
            var node = candidates.OrderBy(n => load.GetValueOrDefault(n)).ThenBy(n => n, StringComparer.Ordinal).First();
            load[node] = load.GetValueOrDefault(node) + 1;
            _store.Update(KubeResources.Pods, pod, o => { o["spec"]!["nodeName"] = node; o["status"] = new JsonObject { ["phase"] = "Pending" }; });
        }
    }

    private static bool Ready(JsonObject node) =>
        (node["status"]?["conditions"] as JsonArray)?.OfType<JsonObject>().Any(c => (string?)c["type"] == "Ready" && (string?)c["status"] == "True") ?? true;

    public static bool PodReady(JsonObject pod) =>
        !KubeStore.IsTerminating(pod) && ((pod["status"]?["conditions"] as JsonArray)?.OfType<JsonObject>().Any(c => (string?)c["type"] == "Ready" && (string?)c["status"] == "True") ?? false);

    public static string NodeIp(string node) => "10.0." + (Math.Abs(node.GetHashCode(StringComparison.Ordinal)) % 200 + 1) + "." + (Math.Abs((node + "x").GetHashCode(StringComparison.Ordinal)) % 250 + 2);
    private static string PodIp(string uid) { var h = SHA1.HashData(Encoding.UTF8.GetBytes(uid)); return $"10.1.{h[0]}.{h[1] % 254 + 1}"; }

    // ------------------------------------------------------------------ deployments

    public static string TemplateHash(JsonNode? template)
    {
        var copy = template?.DeepClone() as JsonObject ?? new JsonObject();
        (copy["metadata"]?["labels"] as JsonObject)?.Remove("pod-template-hash");
        (copy["metadata"] as JsonObject)?.Remove("creationTimestamp");
        return Hash(Canonical(copy)?.ToJsonString() ?? "", 10);
    }

    /// <summary>The same template however a client ordered its keys or spelled empty values: keys sorted, nulls and empty objects dropped.</summary>
    private static JsonNode? Canonical(JsonNode? node) => node switch
    {
        JsonObject o => o.Where(kv => kv.Value is not null).OrderBy(kv => kv.Key, StringComparer.Ordinal)
            .Select(kv => (kv.Key, Value: Canonical(kv.Value)))
            .Where(kv => kv.Value is not null && kv.Value is not JsonObject { Count: 0 })
            .Aggregate(new JsonObject(), (acc, kv) => { acc[kv.Key] = kv.Value; return acc; }),
        JsonArray a => new JsonArray(a.Select(Canonical).ToArray()),
        null => null,
        _ => JsonNode.Parse(node.ToJsonString()),
    };

    private static string Hash(string text, int length)
    {
        var bytes = SHA256.HashData(Encoding.UTF8.GetBytes(text));
        var sb = new StringBuilder();
        foreach (var b in bytes) { sb.Append("bcdfghjklmnpqrstvwxz2456789"[b % 27]); if (sb.Length == length) break; }
        return sb.ToString();
    }

    private List<JsonObject> OwnedBy(KubeResource r, JsonObject owner) =>
        _store.Items(r, KubeStore.NamespaceOf(owner)).Where(o => (string?)KubeStore.ControllerOf(o)?["uid"] == KubeStore.UidOf(owner)).ToList();

    private static JsonObject OwnerRef(JsonObject owner) => new()
    {
        ["apiVersion"] = owner["apiVersion"]?.DeepClone(), ["kind"] = owner["kind"]?.DeepClone(), ["name"] = KubeStore.NameOf(owner),
        ["uid"] = KubeStore.UidOf(owner), ["controller"] = true, ["blockOwnerDeletion"] = true,
    };

    private static int Revision(JsonObject rs) => int.TryParse((string?)KubeStore.Meta(rs)["annotations"]?[RevisionAnnotation], out var r) ? r : 0;

    private static int Scaled(JsonNode? value, int total, bool roundUp)
    {
        if (value is null) return roundUp ? (int)Math.Ceiling(total * 0.25) : (int)Math.Floor(total * 0.25);
        var s = value.ToString();
        if (s.EndsWith('%')) { var pct = double.Parse(s[..^1], System.Globalization.CultureInfo.InvariantCulture) / 100; return roundUp ? (int)Math.Ceiling(total * pct) : (int)Math.Floor(total * pct); }
        return int.Parse(s, System.Globalization.CultureInfo.InvariantCulture);
    }

    private void Deployment(JsonObject d, DateTimeOffset now)
    {
        var spec = d["spec"] as JsonObject ?? new JsonObject();
        var replicas = JsonNumbers.Int(spec["replicas"]) ?? 1;
        var hash = TemplateHash(spec["template"]);
        var sets = OwnedBy(KubeResources.ReplicaSets, d);
        var paused = (bool?)spec["paused"] == true;
        var newRs = sets.FirstOrDefault(rs => (string?)KubeStore.Labels(rs).GetValueOrDefault("pod-template-hash") == hash);
        var maxRevision = sets.Count == 0 ? 0 : sets.Max(Revision);
        if (!paused)
        {
            if (newRs is null)
            {
                var template = (JsonObject)spec["template"]!.DeepClone();
                var labels = KubeStore.Meta(template)["labels"] as JsonObject ?? new JsonObject();
                labels["pod-template-hash"] = hash;
                KubeStore.Meta(template)["labels"] = labels;
                var selector = (JsonObject)(spec["selector"]?.DeepClone() ?? new JsonObject());
                var ml = selector["matchLabels"] as JsonObject ?? new JsonObject();
                ml["pod-template-hash"] = hash;
                selector["matchLabels"] = ml;
                var annotations = new JsonObject { [RevisionAnnotation] = (maxRevision + 1).ToString(System.Globalization.CultureInfo.InvariantCulture) };
                if ((string?)KubeStore.Meta(d)["annotations"]?["kubernetes.io/change-cause"] is { } cause) annotations["kubernetes.io/change-cause"] = cause;
                newRs = _store.Create(KubeResources.ReplicaSets, new JsonObject
                {
                    ["metadata"] = new JsonObject
                    {
                        ["name"] = KubeStore.NameOf(d) + "-" + hash, ["namespace"] = KubeStore.NamespaceOf(d), ["labels"] = labels.DeepClone(),
                        ["annotations"] = annotations, ["ownerReferences"] = new JsonArray(OwnerRef(d)),
                    },
                    ["spec"] = new JsonObject { ["replicas"] = 0, ["selector"] = selector, ["template"] = template },
                });
                sets.Add(newRs);
                maxRevision++;
            }
            else if (Revision(newRs) < maxRevision && sets.Count > 1 && sets.Where(s => s != newRs).Any(s => Revision(s) == maxRevision))
            {
                // Rolled back to an older template: that replica set becomes the newest revision again.
                var rev = maxRevision + 1;
                _store.Update(KubeResources.ReplicaSets, newRs, o => KubeStore.Meta(o)["annotations"]![RevisionAnnotation] = rev.ToString(System.Globalization.CultureInfo.InvariantCulture));
                newRs = _store.Get(KubeResources.ReplicaSets, KubeStore.NamespaceOf(newRs), KubeStore.NameOf(newRs))!;
                maxRevision = rev;
            }
            var strategy = spec["strategy"]?["rollingUpdate"];
            var surge = Scaled(strategy?["maxSurge"], replicas, roundUp: true);
            var unavailable = Scaled(strategy?["maxUnavailable"], replicas, roundUp: false);
            if (surge == 0 && unavailable == 0) unavailable = 1;
            var olds = sets.Where(s => s != newRs).ToList();
            int Spec(JsonObject rs) => JsonNumbers.Int(rs["spec"]?["replicas"]) ?? 0;
            var total = sets.Sum(Spec);
            var newWanted = Math.Min(replicas, Math.Max(Spec(newRs), Spec(newRs) + (replicas + surge - total)));
            if (olds.Count == 0 || Spec(newRs) > replicas) newWanted = replicas;
            if (newWanted != Spec(newRs)) { var w = newWanted; _store.Update(KubeResources.ReplicaSets, newRs, o => o["spec"]!["replicas"] = w); newRs = _store.Get(KubeResources.ReplicaSets, KubeStore.NamespaceOf(newRs), KubeStore.NameOf(newRs))!; }
            var ready = sets.SelectMany(rs => OwnedBy(KubeResources.Pods, rs)).Count(PodReady);
            var canRemove = ready - (replicas - unavailable);
            foreach (var old in olds.OrderBy(Revision))
            {
                var oldPods = OwnedBy(KubeResources.Pods, old).Where(p => !KubeStore.IsTerminating(p)).ToList();
                var unready = oldPods.Count(p => !PodReady(p));
                var cut = Math.Min(Spec(old), Math.Max(0, canRemove) + Math.Min(unready, Spec(old)));
                if (cut <= 0) continue;
                canRemove -= Math.Max(0, cut - unready);
                var left = Spec(old) - cut;
                _store.Update(KubeResources.ReplicaSets, old, o => o["spec"]!["replicas"] = left);
            }
        }

        // status
        var allPods = sets.SelectMany(rs => OwnedBy(KubeResources.Pods, rs)).Where(p => !KubeStore.IsTerminating(p)).ToList();
        var newPods = newRs is null ? new List<JsonObject>() : OwnedBy(KubeResources.Pods, newRs).Where(p => !KubeStore.IsTerminating(p)).ToList();
        var readyCount = allPods.Count(PodReady);
        var generation = JsonNumbers.Long(KubeStore.Meta(d)["generation"]) ?? 1;
        var complete = newRs is not null && newPods.Count(PodReady) >= replicas && allPods.Count == replicas &&
                       sets.Where(s => s != newRs).All(s => (JsonNumbers.Int(s["spec"]?["replicas"]) ?? 0) == 0);
        var deadline = TimeSpan.FromSeconds(JsonNumbers.Int(spec["progressDeadlineSeconds"]) ?? 600);
        var revision = newRs is null ? null : (string?)KubeStore.Meta(newRs)["annotations"]?[RevisionAnnotation];
        _store.Update(KubeResources.Deployments, d, o =>
        {
            if (revision is not null)
            {
                var ann = KubeStore.Meta(o)["annotations"] as JsonObject ?? new JsonObject();
                ann[RevisionAnnotation] = revision;
                KubeStore.Meta(o)["annotations"] = ann;
            }
            var status = o["status"] as JsonObject ?? new JsonObject();
            var prior = (status["conditions"] as JsonArray)?.OfType<JsonObject>().FirstOrDefault(c => (string?)c["type"] == "Progressing");
            var priorReason = (string?)prior?["reason"];
            var progressingSince = prior?["lastUpdateTime"] is { } t && JsonNumbers.Long(status["observedGeneration"]) == generation && priorReason != "NewReplicaSetAvailable"
                ? DateTimeOffset.Parse((string)t!, System.Globalization.CultureInfo.InvariantCulture) : now;
            var lastReady = JsonNumbers.Int(status["readyReplicas"]) ?? 0;
            var lastUpdated = JsonNumbers.Int(status["updatedReplicas"]) ?? 0;
            if (readyCount != lastReady || newPods.Count != lastUpdated) progressingSince = now;
            string reason, message, pstatus = "True";
            if (paused) { reason = "DeploymentPaused"; message = "Deployment is paused"; pstatus = "Unknown"; }
            else if (complete) { reason = "NewReplicaSetAvailable"; message = $"ReplicaSet \"{(newRs is null ? "" : KubeStore.NameOf(newRs))}\" has successfully progressed."; }
            else if (priorReason == "ProgressDeadlineExceeded" && JsonNumbers.Long(status["observedGeneration"]) == generation || now - progressingSince > deadline)
            { reason = "ProgressDeadlineExceeded"; message = $"ReplicaSet \"{(newRs is null ? "" : KubeStore.NameOf(newRs))}\" has timed out progressing."; pstatus = "False"; }
            else { reason = "ReplicaSetUpdated"; message = $"ReplicaSet \"{(newRs is null ? "" : KubeStore.NameOf(newRs))}\" is progressing."; }
            var keepTime = priorReason == reason && (string?)prior?["status"] == pstatus && reason != "ReplicaSetUpdated";
            status["observedGeneration"] = generation;
            status["replicas"] = allPods.Count;
            status["updatedReplicas"] = newPods.Count;
            status["readyReplicas"] = readyCount;
            status["availableReplicas"] = readyCount;
            status["unavailableReplicas"] = Math.Max(0, replicas - readyCount);
            var available = readyCount >= replicas - Scaled(spec["strategy"]?["rollingUpdate"]?["maxUnavailable"], replicas, false);
            status["conditions"] = new JsonArray(
                new JsonObject { ["type"] = "Available", ["status"] = available ? "True" : "False", ["reason"] = available ? "MinimumReplicasAvailable" : "MinimumReplicasUnavailable", ["message"] = available ? "Deployment has minimum availability." : "Deployment does not have minimum availability." },
                new JsonObject { ["type"] = "Progressing", ["status"] = pstatus, ["reason"] = reason, ["message"] = message,
                    ["lastUpdateTime"] = keepTime ? prior!["lastUpdateTime"]!.DeepClone() : KubeStore.Timestamp(reason == "ReplicaSetUpdated" ? progressingSince : now) });
            o["status"] = status;
        });
    }

    // ------------------------------------------------------------------ replica sets, stateful sets, daemon sets

    private void Owned(KubeResource r, JsonObject owner, int replicas, bool ordinal)
    {
        var pods = OwnedBy(KubeResources.Pods, owner);
        var live = pods.Where(p => !KubeStore.IsTerminating(p)).ToList();
        if (ordinal)
        {
            for (var i = 0; i < replicas; i++)
            {
                var name = KubeStore.NameOf(owner) + "-" + i;
                if (pods.Any(p => KubeStore.NameOf(p) == name) || _store.Get(KubeResources.Pods, KubeStore.NamespaceOf(owner), name) is not null) continue;
                NewPod(owner, name);
            }
            foreach (var extra in live.Where(p => int.TryParse(KubeStore.NameOf(p)[(KubeStore.NameOf(owner).Length + 1)..], out var i) && i >= replicas)) Terminate(extra, null);
        }
        else
        {
            for (var i = live.Count; i < replicas; i++) NewPod(owner, KubeStore.NameOf(owner) + "-" + KubeStore.RandomSuffix());
            foreach (var extra in live.OrderBy(p => PodReady(p)).ThenByDescending(p => (string?)KubeStore.Meta(p)["creationTimestamp"]).Take(Math.Max(0, live.Count - replicas)).ToList())
                Terminate(extra, null);
        }
        live = OwnedBy(KubeResources.Pods, owner).Where(p => !KubeStore.IsTerminating(p)).ToList();
        var ready = live.Count(PodReady);
        _store.Update(r, owner, o =>
        {
            var status = o["status"] as JsonObject ?? new JsonObject();
            status["replicas"] = live.Count; status["readyReplicas"] = ready; status["availableReplicas"] = ready;
            status["observedGeneration"] = KubeStore.Meta(o)["generation"]?.DeepClone();
            if (ordinal) { status["currentReplicas"] = live.Count; status["updatedReplicas"] = live.Count; }
            o["status"] = status;
        });
    }

    private void DaemonSet(JsonObject ds)
    {
        var pods = OwnedBy(KubeResources.Pods, ds);
        var nodes = _store.Items(KubeResources.Nodes).Select(KubeStore.NameOf).ToList();
        foreach (var node in nodes)
            if (!pods.Any(p => (string?)p["spec"]?["nodeName"] == node && !KubeStore.IsTerminating(p)))
                NewPod(ds, KubeStore.NameOf(ds) + "-" + KubeStore.RandomSuffix(), node);
        var live = OwnedBy(KubeResources.Pods, ds).Where(p => !KubeStore.IsTerminating(p)).ToList();
        // RollingUpdate with maxUnavailable 1: a pod whose containers' images differ from the template is replaced once all others are ready.
        var images = ImagesOf(ds["spec"]?["template"]);
        var outdated = live.Where(p => ImagesOf(p) != images).ToList();
        if (outdated.Count > 0 && live.Count(PodReady) == live.Count)
        {
            Terminate(outdated[0], null);
            live = OwnedBy(KubeResources.Pods, ds).Where(p => !KubeStore.IsTerminating(p)).ToList();
        }
        var updated = live.Count(p => ImagesOf(p) == images);
        _store.Update(KubeResources.DaemonSets, ds, o =>
        {
            var status = o["status"] as JsonObject ?? new JsonObject();
            status["desiredNumberScheduled"] = nodes.Count; status["currentNumberScheduled"] = live.Count;
            status["numberReady"] = live.Count(PodReady); status["numberAvailable"] = live.Count(PodReady); status["updatedNumberScheduled"] = updated;
            status["numberMisscheduled"] = 0; status["observedGeneration"] = KubeStore.Meta(o)["generation"]?.DeepClone();
            o["status"] = status;
        });
    }

    private static string ImagesOf(JsonNode? podOrTemplate) =>
        string.Join(",", ((podOrTemplate?["spec"]?["containers"] as JsonArray)?.OfType<JsonObject>() ?? Enumerable.Empty<JsonObject>()).Select(c => (string?)c["image"]));

    private void NewPod(JsonObject owner, string name, string? node = null)
    {
        var template = (JsonObject)(owner["spec"]?["template"]?.DeepClone() ?? new JsonObject());
        var meta = KubeStore.Meta(template);
        meta["name"] = name;
        meta["namespace"] = KubeStore.NamespaceOf(owner);
        meta["ownerReferences"] = new JsonArray(OwnerRef(owner));
        var spec = template["spec"] as JsonObject ?? new JsonObject();
        if (node is not null) spec["nodeName"] = node;
        spec["terminationGracePeriodSeconds"] ??= 30;
        spec["restartPolicy"] ??= "Always";
        template["spec"] = spec;
        template["status"] = new JsonObject { ["phase"] = "Pending" };
        _store.Create(KubeResources.Pods, template);
    }

    /// <summary>Starts a pod's termination: deletionTimestamp at now + grace; gone once the clock passes it.</summary>
    public void Terminate(JsonObject pod, long? gracePeriod)
    {
        lock (_store.Gate)
        {
            var grace = gracePeriod ?? JsonNumbers.Long(pod["spec"]?["terminationGracePeriodSeconds"]) ?? 30;
            if (grace <= 0 || (string?)pod["spec"]?["nodeName"] is null) { _store.Remove(KubeResources.Pods, pod); return; }
            if (KubeStore.IsTerminating(pod)) return;
            _store.Update(KubeResources.Pods, pod, o =>
            {
                KubeStore.Meta(o)["deletionTimestamp"] = KubeStore.Timestamp(_store.Clock.UtcNow + TimeSpan.FromSeconds(grace));
                KubeStore.Meta(o)["deletionGracePeriodSeconds"] = grace;
            });
        }
    }

    private void CollectOrphans()
    {
        var owners = new HashSet<string>(new[] { KubeResources.Deployments, KubeResources.ReplicaSets, KubeResources.DaemonSets, KubeResources.StatefulSets, KubeResources.Nodes }.SelectMany(r => _store.Items(r)).Select(KubeStore.UidOf));
        foreach (var r in new[] { KubeResources.ReplicaSets, KubeResources.Pods })
            foreach (var o in _store.Items(r).Where(o => KubeStore.ControllerOf(o) is { } c && !owners.Contains((string)c["uid"]!)).ToList())
                if (r == KubeResources.Pods) Terminate(o, null); else _store.Remove(r, o);
    }

    // ------------------------------------------------------------------ endpoints and budgets

    private void Endpoints(JsonObject svc)
    {
        if (svc["spec"]?["selector"] is not JsonObject selector) return;
        var pods = _store.Items(KubeResources.Pods, KubeStore.NamespaceOf(svc)).Where(p => selector.All(kv => KubeStore.Labels(p).TryGetValue(kv.Key, out var v) && v == (string?)kv.Value) && (string?)p["status"]?["podIP"] is not null).ToList();
        JsonObject Address(JsonObject p) => new()
        {
            ["ip"] = p["status"]!["podIP"]!.DeepClone(), ["nodeName"] = p["spec"]?["nodeName"]?.DeepClone(),
            ["targetRef"] = new JsonObject { ["kind"] = "Pod", ["namespace"] = KubeStore.NamespaceOf(p), ["name"] = KubeStore.NameOf(p), ["uid"] = KubeStore.UidOf(p) },
        };
        var subset = new JsonObject();
        var ready = pods.Where(PodReady).Select(p => (JsonNode)Address(p)).ToArray();
        var notReady = pods.Where(p => !PodReady(p)).Select(p => (JsonNode)Address(p)).ToArray();
        if (ready.Length > 0) subset["addresses"] = new JsonArray(ready);
        if (notReady.Length > 0) subset["notReadyAddresses"] = new JsonArray(notReady);
        subset["ports"] = new JsonArray(((svc["spec"]?["ports"] as JsonArray)?.OfType<JsonObject>() ?? Enumerable.Empty<JsonObject>())
            .Select(p => (JsonNode)new JsonObject { ["name"] = p["name"]?.DeepClone(), ["port"] = (p["targetPort"] ?? p["port"])?.DeepClone(), ["protocol"] = "TCP" }).ToArray());
        var subsets = ready.Length + notReady.Length == 0 ? new JsonArray() : new JsonArray(subset);
        var existing = _store.Get(KubeResources.Endpoints, KubeStore.NamespaceOf(svc), KubeStore.NameOf(svc));
        if (existing is null)
            _store.Create(KubeResources.Endpoints, new JsonObject { ["metadata"] = new JsonObject { ["name"] = KubeStore.NameOf(svc), ["namespace"] = KubeStore.NamespaceOf(svc), ["labels"] = KubeStore.Meta(svc)["labels"]?.DeepClone() }, ["subsets"] = subsets });
        else _store.Update(KubeResources.Endpoints, existing, o => o["subsets"] = subsets);
    }

    public sealed record Budget(int CurrentHealthy, int DesiredHealthy, int ExpectedPods, int Allowed);

    /// <summary>
    /// Why the eviction subresource would refuse to evict a pod now (its disruption budget allows no disruption: 429;
    /// several budgets select it: 500), or null when it may go. The API's eviction and EKS's node-group drain both ask here.
    /// </summary>
    public KubeApiException? EvictionRefusal(JsonObject pod)
    {
        lock (_store.Gate)
        {
            if (KubeStore.IsTerminating(pod) || (string?)pod["status"]?["phase"] is "Succeeded" or "Failed") return null;
            var budgets = BudgetsOf(pod);
            if (budgets.Count > 1)
                return new KubeApiException(500, "InternalError", "This pod has more than one PodDisruptionBudget, which the eviction subresource does not support.");
            if (budgets.Count == 0 || !PodReady(pod)) return null;
            var status = BudgetStatus(budgets[0]);
            if (status.Allowed > 0) return null;
            return new KubeApiException(429, "TooManyRequests", "Cannot evict pod as it would violate the pod's disruption budget.",
                new JsonObject
                {
                    ["causes"] = new JsonArray(new JsonObject
                    {
                        ["reason"] = "DisruptionBudget",
                        ["message"] = $"The disruption budget {KubeStore.NameOf(budgets[0])} needs {status.DesiredHealthy} healthy pods and has {status.CurrentHealthy} currently",
                    }),
                });
        }
    }

    /// <summary>The disruption budgets whose selector matches a pod.</summary>
    public List<JsonObject> BudgetsOf(JsonObject pod)
    {
        lock (_store.Gate)
        {
            var labels = KubeStore.Labels(pod);
            return _store.Items(KubeResources.PodDisruptionBudgets, KubeStore.NamespaceOf(pod)).Where(b => KubeSelectors.Matches(b["spec"]?["selector"] as JsonObject, labels)).ToList();
        }
    }

    /// <summary>What a budget allows now: healthy (ready, not terminating) pods against minAvailable / maxUnavailable of the expected pods.</summary>
    public Budget BudgetStatus(JsonObject pdb)
    {
        lock (_store.Gate)
        {
            var selector = pdb["spec"]?["selector"] as JsonObject;
            var pods = _store.Items(KubeResources.Pods, KubeStore.NamespaceOf(pdb)).Where(p => KubeSelectors.Matches(selector, KubeStore.Labels(p))).ToList();
            var healthy = pods.Count(PodReady);
            var expected = 0;
            foreach (var group in pods.GroupBy(p => (string?)KubeStore.ControllerOf(p)?["uid"] ?? KubeStore.UidOf(p)))
            {
                var ctrl = KubeStore.ControllerOf(group.First());
                var owner = ctrl is null ? null : KubeResources.ByKind((string)ctrl["kind"]!) is { } kind ? _store.Get(kind, KubeStore.NamespaceOf(pdb), (string)ctrl["name"]!) : null;
                expected += owner is null ? group.Count(p => !KubeStore.IsTerminating(p)) : JsonNumbers.Int(owner["spec"]?["replicas"]) ?? group.Count();
            }
            int desired;
            if (pdb["spec"]?["minAvailable"] is { } min) desired = Scaled(min, expected, roundUp: true);
            else if (pdb["spec"]?["maxUnavailable"] is { } max) desired = expected - Scaled(max, expected, roundUp: true);
            else desired = expected;
            return new Budget(healthy, desired, expected, Math.Max(0, healthy - desired));
        }
    }
}
