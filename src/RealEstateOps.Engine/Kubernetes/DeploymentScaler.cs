using System.Text.Json.Nodes;
using k8s;
using k8s.Models;
using RealEstateOps.Engine.Common;

namespace RealEstateOps.Engine.Kubernetes;

/// <summary>kubectl scale for deployments, through the scale subresource (a merge patch of spec.replicas, as kubectl sends it).</summary>
public sealed class DeploymentScaler
{
    private readonly KubeClient _client;

    public DeploymentScaler(KubeClient client) => _client = client;

    public async Task<DeploymentScale> GetAsync(string ns, string name, CancellationToken ct)
    {
        var scale = await _client.Call(api => api.AppsV1.ReadNamespacedDeploymentScaleAsync(name, ns, cancellationToken: ct), "Deployment", name, ns).ConfigureAwait(false);
        return Of(ns, name, scale, scale.Spec?.Replicas ?? 0);
    }

    /// <summary>
    /// Sets spec.replicas. Refuses a negative count (DeploymentReplicasInvalid) and zero without AllowZero
    /// (DeploymentScaleToZeroRefused: the service would stop serving). No request is sent when the count is already the one asked for.
    /// </summary>
    public async Task<DeploymentScale> ScaleAsync(DeploymentScaleRequest request, CancellationToken ct)
    {
        var (ns, name) = (request.Namespace, request.Name);
        if (request.Replicas < 0)
            throw new OpsException("DeploymentReplicasInvalid", OpsErrorCategory.InvalidArgument, $"{request.Replicas} replicas is not valid: give 0 or more.", name);
        if (request.Replicas == 0 && !request.AllowZero)
            throw new OpsException("DeploymentScaleToZeroRefused", OpsErrorCategory.InvalidOperation,
                $"Scaling deployment '{name}' in namespace '{ns}' to 0 replicas stops the service: it is refused unless asked for with -AllowZero.", name)
            { RecommendedAction = "Add -AllowZero if the service is meant to stop serving." };
        var current = await _client.Call(api => api.AppsV1.ReadNamespacedDeploymentScaleAsync(name, ns, cancellationToken: ct), "Deployment", name, ns).ConfigureAwait(false);
        var previous = current.Spec?.Replicas ?? 0;
        if (previous == request.Replicas) return Of(ns, name, current, previous);
        var patch = new JsonObject { ["spec"] = new JsonObject { ["replicas"] = request.Replicas } };
        var updated = await _client.Call(api => api.AppsV1.PatchNamespacedDeploymentScaleAsync(
            new V1Patch(patch.ToJsonString(), V1Patch.PatchType.MergePatch), name, ns, cancellationToken: ct), "Deployment", name, ns).ConfigureAwait(false);
        return Of(ns, name, updated, previous);
    }

    private static DeploymentScale Of(string ns, string name, V1Scale scale, int previous) => new()
    {
        Namespace = ns, Name = name, PreviousReplicas = previous, Replicas = scale.Spec?.Replicas ?? 0,
        CurrentReplicas = scale.Status?.Replicas ?? 0, Selector = scale.Status?.Selector ?? "",
    };
}
