using k8s;
using k8s.Models;
using RealEstateOps.Engine.Common;

namespace RealEstateOps.Engine.Kubernetes;

/// <summary>
/// Verify Deployment: per deployment desired/updated/ready/available, pods not ready, containers
/// crash-looping or restarted recently, and services without ready endpoints. Failed when a deployment
/// has no available replica or passed its progress deadline; Degraded for anything short of that; else Healthy.
/// </summary>
public sealed class DeploymentHealthChecker
{
    private readonly KubeClient _client;
    private readonly TimeProvider _time;

    public DeploymentHealthChecker(KubeClient client, TimeProvider? time = null)
    {
        _client = client;
        _time = time ?? TimeProvider.System;
    }

    /// <summary>The verdict; each reason is also reported as a Verbose note.</summary>
    public async Task<DeploymentVerification> CheckAsync(DeploymentHealthRequest request, IProgress<OpsEvent>? events, CancellationToken ct)
    {
        var (ns, names, restartWindow) = (request.Namespace, request.Names, request.RestartWindow);
        var deployments = new List<V1Deployment>();
        var queries = new KubeQueries(_client, _time);
        var list = await _client.Call(api => api.AppsV1.ListNamespacedDeploymentAsync(ns, cancellationToken: ct), "Deployment", null, ns).ConfigureAwait(false);
        var patterns = names?.Where(n => n.Length > 0).ToArray() ?? Array.Empty<string>();
        foreach (var p in patterns)
            if (!Wildcard.HasWildcard(p) && list.Items.All(d => d.Metadata.Name != p))
            {
                if (list.Items.Count == 0) await queries.RequireNamespaceAsync(ns, ct).ConfigureAwait(false);
                throw new OpsException("DeploymentNotFound", OpsErrorCategory.ObjectNotFound, $"Deployment '{p}' was not found in namespace '{ns}'.", p);
            }
        deployments.AddRange(list.Items.Where(d => patterns.Length == 0 || patterns.Any(p => Wildcard.IsMatch(d.Metadata.Name, p))).OrderBy(d => d.Metadata.Name, StringComparer.Ordinal));
        if (deployments.Count == 0 && patterns.Length == 0) await queries.RequireNamespaceAsync(ns, ct).ConfigureAwait(false);

        var pods = await queries.PodsAsync(ns, null, null, ct).ConfigureAwait(false);
        var services = await _client.Call(api => api.CoreV1.ListNamespacedServiceAsync(ns, cancellationToken: ct), "Service", null, ns).ConfigureAwait(false);
        var endpoints = await _client.Call(api => api.CoreV1.ListNamespacedEndpointsAsync(ns, cancellationToken: ct), "Endpoints", null, ns).ConfigureAwait(false);
        var now = _time.GetUtcNow();

        var checks = deployments.Select(d => Check(d, pods, now, restartWindow)).ToArray();
        var withoutEndpoints = new List<string>();
        foreach (var svc in services.Items.OrderBy(s => s.Metadata.Name, StringComparer.Ordinal))
        {
            if (svc.Spec?.Selector is not { Count: > 0 } selector) continue;
            // With -Name, only the services in front of the deployments checked.
            if (patterns.Length > 0 && !deployments.Any(d => selector.All(kv => d.Spec.Template?.Metadata?.Labels?.TryGetValue(kv.Key, out var v) == true && v == kv.Value))) continue;
            var ep = endpoints.Items.FirstOrDefault(e => e.Metadata.Name == svc.Metadata.Name);
            if (ep?.Subsets?.Any(s => s.Addresses is { Count: > 0 }) != true) withoutEndpoints.Add(svc.Metadata.Name);
        }

        var reasons = checks.SelectMany(c => c.Reasons.Select(r => $"{c.Name}: {r}")).Concat(withoutEndpoints.Select(s => $"service {s} has no ready endpoints")).ToArray();
        var status = checks.Any(c => c.Status == HealthStatus.Failed) ? HealthStatus.Failed
            : checks.Any(c => c.Status == HealthStatus.Degraded) || withoutEndpoints.Count > 0 ? HealthStatus.Degraded : HealthStatus.Healthy;
        foreach (var reason in reasons) events.Verbose(reason);
        return new DeploymentVerification { Namespace = ns, Status = status, Deployments = checks, ServicesWithoutEndpoints = withoutEndpoints.ToArray(), Reasons = reasons, CheckedAt = now };
    }

    private static DeploymentCheck Check(V1Deployment d, List<V1Pod> pods, DateTimeOffset now, TimeSpan restartWindow)
    {
        var s = d.Status ?? new V1DeploymentStatus();
        var desired = d.Spec.Replicas ?? 1;
        var mine = pods.Where(p => Kube.Matches(d.Spec.Selector, p.Metadata.Labels) && p.Metadata.DeletionTimestamp is null).ToList();
        var notReady = mine.Where(p => p.Status?.Conditions?.Any(c => c.Type == "Ready" && c.Status == "True") != true).Select(p => p.Metadata.Name).ToArray();
        var crash = new List<string>();
        var restarted = new List<string>();
        foreach (var p in mine)
            foreach (var c in p.Status?.ContainerStatuses ?? new List<V1ContainerStatus>())
            {
                if (c.State?.Waiting?.Reason == "CrashLoopBackOff") crash.Add($"{p.Metadata.Name}/{c.Name}");
                else if (c.RestartCount > 0 && c.LastState?.Terminated?.FinishedAt is { } f && now - new DateTimeOffset(DateTime.SpecifyKind(f, DateTimeKind.Utc)) <= restartWindow)
                    restarted.Add($"{p.Metadata.Name}/{c.Name}");
            }
        var reasons = new List<string>();
        var failed = false;
        if (s.Conditions?.FirstOrDefault(c => c.Type == "Progressing")?.Reason == "ProgressDeadlineExceeded") { reasons.Add("rollout exceeded its progress deadline"); failed = true; }
        if (desired > 0 && (s.AvailableReplicas ?? 0) == 0) { reasons.Add("no available replicas"); failed = true; }
        if ((s.ReadyReplicas ?? 0) < desired) reasons.Add($"{s.ReadyReplicas ?? 0}/{desired} replicas ready");
        if ((s.UpdatedReplicas ?? 0) < desired) reasons.Add($"{s.UpdatedReplicas ?? 0}/{desired} replicas updated");
        if (crash.Count > 0) reasons.Add($"crash-looping: {string.Join(", ", crash)}");
        if (restarted.Count > 0) reasons.Add($"restarted within {Waiting.Waiter.Format(restartWindow)}: {string.Join(", ", restarted)}");
        if (notReady.Length > 0 && crash.Count == 0) reasons.Add($"pods not ready: {string.Join(", ", notReady)}");
        return new DeploymentCheck
        {
            Namespace = d.Metadata.NamespaceProperty ?? "", Name = d.Metadata.Name, Desired = desired, Updated = s.UpdatedReplicas ?? 0, Ready = s.ReadyReplicas ?? 0,
            Available = s.AvailableReplicas ?? 0, PodsNotReady = notReady, CrashLooping = crash.ToArray(), RestartedRecently = restarted.ToArray(), Reasons = reasons.ToArray(),
            Status = failed ? HealthStatus.Failed : reasons.Count > 0 ? HealthStatus.Degraded : HealthStatus.Healthy,
        };
    }
}
