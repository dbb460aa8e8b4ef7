using System.Text.Json.Nodes;
using RealEstateOps.Sandbox.Control;
using RealEstateOps.Sandbox.Kubernetes;

namespace RealEstateOps.Sandbox.Eks;

/// <summary>
/// EKS's state on the sandbox: the cluster real-estate-ai-cluster (whose Kubernetes API is the sandbox's), its managed
/// node groups (views of the Kubernetes nodes labelled eks.amazonaws.com/nodegroup), installed add-ons, updates and the
/// API requests upgrade insights count. Thread-safe: one lock (<see cref="Gate"/>), always taken before the Kubernetes
/// store's. <see cref="Tick"/> moves updates forward with the sandbox clock.
/// </summary>
public sealed class EksStore
{
    public const string ClusterName = "real-estate-ai-cluster";
    public const string Region = "us-east-1";
    public const string Account = "123456789012";
    /// <summary>How long EKS lets a drain's evictions be refused before the update fails (PodEvictionFailure), in sandbox time.</summary>
    public static readonly TimeSpan EvictionTimeout = TimeSpan.FromMinutes(15);

    private readonly Dictionary<string, EksNodegroup> _nodegroups = new(StringComparer.Ordinal);
    private readonly Dictionary<string, EksAddon> _addons = new(StringComparer.Ordinal);
    private readonly List<EksUpdate> _updates = new();
    private readonly Dictionary<string, string> _tokens = new(StringComparer.Ordinal);
    private readonly List<EksDeprecatedApi> _deprecatedApis = new(EksDeprecatedApi.Known);
    private readonly List<KubeApiRequest> _apiRequests = new();
    private readonly Dictionary<string, (string Status, DateTimeOffset Since)> _insightStatus = new(StringComparer.Ordinal);
    private int _nodeCounter = 100;

    internal EksStore(SandboxClock clock, KubernetesService kubernetes)
    {
        Clock = clock;
        Kube = kubernetes.Store ?? throw new InvalidOperationException("The EKS sandbox needs the Kubernetes sandbox started first.");
        KubeController = kubernetes.Controller!;
        Platform = kubernetes.Platform!;
        var now = clock.UtcNow;
        Cluster = new EksCluster { Name = ClusterName, CreatedAt = now - TimeSpan.FromDays(34), Version = "1.32", PlatformVersion = EksReleases.PlatformVersion("1.32") };
    }

    public object Gate { get; } = new();
    public SandboxClock Clock { get; }
    internal KubeStore Kube { get; }
    internal KubeController KubeController { get; }
    internal KubePlatform Platform { get; }
    internal EksCluster Cluster { get; }
    /// <summary>The cluster's endpoint (the sandbox Kubernetes API over TLS) and its CA, once the host knows them.</summary>
    internal Func<(string? Endpoint, string? CertificatePem)> Access { get; set; } = () => (null, null);

    /// <summary>The seeded node groups (standard-nodes: 3 m5.xlarge nodes; gpu-nodes: 1 g5.xlarge) and the four installed add-ons.</summary>
    public void Seed()
    {
        lock (Gate)
        {
            var created = Cluster.CreatedAt + TimeSpan.FromMinutes(12);
            _nodegroups["standard-nodes"] = new EksNodegroup
            {
                Name = "standard-nodes", CreatedAt = created, ModifiedAt = created, InstanceType = "m5.xlarge", AmiType = "AL2023_x86_64_STANDARD",
                MinSize = 2, MaxSize = 6, DesiredSize = 3, ReleaseVersion = EksReleases.SeedRelease, Cpu = "3920m", Memory = "15167704Ki",
                Suffix = "4ec8a1b2-7d3f-4c1e-9b5a-1f2e3d4c5b6a",
            };
            _nodegroups["gpu-nodes"] = new EksNodegroup
            {
                Name = "gpu-nodes", CreatedAt = created, ModifiedAt = created, InstanceType = "g5.xlarge", AmiType = "AL2023_x86_64_NVIDIA",
                MinSize = 1, MaxSize = 2, DesiredSize = 1, ReleaseVersion = EksReleases.SeedRelease, Cpu = "3920m", Memory = "15896828Ki",
                Suffix = "8b1d2e3f-4a5b-4c6d-8e7f-9a0b1c2d3e4f",
            };
            foreach (var (name, version) in EksAddonCatalog.Installed)
                _addons[name] = new EksAddon { Name = name, Version = version, CreatedAt = created, ModifiedAt = created, Suffix = Guid.NewGuid().ToString() };
        }
    }

    // ------------------------------------------------------------------ reads

    internal EksCluster RequireCluster(string name) =>
        name == ClusterName ? Cluster : throw EksFault.NotFound($"No cluster found for name: {name}.", name);

    internal string ClusterStatus { get { lock (Gate) return _updates.Any(u => u.InProgress && u.Type == "VersionUpdate" && u.Nodegroup is null && u.Addon is null) ? "UPDATING" : "ACTIVE"; } }

    internal IReadOnlyList<string> NodegroupNames { get { lock (Gate) return _nodegroups.Keys.OrderBy(k => k, StringComparer.Ordinal).ToList(); } }

    internal EksNodegroup RequireNodegroup(string cluster, string name)
    {
        RequireCluster(cluster);
        lock (Gate) return _nodegroups.TryGetValue(name, out var ng) ? ng : throw EksFault.NotFound($"No node group found for name: {name}.", cluster, name);
    }

    internal IReadOnlyList<string> AddonNames { get { lock (Gate) return _addons.Keys.OrderBy(k => k, StringComparer.Ordinal).ToList(); } }

    internal EksAddon RequireAddon(string cluster, string name)
    {
        RequireCluster(cluster);
        lock (Gate) return _addons.TryGetValue(name, out var a) ? a : throw EksFault.NotFound($"No addon: {name} found in cluster: {cluster}", cluster, addon: name);
    }

    internal bool IsUpdating(EksNodegroup ng) { lock (Gate) return _updates.Any(u => u.InProgress && u.Nodegroup == ng.Name); }
    internal bool IsUpdating(EksAddon addon) { lock (Gate) return _updates.Any(u => u.InProgress && u.Addon == addon.Name); }

    /// <summary>Copies of the Kubernetes nodes of a node group, in name order.</summary>
    internal List<JsonObject> NodesOf(string nodegroup)
    {
        lock (Kube.Gate)
            return Kube.Items(KubeResources.Nodes).Where(n => KubeStore.Labels(n).TryGetValue(KubePlatform.NodeGroupLabel, out var g) && g == nodegroup)
                .Select(n => (JsonObject)n.DeepClone()).ToList();
    }

    internal static string? KubeletOf(JsonObject node) => (string?)node["status"]?["nodeInfo"]?["kubeletVersion"];

    /// <summary>A node group's Kubernetes version: its oldest kubelet's minor (the configured release's when it has no nodes).</summary>
    internal string VersionOf(EksNodegroup ng)
    {
        var minors = NodesOf(ng.Name).Select(n => EksReleases.MinorOf(KubeletOf(n))).OfType<string>().ToList();
        return minors.Count == 0 ? EksReleases.Find(ng.ReleaseVersion)?.Minor ?? Cluster.Version : minors.OrderBy(EksReleases.MinorNumber).First();
    }

    internal IReadOnlyList<EksUpdate> UpdatesOf(string? nodegroup, string? addon)
    {
        lock (Gate) return _updates.Where(u => u.Nodegroup == nodegroup && u.Addon == addon).OrderBy(u => u.CreatedAt).ToList();
    }

    internal EksUpdate RequireUpdate(string cluster, string id, string? nodegroup, string? addon)
    {
        RequireCluster(cluster);
        if (nodegroup is not null) RequireNodegroup(cluster, nodegroup);
        if (addon is not null) RequireAddon(cluster, addon);
        lock (Gate)
            return _updates.FirstOrDefault(u => u.Id == id && u.Nodegroup == nodegroup && u.Addon == addon)
                ?? throw EksFault.NotFound($"No update found for ID: {id}", cluster, nodegroup, addon);
    }

    // ------------------------------------------------------------------ deprecated API usage (upgrade insights)

    internal void RecordApiRequest(KubeApiRequest request)
    {
        lock (Gate)
        {
            if (!_deprecatedApis.Any(d => d.Matches(request.GroupVersion, request.Resource))) return;
            _apiRequests.Add(request);
            if (_apiRequests.Count > 10_000) _apiRequests.RemoveAt(0);
        }
    }

    internal void AddDeprecatedApi(EksDeprecatedApi api)
    {
        lock (Gate)
        {
            _deprecatedApis.RemoveAll(d => d.GroupVersion == api.GroupVersion && d.Resource == api.Resource);
            _deprecatedApis.Add(api);
        }
    }

    internal IReadOnlyList<(EksDeprecatedApi Api, List<KubeApiRequest> Requests)> DeprecatedApiUsage()
    {
        lock (Gate)
        {
            var since = Clock.UtcNow - TimeSpan.FromDays(30);
            return _deprecatedApis.Select(d => (d, _apiRequests.Where(r => r.At >= since && d.Matches(r.GroupVersion, r.Resource)).ToList()))
                .Where(x => x.Item2.Count > 0).ToList();
        }
    }

    /// <summary>When an insight last changed status (its first evaluation counts from the cluster's creation).</summary>
    internal DateTimeOffset InsightTransition(string id, string status)
    {
        lock (Gate)
        {
            if (_insightStatus.TryGetValue(id, out var known) && known.Status == status) return known.Since;
            var since = _insightStatus.ContainsKey(id) ? Clock.UtcNow : Cluster.CreatedAt;
            _insightStatus[id] = (status, since);
            return since;
        }
    }

    // ------------------------------------------------------------------ changes

    private EksUpdate? ByToken(string scope, string? token)
    {
        if (string.IsNullOrEmpty(token) || !_tokens.TryGetValue(scope + "|" + token, out var id)) return null;
        return _updates.First(u => u.Id == id);
    }

    private EksUpdate Add(string scope, EksUpdate update)
    {
        _updates.Add(update);
        if (!string.IsNullOrEmpty(update.ClientRequestToken)) _tokens[scope + "|" + update.ClientRequestToken] = update.Id;
        return update;
    }

    private EksUpdate? InProgressAny() => _updates.FirstOrDefault(u => u.InProgress);

    internal EksUpdate UpdateClusterVersion(string cluster, string version, bool force, string? token)
    {
        RequireCluster(cluster);
        lock (Gate)
        {
            if (ByToken("cluster", token) is { } same) return same;
            if (!EksReleases.IsMinor(version)) throw EksFault.InvalidParameter($"Unsupported Kubernetes minor version update from {Cluster.Version} to {version}", cluster);
            if (version == Cluster.Version) throw EksFault.InvalidParameter($"Cluster is already at the desired configuration with version: {version}", cluster);
            if (EksReleases.MinorNumber(version) != EksReleases.MinorNumber(Cluster.Version) + 1 || !EksReleases.IsSupported(version))
                throw EksFault.InvalidParameter($"Unsupported Kubernetes minor version update from {Cluster.Version} to {version}", cluster);
            if (InProgressAny() is { } busy)
                throw EksFault.InUse($"Cluster {cluster} has an update in progress ({busy.Type} {busy.Id}{(busy.Nodegroup is { } g ? ", node group " + g : busy.Addon is { } a ? ", add-on " + a : "")}); wait for it to finish.", cluster);
            if (!force)
            {
                var blocking = EksInsights.For(this).Where(i => i.KubernetesVersion == version && i.Status == "ERROR").ToList();
                if (blocking.Count > 0)
                    throw new EksFault(400, "InvalidStateException",
                        $"Cluster upgrade to {version} is blocked by upgrade insights in ERROR status: {string.Join("; ", blocking.Select(b => b.Name + " (" + b.Reason + ")"))}. Resolve them, or set force to upgrade anyway.",
                        cluster);
            }
            var update = new EksUpdate
            {
                Id = Guid.NewGuid().ToString(), Type = "VersionUpdate", CreatedAt = Clock.UtcNow, ClientRequestToken = token,
                Params = { ("Version", version), ("PlatformVersion", EksReleases.PlatformVersion(version)) },
                Controller = new ClusterUpdater(this, version, Clock.UtcNow),
            };
            return Add("cluster", update);
        }
    }

    internal EksUpdate UpdateNodegroupVersion(string cluster, string name, string? version, string? releaseVersion, bool launchTemplate, bool force, string? token)
    {
        var ng = RequireNodegroup(cluster, name);
        lock (Gate)
        {
            if (ByToken("nodegroup/" + name, token) is { } same) return same;
            if (launchTemplate)
                throw EksFault.InvalidParameter($"You cannot specify a launch template for node group {name}: it was not created with a launch template.", cluster, name);
            var target = version ?? (releaseVersion is not null ? EksReleases.Find(releaseVersion)?.Minor : null) ?? Cluster.Version;
            if (!EksReleases.IsMinor(target) || !EksReleases.IsSupported(target))
                throw EksFault.InvalidParameter($"Requested Kubernetes version {target} is invalid or not supported.", cluster, name);
            if (EksReleases.MinorNumber(target) > EksReleases.MinorNumber(Cluster.Version))
                throw EksFault.InvalidParameter($"Nodegroup Kubernetes version {target} should be equal or lower than control plane version {Cluster.Version}.", cluster, name);
            EksRelease release;
            if (releaseVersion is not null)
            {
                release = EksReleases.Find(releaseVersion) is { } r && r.Minor == target ? r
                    : throw EksFault.InvalidParameter($"Requested release version {releaseVersion} is not valid for kubernetes version {target}.", cluster, name);
            }
            else release = EksReleases.Latest(target);
            if (InProgressAny() is { } busy && (busy.Nodegroup == name || (busy.Nodegroup is null && busy.Addon is null)))
                throw EksFault.InUse(busy.Nodegroup == name
                    ? $"Nodegroup {name} is currently being updated (update {busy.Id})."
                    : $"Cluster {cluster} is currently being updated (update {busy.Id}).", cluster, name);
            var nodes = NodesOf(name);
            if (nodes.Count > 0 && nodes.All(n => KubeletOf(n) == release.KubeletVersion) && ng.ReleaseVersion == release.ReleaseVersion)
                throw EksFault.InvalidParameter($"Nodegroup {name} is already at the requested version {target} and release version {release.ReleaseVersion}.", cluster, name);
            var update = new EksUpdate
            {
                Id = Guid.NewGuid().ToString(), Type = "VersionUpdate", CreatedAt = Clock.UtcNow, Nodegroup = name, ClientRequestToken = token,
                Params = { ("Version", target), ("ReleaseVersion", release.ReleaseVersion) },
                Controller = new NodeGroupUpdater(this, ng, release, force, Clock.UtcNow),
            };
            if (force) update.Params.Add(("Force", "true"));
            return Add("nodegroup/" + name, update);
        }
    }

    internal EksUpdate UpdateNodegroupConfig(string cluster, string name, int? min, int? max, int? desired, int? maxUnavailable, int? maxUnavailablePercentage, string? token)
    {
        var ng = RequireNodegroup(cluster, name);
        lock (Gate)
        {
            if (ByToken("nodegroup/" + name, token) is { } same) return same;
            if (min is null && max is null && desired is null && maxUnavailable is null && maxUnavailablePercentage is null)
                throw EksFault.InvalidParameter("No changes needed: give scalingConfig or updateConfig.", cluster, name);
            var (nMin, nMax, nDesired) = (min ?? ng.MinSize, max ?? ng.MaxSize, desired ?? ng.DesiredSize);
            if (nMin < 0 || nMax < 1 || nDesired < 0) throw EksFault.InvalidParameter("Scaling sizes must be non-negative and maxSize at least 1.", cluster, name);
            if (nMin > nMax) throw EksFault.InvalidParameter($"Minimum capacity {nMin} can't be greater than maximum capacity {nMax}.", cluster, name);
            if (nDesired > nMax) throw EksFault.InvalidParameter($"Desired capacity {nDesired} can't be greater than max size {nMax}", cluster, name);
            if (nDesired < nMin) throw EksFault.InvalidParameter($"Desired capacity {nDesired} can't be lower than min size {nMin}", cluster, name);
            if (maxUnavailable is not null && maxUnavailablePercentage is not null)
                throw EksFault.InvalidParameter("Give either maxUnavailable or maxUnavailablePercentage, not both.", cluster, name);
            if (maxUnavailable is < 1 or > 100) throw EksFault.InvalidParameter("maxUnavailable must be between 1 and 100.", cluster, name);
            if (maxUnavailablePercentage is < 1 or > 100) throw EksFault.InvalidParameter("maxUnavailablePercentage must be between 1 and 100.", cluster, name);
            if (InProgressAny() is { } busy && (busy.Nodegroup == name || (busy.Nodegroup is null && busy.Addon is null)))
                throw EksFault.InUse($"Nodegroup {name} cannot be changed while update {busy.Id} ({busy.Type}) is in progress.", cluster, name);
            var update = new EksUpdate
            {
                Id = Guid.NewGuid().ToString(), Type = "ConfigUpdate", CreatedAt = Clock.UtcNow, Nodegroup = name, ClientRequestToken = token,
                Controller = new NodeGroupScaler(this, ng, nMin, nMax, nDesired, maxUnavailable, maxUnavailablePercentage, Clock.UtcNow),
            };
            if (min is not null) update.Params.Add(("MinSize", nMin.ToString(System.Globalization.CultureInfo.InvariantCulture)));
            if (max is not null) update.Params.Add(("MaxSize", nMax.ToString(System.Globalization.CultureInfo.InvariantCulture)));
            if (desired is not null) update.Params.Add(("DesiredSize", nDesired.ToString(System.Globalization.CultureInfo.InvariantCulture)));
            if (maxUnavailable is { } mu) update.Params.Add(("MaxUnavailable", mu.ToString(System.Globalization.CultureInfo.InvariantCulture)));
            if (maxUnavailablePercentage is { } mp) update.Params.Add(("MaxUnavailablePercentage", mp.ToString(System.Globalization.CultureInfo.InvariantCulture)));
            return Add("nodegroup/" + name, update);
        }
    }

    internal EksUpdate UpdateAddon(string cluster, string name, string? version, string? resolveConflicts, string? roleArn, string? configurationValues, string? token)
    {
        var addon = RequireAddon(cluster, name);
        var info = EksAddonCatalog.Find(name)!;
        lock (Gate)
        {
            if (ByToken("addon/" + name, token) is { } same) return same;
            var resolve = resolveConflicts ?? "NONE";
            if (resolve is not ("OVERWRITE" or "NONE" or "PRESERVE"))
                throw EksFault.InvalidParameter($"Invalid resolveConflicts value {resolve}: use OVERWRITE, NONE or PRESERVE.", cluster, addon: name);
            var target = version ?? addon.Version;
            if (info.Find(target) is null)
                throw EksFault.InvalidParameter($"Addon version specified is not supported: {name} {target} is not a version of the add-on.", cluster, addon: name);
            if (!info.IsCompatible(target, Cluster.Version))
                throw EksFault.InvalidParameter($"Addon version specified is not supported: {name} {target} is not compatible with Kubernetes {Cluster.Version}.", cluster, addon: name);
            if (InProgressAny() is { } busy && (busy.Addon == name || (busy.Nodegroup is null && busy.Addon is null)))
                throw EksFault.InUse(busy.Addon == name ? $"Addon {name} is currently being updated (update {busy.Id})." : $"Cluster {cluster} is currently being updated (update {busy.Id}).", cluster, addon: name);
            var update = new EksUpdate
            {
                Id = Guid.NewGuid().ToString(), Type = "AddonUpdate", CreatedAt = Clock.UtcNow, Addon = name, ClientRequestToken = token,
                Params = { ("AddonVersion", target), ("ResolveConflicts", resolve) },
                Controller = new AddonUpdater(this, addon, info, target, resolve, Clock.UtcNow),
            };
            if (roleArn is not null) { update.Params.Add(("ServiceAccountRoleArn", roleArn)); addon.ServiceAccountRoleArn = roleArn; }
            if (configurationValues is not null) { update.Params.Add(("ConfigurationValues", configurationValues)); addon.ConfigurationValues = configurationValues; }
            return Add("addon/" + name, update);
        }
    }

    /// <summary>Moves every update in progress one step (the sandbox's timer calls it).</summary>
    public void Tick()
    {
        lock (Gate)
        {
            var now = Clock.UtcNow;
            foreach (var update in _updates.Where(u => u.InProgress).ToList())
                lock (Kube.Gate) update.Controller.Step(update, now);
        }
    }

    /// <summary>Where every update stands, for the control endpoint /_sandbox/eks/updates.</summary>
    internal JsonArray UpdatesState()
    {
        lock (Gate)
            return new JsonArray(_updates.Select(u => (JsonNode)new JsonObject
            {
                ["id"] = u.Id, ["type"] = u.Type, ["status"] = u.Status, ["phase"] = u.Controller.Phase,
                ["nodegroupName"] = u.Nodegroup, ["addonName"] = u.Addon,
            }).ToArray());
    }

    // ------------------------------------------------------------------ helpers for the controllers

    /// <summary>Launches a node of a node group at a release (a new EC2 instance joining the cluster).</summary>
    internal string LaunchNode(EksNodegroup ng, EksRelease release)
    {
        var zones = new[] { "us-east-1a", "us-east-1b", "us-east-1c" };
        string name;
        lock (Kube.Gate)
        {
            do
            {
                var n = ++_nodeCounter;
                name = $"ip-10-0-{n % 3 + 1}-{n}.ec2.internal";
            } while (Kube.Get(KubeResources.Nodes, null, name) is not null);
            var zone = zones[_nodeCounter % 3];
            Platform.AddNode(name, ng.Name, ng.InstanceType, zone, ng.Cpu, ng.Memory, release.KubeletVersion,
                new Dictionary<string, string> { ["eks.amazonaws.com/nodegroup-image"] = "ami-" + Math.Abs(release.ReleaseVersion.GetHashCode(StringComparison.Ordinal)).ToString("x8", System.Globalization.CultureInfo.InvariantCulture) + "0sandbox", ["eks.amazonaws.com/capacityType"] = ng.CapacityType });
        }
        return name;
    }

    internal void SetUnschedulable(string node, bool unschedulable)
    {
        lock (Kube.Gate)
            if (Kube.Get(KubeResources.Nodes, null, node) is { } n)
                Kube.Update(KubeResources.Nodes, n, o =>
                {
                    var spec = o["spec"] as JsonObject ?? new JsonObject();
                    if (unschedulable) spec["unschedulable"] = true; else spec.Remove("unschedulable");
                    o["spec"] = spec;
                });
    }

    /// <summary>Terminates a node's instance: the node leaves the cluster, and what was bound to it goes with it.</summary>
    internal void TerminateNode(string node)
    {
        lock (Kube.Gate)
            if (Kube.Get(KubeResources.Nodes, null, node) is { } n) Kube.Remove(KubeResources.Nodes, n);
    }
}
