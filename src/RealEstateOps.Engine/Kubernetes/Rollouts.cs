using System.Globalization;
using System.Text.Json.Nodes;
using k8s;
using k8s.Models;
using RealEstateOps.Engine.Common;
using RealEstateOps.Engine.Waiting;

namespace RealEstateOps.Engine.Kubernetes;

/// <summary>kubectl rollout restart / status / undo / history, with kubectl's semantics.</summary>
public sealed class Rollouts
{
    private static readonly HashSet<string> AnnotationsToSkip = new(StringComparer.Ordinal)
    {
        "kubectl.kubernetes.io/last-applied-configuration", Kube.RevisionAnnotation, "deployment.kubernetes.io/revision-history",
        "deployment.kubernetes.io/desired-replicas", "deployment.kubernetes.io/max-replicas", "deprecated.deployment.rollback.to",
    };

    private readonly KubeClient _client;
    private readonly TimeProvider _time;

    public Rollouts(KubeClient client, TimeProvider? time = null)
    {
        _client = client;
        _time = time ?? TimeProvider.System;
    }

    private Task<V1Deployment> GetAsync(string ns, string name, CancellationToken ct) =>
        _client.Call(api => api.AppsV1.ReadNamespacedDeploymentAsync(name, ns, cancellationToken: ct), "Deployment", name, ns);

    private static OpsException Paused(string ns, string name, string what) =>
        new("DeploymentPaused", OpsErrorCategory.InvalidOperation,
            $"Deployment '{name}' in namespace '{ns}' is paused: {what}. Resume it first (kubectl rollout resume deployment/{name}).", name);

    /// <summary>Sets spec.template's kubectl.kubernetes.io/restartedAt annotation to now, as kubectl rollout restart does; refuses a paused deployment.</summary>
    public async Task<RolloutStatus> RestartAsync(RolloutRequest request, CancellationToken ct)
    {
        var (ns, name) = (request.Namespace, request.Name);
        var d = await GetAsync(ns, name, ct).ConfigureAwait(false);
        if (d.Spec.Paused == true) throw Paused(ns, name, "a paused deployment cannot be restarted");
        var now = _time.GetLocalNow();
        var stamp = now.ToString("yyyy-MM-dd'T'HH:mm:ssK", CultureInfo.InvariantCulture).Replace("+00:00", "Z");
        var patch = new JsonObject { ["spec"] = new JsonObject { ["template"] = new JsonObject { ["metadata"] = new JsonObject { ["annotations"] = new JsonObject { [Kube.RestartedAtAnnotation] = stamp } } } } };
        var updated = await _client.Call(api => api.AppsV1.PatchNamespacedDeploymentAsync(
            new V1Patch(patch.ToJsonString(), V1Patch.PatchType.StrategicMergePatch), name, ns, cancellationToken: ct), "Deployment", name, ns).ConfigureAwait(false);
        var status = Evaluate(updated);
        return new RolloutStatus
        {
            Namespace = ns, Name = name, Revision = status.Revision, Replicas = status.Replicas, Updated = status.Updated, Ready = status.Ready, Available = status.Available,
            Status = RolloutState.Progressing, Message = $"restarted at {stamp}", RestartedAt = now,
        };
    }

    /// <summary>kubectl rollout status: waits until the new replica set is fully rolled out; a passed progress deadline is a failure.</summary>
    public async Task<RolloutStatus> WaitAsync(RolloutRequest request, IProgress<WaitProgress>? progress, CancellationToken ct)
    {
        var (ns, name, timeout) = (request.Namespace, request.Name, request.Timeout);
        var started = _time.GetTimestamp();
        var last = await Waiter.WaitAsync(
            async token => Evaluate(await GetAsync(ns, name, token).ConfigureAwait(false)),
            s => s.Status switch
            {
                RolloutState.Complete => WaitCheck.Done(s.Message),
                RolloutState.Failed => WaitCheck.Failed(s.Message),
                _ => WaitCheck.Pending(s.Message, s.Replicas > 0 ? s.Updated * 100 / Math.Max(1, s.Replicas) : null),
            },
            new WaitOptions
            {
                Activity = $"Rollout of deployment {ns}/{name}", Timeout = timeout, InitialInterval = TimeSpan.FromMilliseconds(500), MaxInterval = TimeSpan.FromSeconds(5),
                TimeoutErrorId = "RolloutTimeout", FailedErrorId = "RolloutFailed", Target = name, Time = _time,
            }, progress, ct).ConfigureAwait(false);
        last.Duration = _time.GetElapsedTime(started);
        return last;
    }

    /// <summary>kubectl's deployment status viewer, step by step.</summary>
    public static RolloutStatus Evaluate(V1Deployment d)
    {
        var ns = d.Metadata.NamespaceProperty ?? "";
        var name = d.Metadata.Name;
        var s = d.Status ?? new V1DeploymentStatus();
        var replicas = d.Spec.Replicas ?? 1;
        var revision = d.Metadata.Annotations?.TryGetValue(Kube.RevisionAnnotation, out var r) == true ? r : null;
        RolloutState status;
        string message;
        if ((d.Metadata.Generation ?? 0) <= (s.ObservedGeneration ?? 0))
        {
            var progressing = s.Conditions?.FirstOrDefault(c => c.Type == "Progressing");
            if (progressing?.Reason == "ProgressDeadlineExceeded") { status = RolloutState.Failed; message = $"deployment \"{name}\" exceeded its progress deadline"; }
            else if ((s.UpdatedReplicas ?? 0) < replicas) { status = RolloutState.Progressing; message = $"Waiting for deployment \"{name}\" rollout to finish: {s.UpdatedReplicas ?? 0} out of {replicas} new replicas have been updated..."; }
            else if ((s.Replicas ?? 0) > (s.UpdatedReplicas ?? 0)) { status = RolloutState.Progressing; message = $"Waiting for deployment \"{name}\" rollout to finish: {(s.Replicas ?? 0) - (s.UpdatedReplicas ?? 0)} old replicas are pending termination..."; }
            else if ((s.AvailableReplicas ?? 0) < (s.UpdatedReplicas ?? 0)) { status = RolloutState.Progressing; message = $"Waiting for deployment \"{name}\" rollout to finish: {s.AvailableReplicas ?? 0} of {s.UpdatedReplicas ?? 0} updated replicas are available..."; }
            else { status = RolloutState.Complete; message = $"deployment \"{name}\" successfully rolled out"; }
        }
        else { status = RolloutState.Progressing; message = "Waiting for deployment spec update to be observed..."; }
        DateTimeOffset? restartedAt = d.Spec.Template?.Metadata?.Annotations?.TryGetValue(Kube.RestartedAtAnnotation, out var ra) == true &&
            DateTimeOffset.TryParse(ra, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var parsed) ? parsed : null;
        return new RolloutStatus
        {
            Namespace = ns, Name = name, Revision = revision, Replicas = replicas, Updated = s.UpdatedReplicas ?? 0, Ready = s.ReadyReplicas ?? 0,
            Available = s.AvailableReplicas ?? 0, Status = status, Message = message, RestartedAt = restartedAt,
        };
    }

    private async Task<List<V1ReplicaSet>> ReplicaSetsAsync(V1Deployment d, CancellationToken ct)
    {
        var ns = d.Metadata.NamespaceProperty;
        var list = await _client.Call(api => api.AppsV1.ListNamespacedReplicaSetAsync(ns, labelSelector: Kube.SelectorString(d.Spec.Selector), cancellationToken: ct),
            "ReplicaSet", null, ns).ConfigureAwait(false);
        return list.Items.Where(rs => rs.Metadata.OwnerReferences?.Any(o => o.Controller == true && o.Uid == d.Metadata.Uid) == true).ToList();
    }

    private static int RevisionOf(V1ReplicaSet rs) =>
        rs.Metadata.Annotations?.TryGetValue(Kube.RevisionAnnotation, out var v) == true && int.TryParse(v, out var n) ? n : 0;

    /// <summary>The deployment's revisions, oldest first.</summary>
    public async Task<List<RolloutRevision>> HistoryAsync(RolloutRequest request, CancellationToken ct)
    {
        var (ns, name) = (request.Namespace, request.Name);
        var d = await GetAsync(ns, name, ct).ConfigureAwait(false);
        var current = d.Metadata.Annotations?.TryGetValue(Kube.RevisionAnnotation, out var c) == true ? c : null;
        return (await ReplicaSetsAsync(d, ct).ConfigureAwait(false))
            .Select(rs => new RolloutRevision
            {
                Namespace = ns, Deployment = name, Revision = RevisionOf(rs), ReplicaSet = rs.Metadata.Name,
                ChangeCause = rs.Metadata.Annotations?.TryGetValue(Kube.ChangeCauseAnnotation, out var cause) == true ? cause : null,
                Images = rs.Spec.Template?.Spec?.Containers?.Select(x => x.Image).ToArray() ?? Array.Empty<string>(),
                Replicas = rs.Status?.Replicas ?? 0,
                Created = rs.Metadata.CreationTimestamp is { } t ? new DateTimeOffset(DateTime.SpecifyKind(t, DateTimeKind.Utc)) : null,
                IsCurrent = RevisionOf(rs).ToString(CultureInfo.InvariantCulture) == current,
            })
            .Where(r => r.Revision > 0)
            .OrderBy(r => r.Revision).ToList();
    }

    /// <summary>The revision Undo would go to, and whether it would be skipped (for -WhatIf and the prompt).</summary>
    public async Task<UndoPlan> PlanUndoAsync(RolloutRequest request, CancellationToken ct)
    {
        var (_, _, revision, matches) = await FindUndoTargetAsync(request.Namespace, request.Name, request.ToRevision, ct).ConfigureAwait(false);
        return new UndoPlan(revision, matches);
    }

    private async Task<(V1Deployment Deployment, V1ReplicaSet Target, int Revision, bool Matches)> FindUndoTargetAsync(string ns, string name, int toRevision, CancellationToken ct)
    {
        var d = await GetAsync(ns, name, ct).ConfigureAwait(false);
        if (d.Spec.Paused == true) throw Paused(ns, name, "you cannot roll back a paused deployment");
        var sets = await ReplicaSetsAsync(d, ct).ConfigureAwait(false);
        V1ReplicaSet? target;
        if (toRevision > 0)
        {
            target = sets.FirstOrDefault(rs => RevisionOf(rs) == toRevision)
                ?? throw new OpsException("RolloutRevisionNotFound", OpsErrorCategory.ObjectNotFound, $"Deployment '{name}' has no revision {toRevision}; Get-RolloutHistory lists its revisions.", toRevision);
        }
        else
        {
            // kubectl: the previous revision is the second highest.
            var ordered = sets.Where(rs => RevisionOf(rs) > 0).OrderByDescending(RevisionOf).ToList();
            if (ordered.Count < 2)
                throw new OpsException("RolloutHistoryEmpty", OpsErrorCategory.InvalidOperation, $"No rollout history found for deployment '{name}': there is no previous revision to roll back to.", name);
            target = ordered[1];
        }
        return (d, target, RevisionOf(target), TemplatesEqual(target.Spec.Template, d.Spec.Template));
    }

    /// <summary>
    /// kubectl rollout undo: replaces the template with the revision's (a JSON patch), skipped when it already matches.
    /// What it did is also reported as a Verbose note.
    /// </summary>
    public async Task<RollbackResult> UndoAsync(RolloutRequest request, IProgress<OpsEvent>? events, CancellationToken ct)
    {
        var (ns, name) = (request.Namespace, request.Name);
        var (d, target, revision, matches) = await FindUndoTargetAsync(ns, name, request.ToRevision, ct).ConfigureAwait(false);
        var images = target.Spec.Template?.Spec?.Containers?.Select(c => c.Image).ToArray() ?? Array.Empty<string>();
        if (matches)
        {
            var skipped = new RollbackResult { Namespace = ns, Name = name, ToRevision = revision, Skipped = true, Images = images, Message = $"skipped rollback (current template already matches revision {revision})" };
            events.Verbose(skipped.Message);
            return skipped;
        }
        var template = JsonNode.Parse(KubernetesJson.Serialize(target.Spec.Template))!.AsObject();
        (template["metadata"]?["labels"] as JsonObject)?.Remove(Kube.PodTemplateHashLabel);
        var annotations = new JsonObject();
        foreach (var (k, v) in d.Metadata.Annotations ?? new Dictionary<string, string>()) if (AnnotationsToSkip.Contains(k)) annotations[k] = v;
        foreach (var (k, v) in target.Metadata.Annotations ?? new Dictionary<string, string>()) if (!AnnotationsToSkip.Contains(k)) annotations[k] = v;
        var patch = new JsonArray(
            new JsonObject { ["op"] = "replace", ["path"] = "/spec/template", ["value"] = template },
            new JsonObject { ["op"] = "replace", ["path"] = "/metadata/annotations", ["value"] = annotations });
        await _client.Call(api => api.AppsV1.PatchNamespacedDeploymentAsync(new V1Patch(patch.ToJsonString(), V1Patch.PatchType.JsonPatch), name, ns, cancellationToken: ct),
            "Deployment", name, ns).ConfigureAwait(false);
        var result = new RollbackResult { Namespace = ns, Name = name, ToRevision = revision, Images = images, Message = $"rolled back to revision {revision}" };
        events.Verbose(result.Message);
        return result;
    }

    /// <summary>Templates equal when the pod-template-hash label is ignored (and empty values, as the API server drops them).</summary>
    public static bool TemplatesEqual(V1PodTemplateSpec? a, V1PodTemplateSpec? b) => Canonical(Strip(a))?.ToJsonString() == Canonical(Strip(b))?.ToJsonString();

    private static JsonNode? Strip(V1PodTemplateSpec? t)
    {
        var node = JsonNode.Parse(KubernetesJson.Serialize(t ?? new V1PodTemplateSpec()));
        (node?["metadata"]?["labels"] as JsonObject)?.Remove(Kube.PodTemplateHashLabel);
        (node?["metadata"] as JsonObject)?.Remove("creationTimestamp");
        return node;
    }

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
}
