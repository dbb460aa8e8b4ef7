using System.Globalization;
using System.Text.Json.Nodes;
using k8s;
using k8s.Models;
using RealEstateOps.Engine.Common;

namespace RealEstateOps.Engine.Kubernetes;

/// <summary>
/// The LLM runbook's mitigations through the llm-service's configuration (a ConfigMap its pods read at start): switch to the
/// fallback provider, throttle requests. The value a change replaces is kept in an annotation of the ConfigMap, so the change
/// can be reverted; then a rolling restart (kubectl rollout restart) makes the pods read it. A value that is already the one
/// asked for changes nothing and restarts nothing.
/// </summary>
public sealed class LlmServiceConfigurator
{
    public const string DefaultConfigMap = "llm-service-config";
    public const string DefaultDeployment = "llm-service";
    public const string ProviderKey = "LLM_PROVIDER";
    public const string ModelKey = "LLM_MODEL";
    public const string FallbackProviderKey = "LLM_FALLBACK_PROVIDER";
    public const string FallbackModelKey = "LLM_FALLBACK_MODEL";
    public const string RateLimitKey = "LLM_RATE_LIMIT_RPM";
    public const string PreviousProviderAnnotation = "realestateops.io/previous-llm-provider";
    public const string PreviousRateLimitAnnotation = "realestateops.io/previous-llm-rate-limit-rpm";
    public const string ChangedAtAnnotation = "realestateops.io/llm-config-changed-at";

    private readonly KubeClient _client;
    private readonly TimeProvider _time;

    public LlmServiceConfigurator(KubeClient client, TimeProvider? time = null)
    {
        _client = client;
        _time = time ?? TimeProvider.System;
    }

    public async Task<LlmServiceConfig> GetAsync(LlmConfigRequest request, CancellationToken ct) => Of(request, await ReadAsync(request, ct).ConfigureAwait(false));

    /// <summary>
    /// Sets LLM_PROVIDER to <paramref name="provider"/>, by default the configured LLM_FALLBACK_PROVIDER (LlmFallbackNotConfigured
    /// when there is none); with <paramref name="revert"/> back to the provider the last switch replaced (LlmConfigNothingToRevert).
    /// </summary>
    public Task<LlmConfigChange> SwitchProviderAsync(LlmConfigRequest request, string? provider, bool revert, CancellationToken ct) =>
        ChangeAsync(request, ProviderKey, PreviousProviderAnnotation, revert, map =>
        {
            if (provider is not null) return provider;
            if (map.Data?.TryGetValue(FallbackProviderKey, out var fallback) == true && fallback.Length > 0) return fallback;
            throw new OpsException("LlmFallbackNotConfigured", OpsErrorCategory.InvalidOperation,
                $"ConfigMap '{request.ConfigMap}' in namespace '{request.Namespace}' names no {FallbackProviderKey}: give the provider to switch to.", request.ConfigMap);
        }, ct);

    /// <summary>Sets LLM_RATE_LIMIT_RPM (requests per minute, at least 1); with <paramref name="revert"/> back to the value the last change replaced.</summary>
    public Task<LlmConfigChange> SetRequestLimitAsync(LlmConfigRequest request, int? requestsPerMinute, bool revert, CancellationToken ct)
    {
        if (!revert && requestsPerMinute is not > 0)
            throw new OpsException("LlmRequestLimitInvalid", OpsErrorCategory.InvalidArgument, $"A request limit is a number of requests per minute of 1 or more (got {requestsPerMinute?.ToString(CultureInfo.InvariantCulture) ?? "none"}).");
        return ChangeAsync(request, RateLimitKey, PreviousRateLimitAnnotation, revert, _ => requestsPerMinute!.Value.ToString(CultureInfo.InvariantCulture), ct);
    }

    private async Task<LlmConfigChange> ChangeAsync(LlmConfigRequest request, string key, string annotation, bool revert, Func<V1ConfigMap, string> wanted, CancellationToken ct)
    {
        var (ns, name) = (request.Namespace, request.ConfigMap);
        var map = await ReadAsync(request, ct).ConfigureAwait(false);
        var old = map.Data?.TryGetValue(key, out var v) == true ? v : null;
        string? target;
        if (revert)
        {
            if (map.Metadata.Annotations?.TryGetValue(annotation, out var previous) != true)
                throw new OpsException("LlmConfigNothingToRevert", OpsErrorCategory.InvalidOperation,
                    $"ConfigMap '{name}' in namespace '{ns}' records no earlier {key} (annotation {annotation}): there is nothing to revert.", name);
            target = previous!.Length == 0 ? null : previous;
        }
        else target = wanted(map);

        if (string.Equals(old, target, StringComparison.Ordinal) && !revert)
            return new LlmConfigChange { Config = Of(request, map), Setting = key, OldValue = old, NewValue = target, Changed = false };

        // A merge patch with the resourceVersion read: a concurrent change of the ConfigMap makes it fail (KubeConflict) instead of being lost.
        var patch = new JsonObject
        {
            ["metadata"] = new JsonObject
            {
                ["resourceVersion"] = map.Metadata.ResourceVersion,
                ["annotations"] = new JsonObject
                {
                    [annotation] = revert ? null : JsonValue.Create(old ?? ""),
                    [ChangedAtAnnotation] = _time.GetUtcNow().ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture),
                },
            },
            ["data"] = new JsonObject { [key] = target is null ? null : JsonValue.Create(target) },
        };
        var updated = await _client.Call(api => api.CoreV1.PatchNamespacedConfigMapAsync(new V1Patch(patch.ToJsonString(), V1Patch.PatchType.MergePatch), name, ns, cancellationToken: ct),
            "ConfigMap", name, ns).ConfigureAwait(false);
        var changed = !string.Equals(old, target, StringComparison.Ordinal);
        RolloutStatus? restart = null;
        if (changed)
        {
            try
            {
                restart = await new Rollouts(_client, _time).RestartAsync(new RolloutRequest(ns, request.Deployment), ct).ConfigureAwait(false);
            }
            catch (OpsException ex)
            {
                throw new OpsException(ex.ErrorId, ex.Category,
                    $"{key} is now '{target}' in ConfigMap '{name}', but the restart of deployment '{request.Deployment}' that applies it failed: {ex.Message} " +
                    $"The pods read the new value when they next start (Restart-Deployment {request.Deployment} -Namespace {ns}).", request.Deployment, ex);
            }
        }
        return new LlmConfigChange { Config = Of(request, updated), Setting = key, OldValue = old, NewValue = target, Changed = changed, Reverted = revert, Restart = restart };
    }

    private async Task<V1ConfigMap> ReadAsync(LlmConfigRequest request, CancellationToken ct)
    {
        try
        {
            return await _client.Call(api => api.CoreV1.ReadNamespacedConfigMapAsync(request.ConfigMap, request.Namespace, cancellationToken: ct), "ConfigMap", request.ConfigMap, request.Namespace).ConfigureAwait(false);
        }
        catch (OpsException ex) when (ex.ErrorId == "ConfigMapNotFound")
        {
            throw new OpsException("LlmConfigNotFound", OpsErrorCategory.ObjectNotFound,
                $"The llm-service's configuration, ConfigMap '{request.ConfigMap}' in namespace '{request.Namespace}', does not exist: {ex.Message}", request.ConfigMap, ex);
        }
    }

    private static LlmServiceConfig Of(LlmConfigRequest request, V1ConfigMap map)
    {
        var data = map.Data ?? new Dictionary<string, string>();
        var annotations = map.Metadata.Annotations ?? new Dictionary<string, string>();
        string? Get(string key) => data.TryGetValue(key, out var v) ? v : null;
        return new LlmServiceConfig
        {
            Namespace = request.Namespace, ConfigMap = request.ConfigMap, Deployment = request.Deployment,
            Provider = Get(ProviderKey), Model = Get(ModelKey), FallbackProvider = Get(FallbackProviderKey), FallbackModel = Get(FallbackModelKey),
            RequestsPerMinute = int.TryParse(Get(RateLimitKey), NumberStyles.Integer, CultureInfo.InvariantCulture, out var rpm) ? rpm : null,
            PreviousProvider = annotations.TryGetValue(PreviousProviderAnnotation, out var p) ? p : null,
            PreviousRequestsPerMinute = annotations.TryGetValue(PreviousRateLimitAnnotation, out var r) ? r : null,
            ChangedAt = annotations.TryGetValue(ChangedAtAnnotation, out var at) && DateTimeOffset.TryParse(at, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var t) ? t : null,
            Data = new Dictionary<string, string>(data, StringComparer.Ordinal),
        };
    }
}
