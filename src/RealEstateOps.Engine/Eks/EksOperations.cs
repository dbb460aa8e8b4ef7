using System.Runtime.CompilerServices;
using RealEstateOps.Engine.Common;
using RealEstateOps.Engine.Kubernetes;
using RealEstateOps.Engine.Waiting;

namespace RealEstateOps.Engine.Eks;

/// <summary>
/// The maintenance runbook's EKS half on an <see cref="IEksClient"/>: clusters, node groups with their nodes (from the
/// cluster, through the optional <see cref="KubeClient"/>), version updates of the control plane, node groups and add-ons,
/// the add-on catalogue for a minor, upgrade insights, and waits on updates with phase progress.
/// Lists are streams (the next page only when the consumer asks for the item after the last one); updates carry a
/// clientRequestToken made once per request object, so a retried call never starts a second update.
/// </summary>
public sealed class EksOperations
{
    private readonly IEksClient _eks;
    private readonly KubeClient? _kube;
    private readonly TimeProvider _time;

    /// <param name="eks">The EKS API.</param>
    /// <param name="kube">The cluster's Kubernetes API, for nodes (Get-EksNodeGroup's nodes, a node-group update's phase, the pods and
    /// budgets behind a PodEvictionFailure); null: node groups come without nodes.</param>
    /// <param name="time">The clock for waits.</param>
    public EksOperations(IEksClient eks, KubeClient? kube = null, TimeProvider? time = null)
    {
        _eks = eks;
        _kube = kube;
        _time = time ?? TimeProvider.System;
    }

    /// <summary>Whether node groups can be given their nodes (a Kubernetes client was given).</summary>
    public bool CanReadNodes => _kube is not null;

    // ---------------------------------------------------------------- clusters

    /// <summary>Every cluster's name (ListClusters, paged), for completion and wildcards.</summary>
    public async IAsyncEnumerable<string> ListClusterNamesAsync(int? pageSize, [EnumeratorCancellation] CancellationToken ct)
    {
        string? token = null;
        var seen = new HashSet<string>(StringComparer.Ordinal);
        do
        {
            var page = await _eks.ListClustersAsync(pageSize, token, ct).ConfigureAwait(false);
            foreach (var name in page.Items) yield return name;
            token = Next(seen, page.NextToken, "ListClusters", null);
        } while (token is not null);
    }

    public Task<EksCluster> GetClusterAsync(string name, CancellationToken ct) => _eks.DescribeClusterAsync(name, ct);

    /// <summary>Clusters by name (wildcards matched against ListClusters); empty: every cluster. Each described as the consumer asks for it.</summary>
    public async IAsyncEnumerable<EksCluster> GetClustersAsync(IReadOnlyList<string> names, int? pageSize, [EnumeratorCancellation] CancellationToken ct)
    {
        foreach (var name in names.Where(n => !Wildcard.HasWildcard(n)))
            yield return await _eks.DescribeClusterAsync(name, ct).ConfigureAwait(false);
        var patterns = names.Where(Wildcard.HasWildcard).Select(Wildcard.ToRegex).ToList();
        if (names.Count > 0 && patterns.Count == 0) yield break;
        await foreach (var name in ListClusterNamesAsync(pageSize, ct).ConfigureAwait(false))
            if (patterns.Count == 0 || patterns.Any(p => p.IsMatch(name)))
                yield return await _eks.DescribeClusterAsync(name, ct).ConfigureAwait(false);
    }

    // ---------------------------------------------------------------- node groups

    /// <summary>A cluster's node group names (ListNodegroups, paged).</summary>
    public async IAsyncEnumerable<string> ListNodeGroupNamesAsync(string clusterName, int? pageSize, [EnumeratorCancellation] CancellationToken ct)
    {
        string? token = null;
        var seen = new HashSet<string>(StringComparer.Ordinal);
        do
        {
            var page = await _eks.ListNodegroupsAsync(clusterName, pageSize, token, ct).ConfigureAwait(false);
            foreach (var name in page.Items) yield return name;
            token = Next(seen, page.NextToken, "ListNodegroups", clusterName);
        } while (token is not null);
    }

    /// <summary>
    /// One node group, with its nodes when <paramref name="includeNodes"/> and a Kubernetes client was given. A cluster that
    /// cannot be read leaves the nodes out with a Warning note (the node group itself is still EKS's answer).
    /// </summary>
    public async Task<EksNodeGroup> GetNodeGroupAsync(string clusterName, string nodeGroupName, bool includeNodes, IProgress<OpsEvent>? events, CancellationToken ct)
    {
        var group = await _eks.DescribeNodegroupAsync(clusterName, nodeGroupName, ct).ConfigureAwait(false);
        if (includeNodes) await AttachNodesAsync(group, events, ct).ConfigureAwait(false);
        return group;
    }

    /// <summary>The node groups a query selects (exact names described directly, wildcards matched against ListNodegroups), each with its nodes.</summary>
    public async IAsyncEnumerable<EksNodeGroup> GetNodeGroupsAsync(EksNodeGroupQuery query, IProgress<OpsEvent>? events, [EnumeratorCancellation] CancellationToken ct)
    {
        foreach (var name in query.NodeGroupNames.Where(n => !Wildcard.HasWildcard(n)))
            yield return await GetNodeGroupAsync(query.ClusterName, name, query.IncludeNodes, events, ct).ConfigureAwait(false);
        var patterns = query.NodeGroupNames.Where(Wildcard.HasWildcard).Select(Wildcard.ToRegex).ToList();
        if (query.NodeGroupNames.Count > 0 && patterns.Count == 0) yield break;
        await foreach (var name in ListNodeGroupNamesAsync(query.ClusterName, query.PageSize, ct).ConfigureAwait(false))
            if (patterns.Count == 0 || patterns.Any(p => p.IsMatch(name)))
                yield return await GetNodeGroupAsync(query.ClusterName, name, query.IncludeNodes, events, ct).ConfigureAwait(false);
    }

    /// <summary>Every managed node group of a cluster, without nodes (for checks that need them all).</summary>
    public async Task<IReadOnlyList<EksNodeGroup>> GetAllNodeGroupsAsync(string clusterName, CancellationToken ct)
    {
        var groups = new List<EksNodeGroup>();
        await foreach (var g in GetNodeGroupsAsync(new EksNodeGroupQuery { ClusterName = clusterName, IncludeNodes = false }, null, ct).ConfigureAwait(false)) groups.Add(g);
        return groups;
    }

    /// <summary>The nodes of a node group as the cluster reports them (label eks.amazonaws.com/nodegroup); every node when <paramref name="nodeGroupName"/> is null.</summary>
    public async Task<IReadOnlyList<EksNode>> GetNodesAsync(string? nodeGroupName, CancellationToken ct)
    {
        var kube = _kube ?? throw new OpsException("EksNodesUnavailable", OpsErrorCategory.InvalidOperation,
            "The cluster's nodes cannot be read: no Kubernetes client was given (a kubeconfig for the cluster).");
        var request = new KubeListRequest { Selector = nodeGroupName is null ? null : $"{Kube.NodeGroupLabel}={nodeGroupName}" };
        var nodes = new List<EksNode>();
        await foreach (var n in new KubeQueries(kube, _time).ListNodesAsync(request, ct).ConfigureAwait(false)) nodes.Add(EksNode.From(n));
        return nodes;
    }

    private async Task AttachNodesAsync(EksNodeGroup group, IProgress<OpsEvent>? events, CancellationToken ct)
    {
        if (_kube is null) return;
        try
        {
            group.Nodes = await GetNodesAsync(group.NodeGroupName, ct).ConfigureAwait(false);
            group.NodesRead = true;
        }
        catch (OpsException ex) when (!ex.IsFatal)
        {
            events.Warning($"Node group '{group.NodeGroupName}': its nodes could not be read from the cluster ({ex.ErrorId}: {ex.Message}); shown without them.");
        }
    }

    /// <summary>
    /// UpdateNodegroupVersion as given. The request's ClientRequestToken makes a repeated attempt harmless; EKS's own refusals
    /// (ResourceInUseException while another update runs, InvalidParameterException, ...) stay EKS's ids.
    /// </summary>
    public Task<EksUpdate> UpdateNodeGroupVersionAsync(EksNodeGroupVersionUpdate request, CancellationToken ct) => _eks.UpdateNodegroupVersionAsync(request, ct);

    // ---------------------------------------------------------------- control plane

    /// <summary>
    /// Checks a control-plane update before any change: the target is one minor above the current one (else EksVersionSkip,
    /// EksVersionDowngrade or EksVersionCurrent) and every managed node group is at the current minor (else EksNodeGroupBehind,
    /// naming them: EKS lets a control plane move only when its node groups caught up with it).
    /// </summary>
    public async Task<EksControlPlaneStep> CheckControlPlaneStepAsync(string clusterName, string targetVersion, CancellationToken ct)
    {
        var target = EksVersion.Parse(targetVersion);
        var cluster = await _eks.DescribeClusterAsync(clusterName, ct).ConfigureAwait(false);
        var current = EksVersion.Parse(cluster.Version, $"the cluster's version");
        if (EksVersion.StepRefusal(clusterName, current, target) is { } refusal) throw refusal;
        var groups = await GetAllNodeGroupsAsync(clusterName, ct).ConfigureAwait(false);
        var behind = groups.Where(g => EksVersion.TryParse(g.Version, out var v) && v < current).ToList();
        if (behind.Count > 0)
            throw new OpsException("EksNodeGroupBehind", OpsErrorCategory.InvalidOperation,
                $"The control plane of '{clusterName}' is at {current}, but node group{(behind.Count > 1 ? "s" : "")} " +
                $"{string.Join(", ", behind.Select(g => $"'{g.NodeGroupName}' ({g.Version})"))} still lag{(behind.Count > 1 ? "" : "s")} it. " +
                $"Bring them to {current} first; then the control plane can move to {target}. Nothing was changed.", clusterName)
            { RecommendedAction = string.Join("; ", behind.Select(g => $"Update-EksNodeGroup -ClusterName {clusterName} -NodeGroup {g.NodeGroupName} -KubernetesVersion {current} -Wait")) };
        return new EksControlPlaneStep { Cluster = cluster, From = current.ToString(), To = target.ToString(), NodeGroups = groups };
    }

    /// <summary>
    /// UpdateClusterVersion as given (check it first with <see cref="CheckControlPlaneStepAsync"/>). When EKS refuses it because
    /// its upgrade-readiness checks fail (InvalidStateException), the refusal is an <see cref="EksUpgradeBlockedException"/>
    /// listing the ERROR and WARNING upgrade insights for the target minor with their recommendations.
    /// </summary>
    public async Task<EksUpdate> UpdateClusterVersionAsync(EksClusterVersionUpdate request, CancellationToken ct)
    {
        try
        {
            return await _eks.UpdateClusterVersionAsync(request, ct).ConfigureAwait(false);
        }
        catch (OpsException ex) when (ex.ErrorId == "InvalidStateException")
        {
            IReadOnlyList<EksInsight> failing;
            try
            {
                failing = await GetFailingInsightsAsync(request.ClusterName, request.KubernetesVersion, ct).ConfigureAwait(false);
            }
            catch (OpsException inner) when (!inner.IsFatal)
            {
                throw new EksUpgradeBlockedException(ex, $"{ex.Message} The upgrade insights could not be read ({inner.ErrorId}: {inner.Message}).",
                    Array.Empty<EksInsight>(), request.ClusterName);
            }
            var lines = failing.Select(i => $"  {i.Status.ToString().ToUpperInvariant()} {i.Name}: {i.Reason ?? i.Description}" +
                                            (i.Recommendation is { } r ? $" Recommendation: {r}" : "") +
                                            (i.Resources.Count > 0 ? $" Resources: {string.Join(", ", i.Resources.Take(10))}{(i.Resources.Count > 10 ? ", ..." : "")}" : ""));
            var message = failing.Count == 0
                ? $"{ex.Message} No failing upgrade insight for {request.KubernetesVersion} was listed; check Get-EksCluster {request.ClusterName} and its health."
                : $"{ex.Message} Failing upgrade insights for {request.KubernetesVersion}:{Environment.NewLine}{string.Join(Environment.NewLine, lines)}";
            throw new EksUpgradeBlockedException(ex, message, failing, request.ClusterName)
            { RecommendedAction = "Fix what the insights name (Test-EksUpgradeReadiness shows them too), then run the update again." };
        }
    }

    // ---------------------------------------------------------------- insights

    /// <summary>Upgrade insights (category UPGRADE_READINESS), filtered by minor and status when given, paged as the consumer asks.</summary>
    public async IAsyncEnumerable<EksInsight> GetInsightsAsync(string clusterName, string? kubernetesVersion, IReadOnlyList<EksInsightStatus>? statuses,
        [EnumeratorCancellation] CancellationToken ct)
    {
        var filter = new EksInsightFilter
        {
            KubernetesVersions = kubernetesVersion is null ? Array.Empty<string>() : new[] { kubernetesVersion },
            Statuses = statuses ?? Array.Empty<EksInsightStatus>(),
        };
        string? token = null;
        var seen = new HashSet<string>(StringComparer.Ordinal);
        do
        {
            var page = await _eks.ListInsightsAsync(clusterName, filter, null, token, ct).ConfigureAwait(false);
            foreach (var i in page.Items) yield return i;
            token = Next(seen, page.NextToken, "ListInsights", clusterName);
        } while (token is not null);
    }

    public Task<EksInsight> DescribeInsightAsync(string clusterName, string id, CancellationToken ct) => _eks.DescribeInsightAsync(clusterName, id, ct);

    /// <summary>The ERROR and WARNING upgrade insights for a minor, each described (recommendation, resources), ERROR first.</summary>
    public async Task<IReadOnlyList<EksInsight>> GetFailingInsightsAsync(string clusterName, string kubernetesVersion, CancellationToken ct)
    {
        var failing = new List<EksInsight>();
        await foreach (var i in GetInsightsAsync(clusterName, kubernetesVersion, new[] { EksInsightStatus.Error, EksInsightStatus.Warning }, ct).ConfigureAwait(false))
        {
            // A server that ignores the filter must not make passing checks look failing.
            if (!i.IsFailing || (i.KubernetesVersion is { } v && v != kubernetesVersion)) continue;
            failing.Add(await _eks.DescribeInsightAsync(clusterName, i.Id, ct).ConfigureAwait(false));
        }
        return failing.OrderBy(i => i.Status == EksInsightStatus.Error ? 0 : 1).ThenBy(i => i.Name, StringComparer.Ordinal).ToList();
    }

    // ---------------------------------------------------------------- add-ons

    /// <summary>A cluster's installed add-on names (ListAddons, paged).</summary>
    public async IAsyncEnumerable<string> ListAddonNamesAsync(string clusterName, int? pageSize, [EnumeratorCancellation] CancellationToken ct)
    {
        string? token = null;
        var seen = new HashSet<string>(StringComparer.Ordinal);
        do
        {
            var page = await _eks.ListAddonsAsync(clusterName, pageSize, token, ct).ConfigureAwait(false);
            foreach (var name in page.Items) yield return name;
            token = Next(seen, page.NextToken, "ListAddons", clusterName);
        } while (token is not null);
    }

    public Task<EksAddon> GetAddonAsync(string clusterName, string addonName, CancellationToken ct) => _eks.DescribeAddonAsync(clusterName, addonName, ct);

    /// <summary>Installed add-ons by name (wildcards matched against ListAddons); empty: all, each described as the consumer asks for it.</summary>
    public async IAsyncEnumerable<EksAddon> GetAddonsAsync(string clusterName, IReadOnlyList<string> names, int? pageSize, [EnumeratorCancellation] CancellationToken ct)
    {
        foreach (var name in names.Where(n => !Wildcard.HasWildcard(n)))
            yield return await _eks.DescribeAddonAsync(clusterName, name, ct).ConfigureAwait(false);
        var patterns = names.Where(Wildcard.HasWildcard).Select(Wildcard.ToRegex).ToList();
        if (names.Count > 0 && patterns.Count == 0) yield break;
        await foreach (var name in ListAddonNamesAsync(clusterName, pageSize, ct).ConfigureAwait(false))
            if (patterns.Count == 0 || patterns.Any(p => p.IsMatch(name)))
                yield return await _eks.DescribeAddonAsync(clusterName, name, ct).ConfigureAwait(false);
    }

    /// <summary>
    /// Per add-on, its versions for a Kubernetes minor: default, latest compatible, installed, and whether the installed one is
    /// compatible. Without names: the installed add-ons, one DescribeAddonVersions (by name) each, as the consumer asks; with
    /// <see cref="EksAddonVersionQuery.IncludeNotInstalled"/>: the whole catalogue for the minor, page by page. An add-on the
    /// catalogue does not have for that minor comes with no compatible version (IsInstalledCompatible false).
    /// </summary>
    public async IAsyncEnumerable<EksAddonVersion> GetAddonVersionsAsync(EksAddonVersionQuery query, [EnumeratorCancellation] CancellationToken ct)
    {
        var minor = EksVersion.Parse(query.KubernetesVersion).ToString();
        var installed = new Dictionary<string, string>(StringComparer.Ordinal);
        var names = query.AddonNames.ToList();
        await foreach (var name in ListAddonNamesAsync(query.ClusterName, null, ct).ConfigureAwait(false))
        {
            if (names.Count > 0 && !names.Contains(name, StringComparer.Ordinal)) continue;
            installed[name] = (await _eks.DescribeAddonAsync(query.ClusterName, name, ct).ConfigureAwait(false)).AddonVersion;
        }
        if (names.Count == 0 && query.IncludeNotInstalled)
        {
            string? token = null;
            var seen = new HashSet<string>(StringComparer.Ordinal);
            do
            {
                var page = await _eks.DescribeAddonVersionsAsync(minor, null, null, token, ct).ConfigureAwait(false);
                foreach (var entry in page.Items) yield return Versions(query.ClusterName, minor, entry, installed.GetValueOrDefault(entry.AddonName));
                token = Next(seen, page.NextToken, "DescribeAddonVersions", minor);
            } while (token is not null);
            yield break;
        }
        foreach (var name in names.Count > 0 ? names : installed.Keys.Order(StringComparer.Ordinal).ToList())
        {
            var entries = new List<EksAddonCatalogEntry>();
            string? token = null;
            var seen = new HashSet<string>(StringComparer.Ordinal);
            do
            {
                var page = await _eks.DescribeAddonVersionsAsync(minor, name, null, token, ct).ConfigureAwait(false);
                entries.AddRange(page.Items.Where(e => e.AddonName == name));
                token = Next(seen, page.NextToken, "DescribeAddonVersions", name);
            } while (token is not null);
            var merged = new EksAddonCatalogEntry
            {
                AddonName = name, Type = entries.FirstOrDefault()?.Type, Owner = entries.FirstOrDefault()?.Owner, Publisher = entries.FirstOrDefault()?.Publisher,
                Versions = entries.SelectMany(e => e.Versions).ToList(),
            };
            yield return Versions(query.ClusterName, minor, merged, installed.GetValueOrDefault(name));
        }
    }

    /// <summary>One catalogue entry seen for one minor.</summary>
    public static EksAddonVersion Versions(string clusterName, string minor, EksAddonCatalogEntry entry, string? installedVersion)
    {
        var compatible = entry.Versions.Where(v => v.ClusterVersions.Contains(minor, StringComparer.Ordinal)).ToList();
        var ordered = compatible.Select(v => v.AddonVersion).Distinct(StringComparer.Ordinal).OrderByDescending(v => v, EksVersion.AddonVersionComparer).ToList();
        return new EksAddonVersion
        {
            ClusterName = clusterName,
            AddonName = entry.AddonName,
            KubernetesVersion = minor,
            DefaultVersion = compatible.Where(v => v.DefaultFor.Contains(minor, StringComparer.Ordinal)).Select(v => v.AddonVersion)
                .OrderByDescending(v => v, EksVersion.AddonVersionComparer).FirstOrDefault(),
            LatestVersion = ordered.FirstOrDefault(),
            CompatibleVersions = ordered,
            InstalledVersion = installedVersion,
            Type = entry.Type,
            Owner = entry.Owner,
            Publisher = entry.Publisher,
        };
    }

    /// <summary>
    /// The version an add-on update should install for a minor: <paramref name="given"/> when given (checked against the catalogue
    /// for the minor: a version it does not list for that minor is EksAddonVersionIncompatible), else the minor's default (else its
    /// latest compatible); an add-on without any version for the minor is EksAddonVersionNotFound.
    /// </summary>
    public async Task<string> ResolveAddonVersionAsync(string clusterName, string addonName, string kubernetesVersion, string? given, CancellationToken ct)
    {
        EksAddonVersion? found = null;
        await foreach (var v in GetAddonVersionsAsync(new EksAddonVersionQuery { ClusterName = clusterName, KubernetesVersion = kubernetesVersion, AddonNames = new[] { addonName } }, ct)
                           .ConfigureAwait(false))
            found = v;
        if (found is null || found.RecommendedVersion is null)
            throw new OpsException("EksAddonVersionNotFound", OpsErrorCategory.ObjectNotFound,
                $"EKS lists no version of add-on '{addonName}' for Kubernetes {kubernetesVersion}.", $"{clusterName}/{addonName}");
        if (string.IsNullOrEmpty(given)) return found.RecommendedVersion;
        if (!found.CompatibleVersions.Contains(given, StringComparer.Ordinal))
            throw new OpsException("EksAddonVersionIncompatible", OpsErrorCategory.InvalidArgument,
                $"Add-on '{addonName}' {given} is not listed for Kubernetes {found.KubernetesVersion}; compatible: " +
                $"{string.Join(", ", found.CompatibleVersions.Take(8))}{(found.CompatibleVersions.Count > 8 ? ", ..." : "")} (default {found.DefaultVersion ?? "none"}).",
                $"{clusterName}/{addonName}")
            { RecommendedAction = $"Get-EksAddonVersion -KubernetesVersion {found.KubernetesVersion} -AddonName {addonName}" };
        return given;
    }

    /// <summary>UpdateAddon as given; the token as for the other updates.</summary>
    public Task<EksUpdate> UpdateAddonAsync(EksAddonUpdate request, CancellationToken ct) => _eks.UpdateAddonAsync(request, ct);

    // ---------------------------------------------------------------- updates

    /// <summary>
    /// Updates of a cluster, one node group or one add-on: the ids given, else every id ListUpdates gives (paged), each
    /// described as the consumer asks for it.
    /// </summary>
    public async IAsyncEnumerable<EksUpdate> GetUpdatesAsync(EksUpdateQuery query, [EnumeratorCancellation] CancellationToken ct)
    {
        if (query.UpdateIds.Count > 0)
        {
            foreach (var id in query.UpdateIds)
                yield return await _eks.DescribeUpdateAsync(query.ClusterName, id, query.NodeGroupName, query.AddonName, ct).ConfigureAwait(false);
            yield break;
        }
        string? token = null;
        var seen = new HashSet<string>(StringComparer.Ordinal);
        do
        {
            var page = await _eks.ListUpdatesAsync(query.ClusterName, query.NodeGroupName, query.AddonName, query.PageSize, token, ct).ConfigureAwait(false);
            foreach (var id in page.Items)
                yield return await _eks.DescribeUpdateAsync(query.ClusterName, id, query.NodeGroupName, query.AddonName, ct).ConfigureAwait(false);
            token = Next(seen, page.NextToken, "ListUpdates", query.ClusterName);
        } while (token is not null);
    }

    /// <summary>DescribeUpdate for an update as another call returned it (its cluster, node group or add-on say where to look).</summary>
    public Task<EksUpdate> GetUpdateAsync(EksUpdate update, CancellationToken ct) =>
        _eks.DescribeUpdateAsync(update.ClusterName, update.UpdateId, update.NodeGroupName, update.AddonName, ct);

    /// <summary>
    /// Waits for an update to end. Successful: returns it. Failed or Cancelled: an <see cref="EksUpdateFailedException"/> (id
    /// EKS's first error code, PodEvictionFailure naming the pods and, read from the cluster, the budgets that refuse them).
    /// Progress says the phase: for a node group, from its nodes (setup, scale up, upgrade — draining old nodes, scale down)
    /// when the cluster can be read. Cancellation (Ctrl+C) stops only the wait: the update goes on in AWS.
    /// Timeout: EksUpdateWaitTimeout.
    /// </summary>
    public async Task<EksUpdate> WaitUpdateAsync(EksUpdate update, TimeSpan timeout, IProgress<WaitProgress>? progress, CancellationToken ct, TimeProvider? time = null)
    {
        var what = update.Scope switch
        {
            EksUpdateScope.NodeGroup => $"node group {update.NodeGroupName}",
            EksUpdateScope.Addon => $"add-on {update.AddonName}",
            _ => $"cluster {update.ClusterName}",
        };
        (string? Text, int? Percent) phase = default;
        var done = await Waiter.WaitAsync(
            async token =>
            {
                var current = await GetUpdateAsync(update, token).ConfigureAwait(false);
                phase = current.Status == EksUpdateStatus.InProgress ? await PhaseAsync(current, token).ConfigureAwait(false) : default;
                return current;
            },
            u => u.Status switch
            {
                EksUpdateStatus.InProgress => WaitCheck.Pending(phase.Text is { Length: > 0 } p ? $"InProgress: {p}" : "InProgress", phase.Percent),
                EksUpdateStatus.Unknown => WaitCheck.Pending("status unknown"),
                _ => WaitCheck.Done(u.Status.ToString()),
            },
            new WaitOptions
            {
                Activity = $"EKS update {update.UpdateId} of {what}{(update.TargetVersion is { } v ? $" to {v}" : "")}",
                Timeout = timeout, InitialInterval = TimeSpan.FromSeconds(2), MaxInterval = TimeSpan.FromSeconds(30),
                TimeoutErrorId = "EksUpdateWaitTimeout", FailedErrorId = "EksUpdateFailed", Target = update, Time = time ?? _time,
            },
            progress, ct).ConfigureAwait(false);
        if (done.Status == EksUpdateStatus.Successful) return done;
        throw await FailureAsync(done, ct).ConfigureAwait(false);
    }

    /// <summary>Where a node group's update is, from its nodes; null when that cannot be said (no cluster access, not a node group).</summary>
    private async Task<(string? Text, int? Percent)> PhaseAsync(EksUpdate update, CancellationToken ct)
    {
        if (update.Scope == EksUpdateScope.Cluster) return (update.TargetVersion is { } cv ? $"control plane moving to {cv}" : null, null);
        if (update.Scope == EksUpdateScope.Addon) return (update.TargetVersion is { } av ? $"installing {av}" : null, null);
        if (_kube is null || !EksVersion.TryParse(update.TargetVersion, out var target)) return default;
        IReadOnlyList<EksNode> nodes;
        try { nodes = await GetNodesAsync(update.NodeGroupName, ct).ConfigureAwait(false); }
        catch (OpsException ex) when (!ex.IsFatal) { return default; }
        var updated = nodes.Count(n => EksVersion.TryParse(n.KubeletVersion, out var v) && v == target);
        var old = nodes.Where(n => !EksVersion.TryParse(n.KubeletVersion, out var v) || v != target).ToList();
        var cordoned = old.Count(n => !n.IsSchedulable);
        var total = updated + old.Count;
        int? percent = total > 0 ? (int)Math.Round(100.0 * updated / total) : null;
        var state = $"{updated} node{(updated == 1 ? "" : "s")} at {target}, {old.Count} older{(cordoned > 0 ? $" ({cordoned} cordoned)" : "")}";
        var name = old.Count == 0 ? "scale down" : cordoned > 0 ? "upgrade (draining old nodes)" : updated > 0 ? "scale up" : "setup";
        return ($"{name}; {state}", percent);
    }

    /// <summary>The error for an update that ended Failed or Cancelled, with the blocking budgets behind a PodEvictionFailure when the cluster can say.</summary>
    private async Task<EksUpdateFailedException> FailureAsync(EksUpdate update, CancellationToken ct)
    {
        var id = update.Errors.FirstOrDefault(e => e.ErrorCode.Length > 0)?.ErrorCode
                 ?? (update.Status == EksUpdateStatus.Cancelled ? "EksUpdateCancelled" : "EksUpdateFailed");
        var blocks = new List<BudgetBlock>();
        if (update.Scope == EksUpdateScope.NodeGroup && update.Errors.Any(e => e.ErrorCode == "PodEvictionFailure") && _kube is not null)
        {
            try
            {
                var drainer = new NodeDrainer(_kube, _time);
                foreach (var node in (await GetNodesAsync(update.NodeGroupName, ct).ConfigureAwait(false)).Where(n => !n.IsSchedulable))
                    blocks.AddRange((await drainer.PreviewAsync(node.Name, new DrainOptions(), ct).ConfigureAwait(false)).BlockingBudgets);
            }
            catch (OpsException ex) when (!ex.IsFatal)
            {
                // The errors[] EKS gave still name what failed; the budgets are extra.
            }
        }
        var errors = update.Errors.Count == 0
            ? "EKS gave no error details."
            : string.Join(" ", update.Errors.Select(e => $"{e.ErrorCode}: {e.ErrorMessage.TrimEnd('.')}{(e.ResourceIds.Count > 0 ? $" ({string.Join(", ", e.ResourceIds)})" : "")}."));
        var budgets = blocks.Count == 0 ? "" :
            " Disruption budgets refusing evictions now: " + string.Join("; ", blocks.Select(b => $"{b.Namespace}/{b.Budget} blocks pod {b.Pod}" +
                (b.NeedsHealthy is { } n ? $" (needs {n} healthy, has {b.HasHealthy})" : ""))) + ".";
        var hint = update.Errors.Any(e => e.ErrorCode == "PodEvictionFailure")
            ? " Fix the budgets (more replicas, or a looser budget) and run the update again, or repeat it with -ForceEvictPastDisruptionBudget to evict past them."
            : "";
        var message = $"EKS update {update.UpdateId} of {update.Target} ended {update.Status}: {errors}{budgets}{hint}";
        return new EksUpdateFailedException(id, message, update, blocks)
        {
            RecommendedAction = hint.Length > 0 ? hint.Trim() : $"Check Get-EksUpdate -UpdateId {update.UpdateId} and the resources it names, then run the update again.",
        };
    }

    /// <summary>The next page's token; one that came back a second time is EksPagingLoop (the server would send the same pages for ever).</summary>
    private static string? Next(HashSet<string> seen, string? token, string operation, string? target)
    {
        if (string.IsNullOrEmpty(token)) return null;
        if (seen.Add(token)) return token;
        throw new OpsException("EksPagingLoop", OpsErrorCategory.InvalidResult,
            $"EKS returned a {operation} nextToken it had already given ({seen.Count} distinct tokens so far): paging stopped instead of looping. " +
            $"Token: {(token.Length > 40 ? token[..40] + "..." : token)}", target);
    }
}
