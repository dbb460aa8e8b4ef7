using System.Globalization;
using System.Runtime.CompilerServices;
using System.Text.Json;
using System.Text.Json.Nodes;
using k8s;
using k8s.Models;
using RealEstateOps.Engine.Common;
using RealEstateOps.Engine.Kubernetes;
using RealEstateOps.Engine.Waiting;

namespace RealEstateOps.Engine.Canary;

/// <summary>
/// A canary's state, kept in the cluster so that any machine sees it: for the stable Deployment <c>D</c>, the canary
/// Deployment <c>D-canary</c> (the stable template with the new image, pods labelled <c>version=canary</c>, one replica),
/// the Services <c>D-canary</c> (its pods) and <c>D-stable</c> (the app's pods), and the SMI TrafficSplit <c>D</c> whose
/// root is the app's Service <c>D</c>, in the newest split.smi-spec.io version the cluster serves. The TrafficSplit's
/// weights are the canary's weight; its <c>realestateops.io/canary-*</c> annotations hold the phase, the images, the
/// checks passed and failed and the last measured values. Every request goes through the KubeClient (its RetryHandler);
/// creates are sent as repeatable and a repeat that meets its own earlier attempt (AlreadyExists with this canary's id)
/// counts as done.
/// </summary>
public sealed class CanaryObjects
{
    public const string Group = "split.smi-spec.io";
    public const string Plural = "trafficsplits";
    public const string Kind = "TrafficSplit";
    /// <summary>The versions this module writes (integer weights), newest first.</summary>
    public static readonly string[] KnownVersions = { "v1alpha4", "v1alpha3", "v1alpha2" };

    public const string Prefix = "realestateops.io/canary-";
    public const string IdAnnotation = Prefix + "id";
    public const string OfLabel = Prefix + "of";
    public const string PhaseAnnotation = Prefix + "phase";
    public const string WeightAnnotation = Prefix + "weight";
    public const string ImageAnnotation = Prefix + "image";
    public const string StableImageAnnotation = Prefix + "stable-image";
    public const string ContainerAnnotation = Prefix + "container";
    public const string PassedAnnotation = Prefix + "checks-passed";
    public const string FailedAnnotation = Prefix + "checks-failed";
    public const string CanarySuccessAnnotation = Prefix + "canary-success-rate";
    public const string StableSuccessAnnotation = Prefix + "stable-success-rate";
    public const string CanaryP95Annotation = Prefix + "canary-p95-ms";
    public const string StableP95Annotation = Prefix + "stable-p95-ms";
    public const string LlmAnnotation = Prefix + "llm-error-rate";
    public const string LastCheckAnnotation = Prefix + "last-check";
    public const string ReasonAnnotation = Prefix + "reason";
    public const string StartedAnnotation = Prefix + "started";
    public const string ManagedByLabel = "app.kubernetes.io/managed-by";
    public const string ManagedBy = "realestateops";
    public const string VersionLabel = "version";
    public const string CanaryVersion = "canary";

    private readonly KubeClient _client;
    private readonly TimeProvider _time;
    private string? _version;

    public CanaryObjects(KubeClient client, TimeProvider? time = null)
    {
        _client = client;
        _time = time ?? TimeProvider.System;
    }

    public static string CanaryName(string deployment) => deployment + "-canary";
    public static string StableName(string deployment) => deployment + "-stable";

    // ---------------------------------------------------------------- discovery

    /// <summary>The newest TrafficSplit version the cluster serves (discovery), that this module writes; TrafficSplitNotServed when none.</summary>
    public async Task<string> TrafficSplitVersionAsync(CancellationToken ct)
    {
        if (_version is not null) return _version;
        var groups = await _client.Call(api => api.Apis.GetAPIVersionsAsync(ct), "APIGroup", Group, null).ConfigureAwait(false);
        var served = groups.Groups?.FirstOrDefault(g => g.Name == Group)?.Versions?.Select(v => v.Version).ToHashSet(StringComparer.Ordinal) ?? new HashSet<string>();
        _version = KnownVersions.FirstOrDefault(served.Contains)
                   ?? throw new OpsException("TrafficSplitNotServed", OpsErrorCategory.NotInstalled,
                       $"The cluster serves no TrafficSplit ({Group} {string.Join("/", KnownVersions)}){(served.Count > 0 ? $"; it serves {string.Join(", ", served)}" : "")}: install an SMI-compatible mesh (Linkerd's SMI extension, Open Service Mesh) first.",
                       Group, isFatal: true);
        return _version;
    }

    // ---------------------------------------------------------------- reading

    /// <summary>The canary of <paramref name="deployment"/>; CanaryNotFound when there is no TrafficSplit of ours for it.</summary>
    public async Task<CanaryStatus> GetAsync(string ns, string deployment, CancellationToken ct)
    {
        var split = await TryGetSplitAsync(ns, deployment, ct).ConfigureAwait(false);
        if (split is null || !IsOurs(split)) throw NotFound(ns, deployment);
        return Status(split);
    }

    /// <summary>Every canary (TrafficSplit of ours) in <paramref name="ns"/> (all namespaces when null), page by page.</summary>
    public async IAsyncEnumerable<CanaryStatus> ListAsync(string? ns, int pageSize, [EnumeratorCancellation] CancellationToken ct)
    {
        var version = await TrafficSplitVersionAsync(ct).ConfigureAwait(false);
        string? cont = null;
        var seen = new HashSet<string>(StringComparer.Ordinal);
        do
        {
            var token = cont;
            var page = Node(await _client.Call(api => ns is null
                    ? api.CustomObjects.ListClusterCustomObjectAsync(Group, version, Plural, labelSelector: ManagedByLabel + "=" + ManagedBy, limit: pageSize, continueParameter: token, cancellationToken: ct)
                    : api.CustomObjects.ListNamespacedCustomObjectAsync(Group, version, ns, Plural, labelSelector: ManagedByLabel + "=" + ManagedBy, limit: pageSize, continueParameter: token, cancellationToken: ct),
                Kind, null, ns).ConfigureAwait(false));
            foreach (var item in (page?["items"] as JsonArray ?? new JsonArray()).OfType<JsonObject>())
                if (IsOurs(item)) yield return Status(item);
            cont = (string?)page?["metadata"]?["continue"] is { Length: > 0 } next ? next : null;
            if (cont is not null && !seen.Add(cont)) throw new OpsException("KubeApiPagingLoop", OpsErrorCategory.InvalidResult, $"The Kubernetes API returned a continue token twice while listing TrafficSplits: listing stopped instead of looping.", ns);
        } while (cont is not null);
    }

    // ---------------------------------------------------------------- start

    /// <summary>
    /// Starts a canary: the stable backend Service, the canary Service, the TrafficSplit (stable 100, canary 0), then the canary
    /// Deployment, and waits for the canary's rollout. Refuses (CanaryAlreadyExists) while a canary of the Deployment runs.
    /// </summary>
    public async Task<CanaryStatus> StartAsync(CanaryStartRequest request, IProgress<WaitProgress>? progress, IProgress<OpsEvent>? events, CancellationToken ct)
    {
        var (ns, name) = (request.Namespace, request.Deployment);
        var version = await TrafficSplitVersionAsync(ct).ConfigureAwait(false);
        var stable = await _client.Call(api => api.AppsV1.ReadNamespacedDeploymentAsync(name, ns, cancellationToken: ct), "Deployment", name, ns).ConfigureAwait(false);
        var container = request.Container is { } wanted
            ? stable.Spec.Template.Spec.Containers.FirstOrDefault(c => c.Name == wanted) ?? throw new OpsException("ContainerNotFound", OpsErrorCategory.ObjectNotFound, $"Deployment '{name}' has no container '{wanted}'.", wanted)
            : stable.Spec.Template.Spec.Containers.First();
        var existingCanary = await TryAsync(() => _client.Call(api => api.AppsV1.ReadNamespacedDeploymentAsync(CanaryName(name), ns, cancellationToken: ct), "Deployment", CanaryName(name), ns)).ConfigureAwait(false);
        var existingSplit = await TryGetSplitAsync(ns, name, ct).ConfigureAwait(false);
        if (existingCanary is not null || (existingSplit is not null && IsOurs(existingSplit) && Status(existingSplit).Phase is CanaryPhase.Started or CanaryPhase.Progressing))
            throw new OpsException("CanaryAlreadyExists", OpsErrorCategory.ResourceExists,
                $"A canary of deployment '{name}' in namespace '{ns}' is already running{(existingCanary is not null ? $" (deployment/{CanaryName(name)} exists)" : "")}.", name)
            { RecommendedAction = $"Finish it first: Complete-Canary -Deployment {name} (promote) or Stop-Canary -Deployment {name} (roll back)." };
        if (existingSplit is not null && !IsOurs(existingSplit))
            throw new OpsException("TrafficSplitExists", OpsErrorCategory.ResourceExists,
                $"TrafficSplit '{name}' in namespace '{ns}' exists and is not a canary of this module's: it is left alone.", name);
        var root = await TryAsync(() => _client.Call(api => api.CoreV1.ReadNamespacedServiceAsync(name, ns, cancellationToken: ct), "Service", name, ns)).ConfigureAwait(false)
                   ?? throw new OpsException("CanaryServiceNotFound", OpsErrorCategory.ObjectNotFound,
                       $"Deployment '{name}' in namespace '{ns}' has no Service named '{name}': the TrafficSplit's root service is the app's Service.", name);
        if (root.Spec.Selector is not { Count: > 0 } rootSelector)
            throw new OpsException("CanaryServiceInvalid", OpsErrorCategory.InvalidData, $"Service '{name}' in namespace '{ns}' has no selector: a TrafficSplit cannot route its pods.", name);

        var id = Guid.NewGuid().ToString("N");
        var now = _time.GetUtcNow();
        var stableImage = container.Image;
        events.Verbose($"Canary of {ns}/{name}: TrafficSplit {Group}/{version}, image {request.Image} (stable runs {stableImage}).");

        // The backend Services: the app's pods (as the root Service selects them) and the canary's.
        await EnsureServiceAsync(ns, StableName(name), name, id, root, new Dictionary<string, string>(rootSelector), events, ct).ConfigureAwait(false);
        await EnsureServiceAsync(ns, CanaryName(name), name, id, root, new Dictionary<string, string>(rootSelector) { [VersionLabel] = CanaryVersion }, events, ct).ConfigureAwait(false);

        // The TrafficSplit, all traffic on stable.
        var annotations = new Dictionary<string, string?>
        {
            [IdAnnotation] = id, [PhaseAnnotation] = CanaryPhase.Started.ToString(), [WeightAnnotation] = "0", [ImageAnnotation] = request.Image,
            [StableImageAnnotation] = stableImage, [ContainerAnnotation] = container.Name, [PassedAnnotation] = "0", [FailedAnnotation] = "0",
            [StartedAnnotation] = Stamp(now),
        };
        var split = new JsonObject
        {
            ["apiVersion"] = Group + "/" + version, ["kind"] = Kind,
            ["metadata"] = new JsonObject
            {
                ["name"] = name, ["namespace"] = ns,
                ["labels"] = new JsonObject { [ManagedByLabel] = ManagedBy, [OfLabel] = name },
                ["annotations"] = new JsonObject(annotations.Select(kv => KeyValuePair.Create(kv.Key, (JsonNode?)JsonValue.Create(kv.Value)))),
            },
            ["spec"] = new JsonObject { ["service"] = name, ["backends"] = Backends(name, 0) },
        };
        if (existingSplit is null)
            await CreateOwnedAsync(api => api.CustomObjects.CreateNamespacedCustomObjectWithHttpMessagesAsync(split, Group, version, ns, Plural, customHeaders: KubeClient.RepeatableCreate, cancellationToken: ct),
                async () => Annotations(await TryGetSplitAsync(ns, name, ct).ConfigureAwait(false)), Kind, name, ns, id).ConfigureAwait(false);
        else
        {
            split["metadata"]!["resourceVersion"] = (string?)existingSplit["metadata"]?["resourceVersion"];
            await _client.Call(api => api.CustomObjects.ReplaceNamespacedCustomObjectAsync(split, Group, version, ns, Plural, name, cancellationToken: ct), Kind, name, ns).ConfigureAwait(false);
        }
        events.Verbose($"TrafficSplit {ns}/{name}: {StableName(name)} 100, {CanaryName(name)} 0.");

        // The canary Deployment: the stable template, the new image, version=canary, one replica.
        var template = KubernetesJson.Deserialize<V1PodTemplateSpec>(KubernetesJson.Serialize(stable.Spec.Template));
        template.Metadata ??= new V1ObjectMeta();
        template.Metadata.Labels = new Dictionary<string, string>(template.Metadata.Labels ?? new Dictionary<string, string>()) { [VersionLabel] = CanaryVersion };
        template.Spec.Containers.First(c => c.Name == container.Name).Image = request.Image;
        var selector = KubernetesJson.Deserialize<V1LabelSelector>(KubernetesJson.Serialize(stable.Spec.Selector));
        selector.MatchLabels = new Dictionary<string, string>(selector.MatchLabels ?? new Dictionary<string, string>()) { [VersionLabel] = CanaryVersion };
        var canary = new V1Deployment
        {
            ApiVersion = "apps/v1", Kind = "Deployment",
            Metadata = new V1ObjectMeta
            {
                Name = CanaryName(name), NamespaceProperty = ns,
                Labels = new Dictionary<string, string>(stable.Metadata.Labels ?? new Dictionary<string, string>()) { [VersionLabel] = CanaryVersion, [ManagedByLabel] = ManagedBy, [OfLabel] = name },
                Annotations = new Dictionary<string, string> { [IdAnnotation] = id },
            },
            Spec = new V1DeploymentSpec { Replicas = 1, Selector = selector, Template = template, Strategy = stable.Spec.Strategy, ProgressDeadlineSeconds = stable.Spec.ProgressDeadlineSeconds },
        };
        await CreateOwnedAsync(api => api.AppsV1.CreateNamespacedDeploymentWithHttpMessagesAsync(canary, ns, customHeaders: KubeClient.RepeatableCreate, cancellationToken: ct),
            async () => (await TryAsync(() => _client.Call(api => api.AppsV1.ReadNamespacedDeploymentAsync(CanaryName(name), ns, cancellationToken: ct), "Deployment", CanaryName(name), ns)).ConfigureAwait(false))?.Metadata.Annotations,
            "Deployment", CanaryName(name), ns, id).ConfigureAwait(false);
        events.Verbose($"Deployment {ns}/{CanaryName(name)} created ({request.Image}); waiting for its rollout.");
        try
        {
            await new Rollouts(_client, _time).WaitAsync(new RolloutRequest(ns, CanaryName(name)) { Timeout = request.Timeout }, progress, ct).ConfigureAwait(false);
        }
        catch (OpsException ex) when (ex.ErrorId is "RolloutFailed" or "RolloutTimeout")
        {
            // A canary whose pods do not become ready is what the analysis is for: it stays (at weight 0) and its checks decide.
            events.Warning($"The canary's pods are not ready ({ex.ErrorId}: {ex.Message}). It gets no traffic until a weight is set; Step-Canary's checks will judge it, Stop-Canary removes it.");
        }
        return await GetAsync(ns, name, ct).ConfigureAwait(false);
    }

    private async Task EnsureServiceAsync(string ns, string serviceName, string deployment, string id, V1Service root, Dictionary<string, string> selector, IProgress<OpsEvent>? events, CancellationToken ct)
    {
        var existing = await TryAsync(() => _client.Call(api => api.CoreV1.ReadNamespacedServiceAsync(serviceName, ns, cancellationToken: ct), "Service", serviceName, ns)).ConfigureAwait(false);
        if (existing is not null)
        {
            if (existing.Metadata.Labels?.TryGetValue(OfLabel, out var of) == true && of == deployment) return; // ours, from an earlier canary
            throw new OpsException("CanaryObjectExists", OpsErrorCategory.ResourceExists,
                $"Service '{serviceName}' in namespace '{ns}' exists and is not this canary's: it is left alone.", serviceName);
        }
        var service = new V1Service
        {
            ApiVersion = "v1", Kind = "Service",
            Metadata = new V1ObjectMeta
            {
                Name = serviceName, NamespaceProperty = ns,
                Labels = new Dictionary<string, string> { [ManagedByLabel] = ManagedBy, [OfLabel] = deployment },
                Annotations = new Dictionary<string, string> { [IdAnnotation] = id },
            },
            Spec = new V1ServiceSpec
            {
                Selector = selector,
                Ports = root.Spec.Ports?.Select(p => new V1ServicePort { Name = p.Name, Port = p.Port, TargetPort = p.TargetPort, Protocol = p.Protocol }).ToList(),
            },
        };
        await CreateOwnedAsync(api => api.CoreV1.CreateNamespacedServiceWithHttpMessagesAsync(service, ns, customHeaders: KubeClient.RepeatableCreate, cancellationToken: ct),
            async () => (await TryAsync(() => _client.Call(api => api.CoreV1.ReadNamespacedServiceAsync(serviceName, ns, cancellationToken: ct), "Service", serviceName, ns)).ConfigureAwait(false))?.Metadata.Annotations,
            "Service", serviceName, ns, id).ConfigureAwait(false);
        events.Verbose($"Service {ns}/{serviceName} created (selector {string.Join(",", selector.Select(kv => kv.Key + "=" + kv.Value))}).");
    }

    /// <summary>A create sent as repeatable: AlreadyExists from a repeat of our own attempt (same id) is success; anybody else's object is CanaryObjectExists.</summary>
    private async Task CreateOwnedAsync<T>(Func<IKubernetes, Task<T>> create, Func<Task<IDictionary<string, string>?>> annotations, string kind, string name, string ns, string id)
        where T : IDisposable
    {
        try
        {
            using var _ = await _client.Call(create, kind, name, ns).ConfigureAwait(false);
        }
        catch (OpsException ex) when (ex.ErrorId == "KubeConflict")
        {
            if ((await annotations().ConfigureAwait(false))?.TryGetValue(IdAnnotation, out var found) == true && found == id) return;
            throw new OpsException("CanaryObjectExists", OpsErrorCategory.ResourceExists, $"{kind} '{name}' in namespace '{ns}' already exists and is not this canary's: {ex.Message}", name, ex);
        }
    }

    // ---------------------------------------------------------------- weight and checks

    /// <summary>Sets the canary's weight (0..100; stable gets the rest) and the phase (Progressing once it has traffic).</summary>
    public async Task<CanaryStatus> SetWeightAsync(string ns, string deployment, int weight, CancellationToken ct)
    {
        if (weight is < 0 or > 100) throw new OpsException("CanaryWeightInvalid", OpsErrorCategory.InvalidArgument, $"A weight is 0 to 100, not {weight}.", weight);
        var current = await GetActiveAsync(ns, deployment, ct).ConfigureAwait(false);
        var patch = new JsonObject
        {
            ["metadata"] = new JsonObject { ["annotations"] = new JsonObject
            {
                [WeightAnnotation] = weight.ToString(CultureInfo.InvariantCulture),
                [PhaseAnnotation] = (weight > 0 || current.Phase == CanaryPhase.Progressing ? CanaryPhase.Progressing : CanaryPhase.Started).ToString(),
            } },
            ["spec"] = new JsonObject { ["backends"] = Backends(deployment, weight) },
        };
        return Status(await PatchSplitAsync(ns, deployment, patch, ct).ConfigureAwait(false));
    }

    /// <summary>Writes a check's outcome and values into the TrafficSplit's annotations (the run's totals of passed and failed checks).</summary>
    public async Task<CanaryStatus> RecordCheckAsync(string ns, string deployment, CanaryCheck check, int passed, int failed, CancellationToken ct)
    {
        var annotations = new JsonObject
        {
            [PassedAnnotation] = passed.ToString(CultureInfo.InvariantCulture), [FailedAnnotation] = failed.ToString(CultureInfo.InvariantCulture),
            [CanarySuccessAnnotation] = Number(check.CanarySuccessRate), [StableSuccessAnnotation] = Number(check.StableSuccessRate),
            [CanaryP95Annotation] = Number(check.CanaryP95Ms), [StableP95Annotation] = Number(check.StableP95Ms),
            [LlmAnnotation] = Number(check.LlmErrorRatePercent), [LastCheckAnnotation] = Stamp(check.At),
        };
        return Status(await PatchSplitAsync(ns, deployment, new JsonObject { ["metadata"] = new JsonObject { ["annotations"] = annotations } }, ct).ConfigureAwait(false));
    }

    /// <summary>
    /// Holds the current weight for <paramref name="hold"/> (Write-Progress through the Waiter, cancellable), watching the
    /// TrafficSplit: a canary finished meanwhile by someone else (CanaryNotRunning) ends the hold.
    /// </summary>
    public async Task HoldAsync(string ns, string deployment, TimeSpan hold, IProgress<WaitProgress>? progress, CancellationToken ct)
    {
        var started = _time.GetTimestamp();
        await Waiter.WaitAsync(
            async token => (Status: await GetAsync(ns, deployment, token).ConfigureAwait(false), Elapsed: _time.GetElapsedTime(started)),
            s => s.Status.Phase is not (CanaryPhase.Started or CanaryPhase.Progressing) ? WaitCheck.Failed($"the canary is {s.Status.Phase} now")
                : s.Elapsed >= hold ? WaitCheck.Done($"held {Waiter.Format(hold)} at {s.Status.Weight}%")
                : WaitCheck.Pending($"at {s.Status.Weight}%, {Waiter.Format(hold - s.Elapsed)} left", (int)(100 * s.Elapsed.Ticks / Math.Max(1, hold.Ticks))),
            new WaitOptions
            {
                Activity = $"Canary of {ns}/{deployment}: holding", Timeout = hold + TimeSpan.FromMinutes(2),
                InitialInterval = TimeSpan.FromSeconds(Math.Clamp(hold.TotalSeconds / 4, 0.5, 5)), MaxInterval = TimeSpan.FromSeconds(Math.Clamp(hold.TotalSeconds / 4, 0.5, 5)), Backoff = 1,
                FailedErrorId = "CanaryNotRunning", TimeoutErrorId = "CanaryHoldTimeout", Target = deployment, Time = _time,
            }, progress, ct).ConfigureAwait(false);
    }

    // ---------------------------------------------------------------- ending

    /// <summary>Rolls the canary back: all traffic to stable, the canary Deployment and Service removed, phase RolledBack with the reason.</summary>
    public async Task<CanaryStatus> StopAsync(string ns, string deployment, string? reason, IProgress<OpsEvent>? events, CancellationToken ct)
    {
        var split = await TryGetSplitAsync(ns, deployment, ct).ConfigureAwait(false);
        if (split is null || !IsOurs(split)) throw NotFound(ns, deployment);
        var patch = new JsonObject
        {
            ["metadata"] = new JsonObject { ["annotations"] = new JsonObject
            {
                [WeightAnnotation] = "0", [PhaseAnnotation] = CanaryPhase.RolledBack.ToString(), [ReasonAnnotation] = reason ?? "stopped",
            } },
            ["spec"] = new JsonObject { ["backends"] = StableOnly(deployment) },
        };
        var status = Status(await PatchSplitAsync(ns, deployment, patch, ct).ConfigureAwait(false));
        events.Verbose($"TrafficSplit {ns}/{deployment}: all traffic on {StableName(deployment)}.");
        await RemoveCanaryAsync(ns, deployment, events, ct).ConfigureAwait(false);
        return status;
    }

    /// <summary>
    /// Promotes the canary: the stable Deployment takes the canary's image (waiting for its rollout), then all traffic goes
    /// to stable and the canary Deployment and Service are removed; phase Promoted.
    /// </summary>
    public async Task<CanaryStatus> CompleteAsync(string ns, string deployment, TimeSpan timeout, IProgress<WaitProgress>? progress, IProgress<OpsEvent>? events, CancellationToken ct)
    {
        await GetActiveAsync(ns, deployment, ct).ConfigureAwait(false);
        var canary = await TryAsync(() => _client.Call(api => api.AppsV1.ReadNamespacedDeploymentAsync(CanaryName(deployment), ns, cancellationToken: ct), "Deployment", CanaryName(deployment), ns)).ConfigureAwait(false)
                     ?? throw new OpsException("CanaryNotFound", OpsErrorCategory.ObjectNotFound, $"deployment/{CanaryName(deployment)} in namespace '{ns}' is gone: nothing to promote.", deployment);
        var split = await TryGetSplitAsync(ns, deployment, ct).ConfigureAwait(false);
        var containerName = Annotations(split)?.TryGetValue(ContainerAnnotation, out var c) == true ? c : null;
        var canaryContainer = canary.Spec.Template.Spec.Containers.FirstOrDefault(x => x.Name == containerName) ?? canary.Spec.Template.Spec.Containers.First();
        var image = canaryContainer.Image;

        var stable = await _client.Call(api => api.AppsV1.ReadNamespacedDeploymentAsync(deployment, ns, cancellationToken: ct), "Deployment", deployment, ns).ConfigureAwait(false);
        var target = stable.Spec.Template.Spec.Containers.FirstOrDefault(x => x.Name == canaryContainer.Name)
                     ?? throw new OpsException("ContainerNotFound", OpsErrorCategory.ObjectNotFound, $"Deployment '{deployment}' has no container '{canaryContainer.Name}' any more.", canaryContainer.Name);
        if (target.Image != image)
        {
            target.Image = image;
            await _client.Call(api => api.AppsV1.ReplaceNamespacedDeploymentAsync(stable, deployment, ns, cancellationToken: ct), "Deployment", deployment, ns).ConfigureAwait(false);
            events.Verbose($"Deployment {ns}/{deployment} now runs {image}; waiting for its rollout.");
        }
        await new Rollouts(_client, _time).WaitAsync(new RolloutRequest(ns, deployment) { Timeout = timeout }, progress, ct).ConfigureAwait(false);
        var patch = new JsonObject
        {
            ["metadata"] = new JsonObject { ["annotations"] = new JsonObject
            {
                [WeightAnnotation] = "0", [PhaseAnnotation] = CanaryPhase.Promoted.ToString(), [StableImageAnnotation] = image, [ReasonAnnotation] = null,
            } },
            ["spec"] = new JsonObject { ["backends"] = StableOnly(deployment) },
        };
        var result = Status(await PatchSplitAsync(ns, deployment, patch, ct).ConfigureAwait(false));
        events.Verbose($"TrafficSplit {ns}/{deployment}: all traffic on {StableName(deployment)} ({image}).");
        await RemoveCanaryAsync(ns, deployment, events, ct).ConfigureAwait(false);
        return result;
    }

    private async Task RemoveCanaryAsync(string ns, string deployment, IProgress<OpsEvent>? events, CancellationToken ct)
    {
        var name = CanaryName(deployment);
        await TryAsync(async () => (object?)await _client.Call(api => api.AppsV1.DeleteNamespacedDeploymentAsync(name, ns, propagationPolicy: "Background", cancellationToken: ct), "Deployment", name, ns).ConfigureAwait(false)).ConfigureAwait(false);
        await TryAsync(async () => (object?)await _client.Call(api => api.CoreV1.DeleteNamespacedServiceAsync(name, ns, cancellationToken: ct), "Service", name, ns).ConfigureAwait(false)).ConfigureAwait(false);
        events.Verbose($"Deployment and Service {ns}/{name} removed.");
    }

    // ---------------------------------------------------------------- helpers

    private async Task<CanaryStatus> GetActiveAsync(string ns, string deployment, CancellationToken ct)
    {
        var status = await GetAsync(ns, deployment, ct).ConfigureAwait(false);
        if (status.Phase is not (CanaryPhase.Started or CanaryPhase.Progressing))
            throw new OpsException("CanaryNotRunning", OpsErrorCategory.InvalidOperation,
                $"The canary of deployment '{deployment}' in namespace '{ns}' is {status.Phase}: start a new one with Start-Canary.", deployment);
        return status;
    }

    private async Task<JsonObject> PatchSplitAsync(string ns, string name, JsonObject patch, CancellationToken ct)
    {
        var version = await TrafficSplitVersionAsync(ct).ConfigureAwait(false);
        return Node(await _client.Call(api => api.CustomObjects.PatchNamespacedCustomObjectAsync(new V1Patch(patch.ToJsonString(), V1Patch.PatchType.MergePatch), Group, version, ns, Plural, name, cancellationToken: ct),
                   Kind, name, ns).ConfigureAwait(false))
               ?? throw new OpsException("KubeResponseInvalid", OpsErrorCategory.InvalidResult, $"The TrafficSplit {ns}/{name} answer is not an object.", name);
    }

    private async Task<JsonObject?> TryGetSplitAsync(string ns, string name, CancellationToken ct)
    {
        var version = await TrafficSplitVersionAsync(ct).ConfigureAwait(false);
        return await TryAsync(async () => Node(await _client.Call(api => api.CustomObjects.GetNamespacedCustomObjectAsync(Group, version, ns, Plural, name, ct), Kind, name, ns).ConfigureAwait(false))).ConfigureAwait(false);
    }

    /// <summary>The answer, or null when the object does not exist (any *NotFound but NamespaceNotFound).</summary>
    private static async Task<T?> TryAsync<T>(Func<Task<T>> read) where T : class?
    {
        try { return await read().ConfigureAwait(false); }
        catch (OpsException ex) when (ex.ErrorId.EndsWith("NotFound", StringComparison.Ordinal) && ex.ErrorId != "NamespaceNotFound") { return null; }
    }

    private static JsonArray Backends(string deployment, int weight) => new(
        new JsonObject { ["service"] = StableName(deployment), ["weight"] = 100 - weight },
        new JsonObject { ["service"] = CanaryName(deployment), ["weight"] = weight });

    private static JsonArray StableOnly(string deployment) => new(new JsonObject { ["service"] = StableName(deployment), ["weight"] = 100 });

    private static bool IsOurs(JsonObject split) => (string?)split["metadata"]?["labels"]?[ManagedByLabel] == ManagedBy;

    private static OpsException NotFound(string ns, string deployment) =>
        new("CanaryNotFound", OpsErrorCategory.ObjectNotFound, $"No canary of deployment '{deployment}' in namespace '{ns}' (no TrafficSplit '{deployment}' of this module's).", deployment)
        { RecommendedAction = $"Start one with Start-Canary -Deployment {deployment} -Image <image>; Get-Canary lists the canaries." };

    private static Dictionary<string, string>? Annotations(JsonObject? obj) =>
        (obj?["metadata"]?["annotations"] as JsonObject)?.Where(kv => kv.Value is JsonValue).ToDictionary(kv => kv.Key, kv => kv.Value!.ToString(), StringComparer.Ordinal);

    /// <summary>A TrafficSplit of ours as a canary's state.</summary>
    public static CanaryStatus Status(JsonObject split)
    {
        var a = Annotations(split) ?? new Dictionary<string, string>();
        var name = (string?)split["metadata"]?["name"] ?? "";
        var backends = (split["spec"]?["backends"] as JsonArray)?.OfType<JsonObject>().Select(b => (Service: (string?)b["service"] ?? "", Weight: WeightOf(b["weight"]))).ToList() ?? new();
        var total = backends.Sum(b => b.Weight);
        var canary = backends.Where(b => b.Service == CanaryName(name)).Sum(b => b.Weight);
        return new CanaryStatus
        {
            Namespace = (string?)split["metadata"]?["namespace"] ?? "",
            Deployment = name,
            Phase = a.TryGetValue(PhaseAnnotation, out var p) && Enum.TryParse<CanaryPhase>(p, out var phase) ? phase : CanaryPhase.Unknown,
            Weight = total > 0 ? (int)Math.Round(100.0 * canary / total) : 0,
            Backends = backends.GroupBy(b => b.Service).ToDictionary(g => g.Key, g => (int)g.Sum(b => b.Weight), StringComparer.Ordinal),
            StableImage = a.GetValueOrDefault(StableImageAnnotation),
            CanaryImage = a.GetValueOrDefault(ImageAnnotation),
            ChecksPassed = Int(a.GetValueOrDefault(PassedAnnotation)),
            ChecksFailed = Int(a.GetValueOrDefault(FailedAnnotation)),
            CanarySuccessRate = Double(a.GetValueOrDefault(CanarySuccessAnnotation)),
            StableSuccessRate = Double(a.GetValueOrDefault(StableSuccessAnnotation)),
            CanaryP95Ms = Double(a.GetValueOrDefault(CanaryP95Annotation)),
            StableP95Ms = Double(a.GetValueOrDefault(StableP95Annotation)),
            LlmErrorRatePercent = Double(a.GetValueOrDefault(LlmAnnotation)),
            LastCheck = Time(a.GetValueOrDefault(LastCheckAnnotation)),
            Started = Time(a.GetValueOrDefault(StartedAnnotation)),
            Reason = a.GetValueOrDefault(ReasonAnnotation),
            TrafficSplitVersion = (string?)split["apiVersion"] ?? "",
        };
    }

    private static long WeightOf(JsonNode? node) =>
        node is JsonValue v && double.TryParse(v.ToJsonString().Trim('"'), NumberStyles.Float, CultureInfo.InvariantCulture, out var d) && d > 0 ? (long)d : 0;

    private static int Int(string? s) => int.TryParse(s, NumberStyles.Integer, CultureInfo.InvariantCulture, out var i) ? i : 0;
    private static double? Double(string? s) => double.TryParse(s, NumberStyles.Float, CultureInfo.InvariantCulture, out var d) ? d : null;
    private static DateTimeOffset? Time(string? s) => DateTimeOffset.TryParse(s, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var t) ? t : null;
    private static string Stamp(DateTimeOffset t) => t.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);
    private static string? Number(double? v) => v is { } x ? Math.Round(x, 3).ToString(CultureInfo.InvariantCulture) : null;

    private static JsonObject? Node(object? answer) => answer switch
    {
        null => null,
        JsonObject o => o,
        JsonElement e => JsonNode.Parse(e.GetRawText()) as JsonObject,
        _ => JsonSerializer.SerializeToNode(answer) as JsonObject,
    };
}
