using System.Text.Json.Nodes;
using RealEstateOps.Sandbox.Kubernetes;

namespace RealEstateOps.Sandbox.ArgoCd;

/// <summary>
/// Argo CD's application controller over the Kubernetes sandbox: compares each application's manifests (from git, at the commit
/// its target revision names now) with the live objects (sync status: every field a manifest sets equals the live object's;
/// health: gitops-engine's, the worst of the resources'), runs sync operations on the sandbox clock (Running, then the manifests
/// applied and Succeeded, Failed or Error; a history entry per successful sync) and syncs automatically when the target revision
/// moves to a commit not yet synced and the application's syncPolicy.automated is set. One pass at a time.
/// </summary>
public sealed class ArgoSyncController
{
    /// <summary>How long (sandbox time) a sync runs before its manifests are applied.</summary>
    public static readonly TimeSpan SyncDuration = TimeSpan.FromSeconds(2);
    private readonly ArgoCdStore _store;
    private readonly ArgoGitRepository _git;
    private readonly Func<KubeStore?> _kube;
    private readonly SemaphoreSlim _pass = new(1, 1);

    public ArgoSyncController(ArgoCdStore store, ArgoGitRepository git, Func<KubeStore?> kube)
    {
        _store = store;
        _git = git;
        _kube = kube;
    }

    private KubeStore Kube => _kube() ?? throw new ArgoCdFault(ArgoCdFault.Unavailable, "the cluster https://kubernetes.default.svc is not reachable");

    /// <summary>Moves operations forward and, when <paramref name="compare"/>, compares every application again (and syncs automatically).</summary>
    public async Task TickAsync(bool compare, CancellationToken ct)
    {
        await _pass.WaitAsync(ct).ConfigureAwait(false);
        try
        {
            foreach (var app in _store.All())
            {
                await ProgressOperationAsync(app, ct).ConfigureAwait(false);
                if (!compare) continue;
                await CompareAsync(app, ct).ConfigureAwait(false);
                StartAutomatedSync(app);
            }
        }
        finally { _pass.Release(); }
    }

    /// <summary>A refresh (GET ...?refresh=normal|hard): the application compared again now, as the API answers it.</summary>
    public async Task RefreshAsync(ArgoApplication app, CancellationToken ct)
    {
        await _pass.WaitAsync(ct).ConfigureAwait(false);
        try
        {
            await CompareAsync(app, ct).ConfigureAwait(false);
            StartAutomatedSync(app);
        }
        finally { _pass.Release(); }
    }

    // ------------------------------------------------------------------ comparison

    private async Task CompareAsync(ArgoApplication app, CancellationToken ct)
    {
        string target, path, ns;
        lock (_store.Gate) (target, path, ns) = (app.TargetRevision, app.SourcePath, app.DestinationNamespace);
        string? sha = null, error = null;
        IReadOnlyList<ArgoManifest> manifests = Array.Empty<ArgoManifest>();
        try
        {
            sha = await _git.ResolveAsync(target, ct).ConfigureAwait(false);
            manifests = await _git.ManifestsAsync(sha, path, ct).ConfigureAwait(false);
        }
        catch (ArgoGitException ex) { error = "Failed to load target state: failed to generate manifest for source 1 of 1: rpc error: code = Unknown desc = " + ex.Message; }

        var resources = new JsonArray();
        var worst = ArgoResourceHealth.Healthy;
        var images = new SortedSet<string>(StringComparer.Ordinal);
        var synced = error is null;
        var kube = Kube;
        lock (kube.Gate)
        {
            foreach (var m in manifests.OrderBy(m => ResourceKey(m.Object), StringComparer.Ordinal))
            {
                var (group, version, kind, name) = Identity(m.Object);
                var mns = (string?)m.Object["metadata"]?["namespace"] ?? ns;
                var r = KubeResources.ByKind(kind);
                var live = r is null ? null : kube.Get(r, r.Namespaced ? mns : null, name);
                var inSync = live is not null && Covers(m.Object["spec"], live["spec"]) && Covers(m.Object["data"], live["data"]) && Covers(m.Object["metadata"]?["labels"], live["metadata"]?["labels"]);
                synced &= inSync;
                var health = live is null ? ArgoResourceHealth.Missing : ArgoHealth.Of(live);
                if (ArgoResourceHealth.Rank(health.Status) > ArgoResourceHealth.Rank(worst.Status)) worst = health;
                var entry = new JsonObject();
                if (group.Length > 0) entry["group"] = group;
                entry["version"] = version; entry["kind"] = kind;
                if (r?.Namespaced != false) entry["namespace"] = mns;
                entry["name"] = name; entry["status"] = inSync ? "Synced" : "OutOfSync";
                resources.Add(entry);
                if (live?["spec"]?["template"]?["spec"]?["containers"] is JsonArray containers)
                    foreach (var c in containers.OfType<JsonObject>()) if ((string?)c["image"] is { } image) images.Add(image);
            }
        }
        var now = _store.Clock.UtcNow;
        lock (_store.Gate)
        {
            var syncStatus = error is not null ? "Unknown" : synced ? "Synced" : "OutOfSync";
            var healthStatus = error is not null && manifests.Count == 0 ? app.HealthStatus : worst.Status;
            var changed = syncStatus != app.SyncStatus || healthStatus != app.HealthStatus || sha != app.ComparedRevision || error != app.ComparisonError ||
                          !JsonNode.DeepEquals(resources, app.Resources);
            if (healthStatus != app.HealthStatus) app.HealthChangedAt = now;
            app.SyncStatus = syncStatus;
            app.HealthStatus = healthStatus;
            app.ComparedRevision = sha ?? app.ComparedRevision;
            app.ComparisonError = error;
            app.Resources = resources;
            app.Images = new JsonArray(images.Select(i => (JsonNode?)JsonValue.Create(i)).ToArray());
            app.ReconciledAt = now;
            if (changed) _store.Touch(app);
        }
    }

    /// <summary>Every field the desired value sets equals the live value's (objects: field by field; lists: same length, item by item).</summary>
    internal static bool Covers(JsonNode? desired, JsonNode? live) => desired switch
    {
        null => true,
        JsonObject d => live is JsonObject l && d.All(kv => kv.Value is null || Covers(kv.Value, l[kv.Key])),
        JsonArray d => live is JsonArray l && d.Count == l.Count && d.Select((x, i) => Covers(x, l[i])).All(b => b),
        _ => live is not null && JsonNode.DeepEquals(desired, live),
    };

    internal static (string Group, string Version, string Kind, string Name) Identity(JsonObject o)
    {
        var apiVersion = (string?)o["apiVersion"] ?? "v1";
        var slash = apiVersion.IndexOf('/');
        return (slash < 0 ? "" : apiVersion[..slash], slash < 0 ? apiVersion : apiVersion[(slash + 1)..], (string?)o["kind"] ?? "", (string?)o["metadata"]?["name"] ?? "");
    }

    private static string ResourceKey(JsonObject o)
    {
        var (group, _, kind, name) = Identity(o);
        return group + "/" + kind + "/" + name;
    }

    // ------------------------------------------------------------------ operations

    /// <summary>
    /// Sets an application's operation (a sync, a rollback's sync, an automated sync): refused while one runs, as argocd-server
    /// refuses it ("another operation is already in progress").
    /// </summary>
    public void StartOperation(ArgoApplication app, JsonObject sync, JsonObject initiatedBy)
    {
        lock (_store.Gate)
        {
            if (app.Operation is not null) throw new ArgoCdFault(ArgoCdFault.FailedPrecondition, "another operation is already in progress");
            var operation = new JsonObject { ["sync"] = sync, ["initiatedBy"] = initiatedBy, ["retry"] = new JsonObject() };
            app.Operation = operation;
            app.OperationState = new JsonObject
            {
                ["operation"] = operation.DeepClone(), ["phase"] = "Running", ["message"] = "", ["startedAt"] = ArgoCdJson.Time(_store.Clock.UtcNow),
            };
            _store.Touch(app);
        }
    }

    /// <summary>DELETE .../operation: the running operation is asked to stop (Terminating, then Failed "Operation terminated").</summary>
    public void Terminate(ArgoApplication app)
    {
        lock (_store.Gate)
        {
            if (app.Operation is null || app.OperationState is null || (string?)app.OperationState["phase"] is not ("Running" or "Terminating"))
                throw ArgoCdFault.Invalid("Unable to terminate operation. No operation is in progress");
            app.OperationState["phase"] = "Terminating";
            _store.Touch(app);
        }
    }

    private async Task ProgressOperationAsync(ArgoApplication app, CancellationToken ct)
    {
        JsonObject sync, initiatedBy;
        DateTimeOffset startedAt;
        string phase, path, ns, target;
        JsonNode? source;
        lock (_store.Gate)
        {
            if (app.Operation is null || app.OperationState is null) return;
            phase = (string?)app.OperationState["phase"] ?? "Running";
            startedAt = DateTimeOffset.Parse((string)app.OperationState["startedAt"]!, System.Globalization.CultureInfo.InvariantCulture);
            sync = (JsonObject)app.Operation["sync"]!.DeepClone();
            initiatedBy = (JsonObject)app.Operation["initiatedBy"]!.DeepClone();
            (path, ns, target) = (app.SourcePath, app.DestinationNamespace, app.TargetRevision);
            source = sync["source"]?.DeepClone() ?? app.Spec["source"]?.DeepClone();
        }
        if (phase == "Terminating") { Finish(app, "Failed", "Operation terminated", null); return; }
        if (_store.Clock.UtcNow - startedAt < SyncDuration) return;

        var revision = (string?)sync["revision"] is { Length: > 0 } asked ? asked : (string?)source?["targetRevision"] ?? target;
        path = (string?)source?["path"] ?? path;
        string sha;
        IReadOnlyList<ArgoManifest> manifests;
        try
        {
            sha = await _git.ResolveAsync(revision, ct).ConfigureAwait(false);
            manifests = await _git.ManifestsAsync(sha, path, ct).ConfigureAwait(false);
        }
        catch (ArgoGitException ex)
        {
            Finish(app, "Error", "ComparisonError: Failed to load target state: failed to generate manifest for source 1 of 1: rpc error: code = Unknown desc = " + ex.Message, null);
            return;
        }
        var dryRun = ArgoCdJson.Bool(sync["dryRun"]);
        var only = (sync["resources"] as JsonArray)?.OfType<JsonObject>().ToList();
        var results = new JsonArray();
        var failures = new List<string>();
        var kube = Kube;
        foreach (var m in manifests)
        {
            var (group, version, kind, name) = Identity(m.Object);
            var mns = (string?)m.Object["metadata"]?["namespace"] ?? ns;
            if (only is { Count: > 0 } && !only.Any(s => ((string?)s["group"] ?? "") == group && (string?)s["kind"] == kind && (string?)s["name"] == name &&
                                                           ((string?)s["namespace"] is not { Length: > 0 } sns || sns == mns))) continue;
            var r = KubeResources.ByKind(kind);
            var result = new JsonObject { ["group"] = group, ["version"] = version, ["kind"] = kind, ["namespace"] = r?.Namespaced == false ? "" : mns, ["name"] = name };
            var display = (group.Length == 0 ? kind.ToLowerInvariant() : kind.ToLowerInvariant() + "." + group) + "/" + name;
            try
            {
                if (r is null) throw new KubeApiException(404, "NotFound", $"the server could not find the requested resource (kind {kind} in {group}/{version})");
                var verb = Apply(kube, r, r.Namespaced ? mns : null, m.Object, dryRun);
                result["status"] = "Synced";
                result["message"] = display + " " + verb + (dryRun ? " (dry run)" : "");
            }
            catch (KubeApiException ex)
            {
                result["status"] = "SyncFailed";
                result["message"] = ex.Message;
                failures.Add(ex.Message);
            }
            result["hookPhase"] = "Running";
            result["syncPhase"] = "Sync";
            results.Add(result);
        }
        var syncResult = new JsonObject { ["resources"] = results, ["revision"] = sha, ["source"] = source?.DeepClone() };
        if (failures.Count > 0) Finish(app, "Failed", "one or more objects failed to apply, reason: " + string.Join(", ", failures), syncResult);
        else
        {
            Finish(app, "Succeeded", "successfully synced (all tasks run)", syncResult, history: dryRun ? null : new JsonObject
            {
                ["revision"] = sha, ["source"] = source?.DeepClone(), ["initiatedBy"] = initiatedBy,
            });
        }
        await CompareAsync(app, ct).ConfigureAwait(false);
    }

    private void Finish(ArgoApplication app, string phase, string message, JsonObject? syncResult, JsonObject? history = null)
    {
        var now = _store.Clock.UtcNow;
        lock (_store.Gate)
        {
            var state = app.OperationState!;
            state["phase"] = phase;
            state["message"] = message;
            if (syncResult is not null) state["syncResult"] = syncResult;
            state["finishedAt"] = ArgoCdJson.Time(now);
            if (history is not null)
            {
                history["deployedAt"] = ArgoCdJson.Time(now);
                history["id"] = app.History.Count == 0 ? 0L : (ArgoCdJson.Int64(app.History[^1]["id"]) ?? app.History.Count - 1) + 1;
                history["deployStartedAt"] = state["startedAt"]!.DeepClone();
                app.History.Add(Ordered(history));
                while (app.History.Count > 10) app.History.RemoveAt(0); // revisionHistoryLimit's default
            }
            app.Operation = null;
            _store.Touch(app);
        }
    }

    /// <summary>A history entry's fields in the order argocd-server writes them.</summary>
    internal static JsonObject Ordered(JsonObject h)
    {
        var o = new JsonObject();
        foreach (var key in new[] { "revision", "deployedAt", "id", "source", "deployStartedAt", "initiatedBy" })
            if (h[key] is { } v) o[key] = v.DeepClone();
        return o;
    }

    /// <summary>kubectl apply of one manifest: created, configured or unchanged (a dry run changes nothing).</summary>
    private static string Apply(KubeStore kube, KubeResource r, string? ns, JsonObject manifest, bool dryRun)
    {
        lock (kube.Gate)
        {
            var name = (string)manifest["metadata"]!["name"]!;
            var live = kube.Get(r, ns, name);
            if (live is null)
            {
                if (!dryRun)
                {
                    var created = (JsonObject)manifest.DeepClone();
                    if (ns is not null) KubeStore.Meta(created)["namespace"] = ns;
                    kube.Create(r, created);
                }
                return "created";
            }
            if (Covers(manifest["spec"], live["spec"]) && Covers(manifest["data"], live["data"]) && Covers(manifest["metadata"]?["labels"], live["metadata"]?["labels"]))
                return "unchanged";
            if (dryRun) return "configured";
            var next = (JsonObject)live.DeepClone();
            var meta = KubeStore.Meta(next);
            meta.Remove("resourceVersion");
            if (manifest["metadata"]?["labels"] is JsonObject labels)
            {
                var merged = meta["labels"] as JsonObject ?? new JsonObject();
                foreach (var (k, v) in labels) merged[k] = v?.DeepClone();
                meta["labels"] = merged;
            }
            if (manifest["spec"] is JsonObject spec)
            {
                var desired = (JsonObject)spec.DeepClone();
                // What the API server fills in and a manifest leaves out (a Service's cluster IP) stays as it is.
                foreach (var kept in new[] { "clusterIP", "clusterIPs" })
                    if (desired[kept] is null && live["spec"]?[kept] is { } value) desired[kept] = value.DeepClone();
                next["spec"] = desired;
            }
            if (manifest["data"] is JsonObject data) next["data"] = data.DeepClone();
            kube.Replace(r, ns, name, next);
            return "configured";
        }
    }

    private void StartAutomatedSync(ArgoApplication app)
    {
        JsonObject sync;
        lock (_store.Gate)
        {
            if (!app.Automated || app.Operation is not null || app.SyncStatus != "OutOfSync" || app.ComparedRevision is not { } sha) return;
            // "Skipping auto-sync: most recent sync already to <sha>" (selfHeal off), and no retry of a revision already attempted.
            // alreadyAttemptedSync: the most recent operation went to this commit ("Skipping auto-sync: most recent sync already to
            // <sha>"); with selfHeal it is tried again only after it succeeded.
            var last = app.OperationState;
            if ((string?)last?["syncResult"]?["revision"] == sha && ((bool?)app.Spec["syncPolicy"]?["automated"]?["selfHeal"] != true || (string?)last?["phase"] != "Succeeded")) return;
            var automated = app.Spec["syncPolicy"]!["automated"]!;
            sync = new JsonObject { ["revision"] = sha, ["prune"] = (bool?)automated["prune"] ?? false, ["syncStrategy"] = new JsonObject { ["hook"] = new JsonObject() } };
        }
        try { StartOperation(app, sync, new JsonObject { ["automated"] = true }); }
        catch (ArgoCdFault) { } // a client's sync started in between: it goes first
    }
}
