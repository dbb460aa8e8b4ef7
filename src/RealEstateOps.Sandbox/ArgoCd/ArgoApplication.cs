using System.Text.Json.Nodes;

namespace RealEstateOps.Sandbox.ArgoCd;

/// <summary>
/// One Argo CD Application's state (argoproj.io/v1alpha1): its spec, the operation asked for and its state, the deployment
/// history and what the controller last compared. Mutable, and only ever read or changed under <see cref="ArgoCdStore.Gate"/>.
/// </summary>
public sealed class ArgoApplication
{
    public required string Name { get; init; }
    public string Namespace { get; init; } = ArgoCdStore.ControlNamespace;
    public required string Uid { get; init; }
    public required DateTimeOffset CreatedAt { get; init; }
    public long ResourceVersion { get; set; } = 1;
    public long Generation { get; set; } = 1;
    public JsonObject Labels { get; set; } = new();
    public JsonObject Annotations { get; set; } = new();
    /// <summary>spec: source {repoURL, path, targetRevision}, destination {server, namespace}, project, syncPolicy.</summary>
    public required JsonObject Spec { get; set; }
    /// <summary>The operation asked for (top-level "operation"), while it has not completed.</summary>
    public JsonObject? Operation { get; set; }
    /// <summary>status.operationState of the current or last operation.</summary>
    public JsonObject? OperationState { get; set; }
    /// <summary>status.history: successful syncs, oldest first, ids counting from 0.</summary>
    public List<JsonObject> History { get; } = new();
    public string SyncStatus { get; set; } = "Unknown";
    /// <summary>The commit the target revision resolved to at the last comparison.</summary>
    public string? ComparedRevision { get; set; }
    public string HealthStatus { get; set; } = "Unknown";
    public DateTimeOffset? HealthChangedAt { get; set; }
    public JsonArray Resources { get; set; } = new();
    public JsonArray Images { get; set; } = new();
    public DateTimeOffset? ReconciledAt { get; set; }
    /// <summary>Why the last comparison failed (an unknown revision, a manifest that does not parse): status.conditions.</summary>
    public string? ComparisonError { get; set; }

    public bool Automated => Spec["syncPolicy"]?["automated"] is JsonObject automated && (bool?)automated["enabled"] != false;
    public string TargetRevision => (string?)Spec["source"]?["targetRevision"] is { Length: > 0 } r ? r : "HEAD";
    public string SourcePath => (string?)Spec["source"]?["path"] ?? ".";
    public string DestinationNamespace => (string?)Spec["destination"]?["namespace"] ?? "default";
    public string Project => (string?)Spec["project"] ?? "default";
}
