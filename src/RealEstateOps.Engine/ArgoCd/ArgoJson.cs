using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace RealEstateOps.Engine.ArgoCd;

/// <summary>
/// Reads argocd-server's JSON (pkg/apis/application/v1alpha1 types as the grpc-gateway serves them) into the models.
/// Every field is optional and order does not matter: a missing one is null/Unknown, never an error.
/// </summary>
internal static class ArgoJson
{
    public static ArgoApplication Application(JsonObject app, JsonObject? tree = null)
    {
        var name = Str(app["metadata"], "name") ?? "";
        var spec = app["spec"] as JsonObject;
        var status = app["status"] as JsonObject;
        var source = spec?["source"] as JsonObject ?? (spec?["sources"] as JsonArray)?.OfType<JsonObject>().FirstOrDefault();
        var automated = spec?["syncPolicy"]?["automated"] as JsonObject;
        var op = status?["operationState"] as JsonObject;
        var history = History(name, status?["history"] as JsonArray);
        var resources = (status?["resources"] as JsonArray)?.OfType<JsonObject>().ToList() ?? new List<JsonObject>();
        var unhealthy = tree is not null
            ? Nodes(name, tree).Where(r => r.Health is { } h && h != ArgoHealthStatus.Healthy).ToList()
            : resources.Select(r => Resource(name, r)).Where(r => r.Health is { } h && h != ArgoHealthStatus.Healthy).ToList();
        return new ArgoApplication
        {
            Name = name,
            Project = Str(spec, "project") ?? "",
            SyncStatus = Enum<ArgoSyncStatus>(Str(status?["sync"], "status")) ?? ArgoSyncStatus.Unknown,
            Health = Enum<ArgoHealthStatus>(Str(status?["health"], "status")) ?? ArgoHealthStatus.Unknown,
            HealthMessage = Str(status?["health"], "message"),
            Revision = Str(status?["sync"], "revision") ?? (status?["sync"]?["revisions"] as JsonArray)?.Select(r => r is JsonValue v && v.TryGetValue<string>(out var s) ? s : null).FirstOrDefault(),
            DeployedRevision = history.Count > 0 ? history[0].Revision : null,
            TargetRevision = Str(source, "targetRevision"),
            RepoUrl = Str(source, "repoURL"),
            Path = Str(source, "path"),
            DestinationServer = Str(spec?["destination"], "server") ?? Str(spec?["destination"], "name"),
            DestinationNamespace = Str(spec?["destination"], "namespace"),
            // Argo CD 3.x may say automated: {enabled: false}; an automated object without it is on.
            AutoSync = automated is not null && Bool(automated, "enabled") != false,
            OperationRequested = app["operation"] is JsonObject,
            OperationPhase = Enum<ArgoOperationPhase>(Str(op, "phase")),
            OperationMessage = Str(op, "message"),
            OperationStartedAt = Time(op, "startedAt"),
            OperationFinishedAt = Time(op, "finishedAt"),
            OperationRevision = Str(op?["syncResult"], "revision"),
            OutOfSyncResources = resources.Select(r => Resource(name, r)).Where(r => r.SyncStatus == ArgoSyncStatus.OutOfSync).ToList(),
            UnhealthyResources = unhealthy,
            Images = (status?["summary"]?["images"] as JsonArray)?.Select(i => i is JsonValue v && v.TryGetValue<string>(out var s) ? s : null).OfType<string>().ToList() ?? new List<string>(),
            ReconciledAt = Time(status, "reconciledAt"),
            History = history,
        };
    }

    /// <summary>status.history newest first (highest id); the newest is the current deployment.</summary>
    public static IReadOnlyList<ArgoHistoryEntry> History(string app, JsonArray? history)
    {
        var rows = history?.OfType<JsonObject>().Select(h => (Id: Long(h, "id") ?? 0, Row: h)).OrderByDescending(h => h.Id).ToList() ?? new();
        return rows.Select((h, i) => new ArgoHistoryEntry
        {
            Application = app,
            Id = h.Id,
            Revision = Str(h.Row, "revision") ?? (h.Row["revisions"] as JsonArray)?.Select(r => r is JsonValue v && v.TryGetValue<string>(out var s) ? s : null).FirstOrDefault(),
            DeployedAt = Time(h.Row, "deployedAt"),
            DeployStartedAt = Time(h.Row, "deployStartedAt"),
            InitiatedBy = Str(h.Row["initiatedBy"], "username") ?? (Bool(h.Row["initiatedBy"], "automated") == true ? "automated sync" : null),
            Automated = Bool(h.Row["initiatedBy"], "automated") == true,
            IsCurrent = i == 0,
        }).ToList();
    }

    public static IEnumerable<ArgoResource> Nodes(string app, JsonObject tree) =>
        (tree["nodes"] as JsonArray)?.OfType<JsonObject>().Select(n => Resource(app, n)) ?? Enumerable.Empty<ArgoResource>();

    private static ArgoResource Resource(string app, JsonObject r) => new()
    {
        Application = app,
        Group = Str(r, "group"),
        Kind = Str(r, "kind") ?? "",
        Namespace = Str(r, "namespace"),
        Name = Str(r, "name") ?? "",
        SyncStatus = Enum<ArgoSyncStatus>(Str(r, "status")),
        Health = Enum<ArgoHealthStatus>(Str(r["health"], "status")),
        HealthMessage = Str(r["health"], "message"),
    };

    /// <summary>The tag to show for a revision: a release tag (v*) first, else the first; null when none.</summary>
    public static string? BestTag(IReadOnlyList<string> tags) =>
        tags.Where(t => t.StartsWith('v')).OrderByDescending(t => t, StringComparer.Ordinal).FirstOrDefault() ?? tags.FirstOrDefault();

    public static IReadOnlyList<string> Tags(JsonObject metadata) =>
        (metadata["tags"] as JsonArray)?.Select(t => t is JsonValue v && v.TryGetValue<string>(out var s) ? s : null).OfType<string>().ToList() ?? new List<string>();

    // ---------------------------------------------------------------- field readers

    public static string? Str(JsonNode? node, string name) =>
        node is JsonObject o && o[name] is JsonValue v && v.GetValueKind() == JsonValueKind.String ? (string?)v : null;

    public static bool? Bool(JsonNode? node, string name) =>
        node is JsonObject o && o[name] is JsonValue v ? v.GetValueKind() switch { JsonValueKind.True => true, JsonValueKind.False => false, _ => null } : null;

    /// <summary>An int64 as grpc-gateway writes it: a number, or a string holding one.</summary>
    public static long? Long(JsonNode? node, string name) =>
        node is JsonObject o && o[name] is JsonValue v
            ? v.GetValueKind() == JsonValueKind.Number && v.TryGetValue<long>(out var n) ? n
            : v.GetValueKind() == JsonValueKind.String && long.TryParse((string?)v, NumberStyles.Integer, CultureInfo.InvariantCulture, out var s) ? s : null
            : null;

    public static DateTimeOffset? Time(JsonNode? node, string name) =>
        Str(node, name) is { } text && DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var t) ? t : null;

    public static T? Enum<T>(string? text) where T : struct, System.Enum =>
        text is not null && System.Enum.TryParse<T>(text, ignoreCase: true, out var value) && System.Enum.IsDefined(value) ? value : null;
}
