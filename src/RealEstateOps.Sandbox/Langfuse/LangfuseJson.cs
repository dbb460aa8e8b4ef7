using System.Globalization;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http;

namespace RealEstateOps.Sandbox.Langfuse;

/// <summary>
/// Langfuse's wire format (its OpenAPI definition: ObservationV2 with field groups, ScoreV3, Dataset, DatasetItem,
/// the paginated and cursor metas) and its errors, <c>{"message": ..., "error": ...}</c> with the HTTP status.
/// </summary>
public static class LangfuseJson
{
    /// <summary>The observations API's field groups; core and basic when none are asked for.</summary>
    public static readonly string[] ObservationFieldGroups = { "core", "basic", "time", "io", "metadata", "model", "usage", "prompt", "metrics" };
    public static readonly string[] ScoreFieldGroups = { "details", "subject", "annotation" };

    public static string Time(DateTimeOffset t) => t.ToUniversalTime().ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture);
    private static JsonNode? Time(DateTimeOffset? t) => t is { } v ? JsonValue.Create(Time(v)) : null;

    public static JsonObject Observation(LangfuseObservation o, ISet<string> groups)
    {
        var j = new JsonObject
        {
            ["id"] = o.Id, ["traceId"] = o.TraceId, ["startTime"] = Time(o.StartTime), ["endTime"] = Time(o.EndTime),
            ["projectId"] = LangfuseStore.ProjectId, ["parentObservationId"] = o.ParentObservationId, ["type"] = o.Type,
            ["isRootObservation"] = o.IsRoot,
        };
        if (groups.Contains("basic"))
        {
            j["name"] = o.Name; j["level"] = o.Level; j["statusMessage"] = o.StatusMessage; j["version"] = o.Version; j["environment"] = o.Environment;
            j["bookmarked"] = false; j["public"] = false; j["userId"] = o.UserId; j["sessionId"] = o.SessionId;
            j["traceName"] = o.TraceName; j["tags"] = new JsonArray(o.Tags.Select(t => (JsonNode?)JsonValue.Create(t)).ToArray()); j["release"] = o.Release;
        }
        if (groups.Contains("time"))
        {
            j["completionStartTime"] = Time(o.CompletionStartTime); j["createdAt"] = Time(o.StartTime); j["updatedAt"] = Time(o.EndTime ?? o.StartTime);
        }
        if (groups.Contains("io")) { j["input"] = o.Input?.DeepClone(); j["output"] = o.Output?.DeepClone(); }
        if (groups.Contains("metadata")) j["metadata"] = new JsonObject();
        if (groups.Contains("model"))
        {
            j["providedModelName"] = o.ProvidedModelName; j["internalModelId"] = o.ProvidedModelName is null ? null : "model-" + o.ProvidedModelName;
            j["modelParameters"] = o.ProvidedModelName is null ? null : new JsonObject { ["temperature"] = 0.2, ["max_tokens"] = 4096 };
        }
        if (groups.Contains("usage"))
        {
            j["usageDetails"] = o.InputTokens is null ? new JsonObject() : new JsonObject { ["input"] = o.InputTokens, ["output"] = o.OutputTokens, ["total"] = o.TotalTokens };
            j["costDetails"] = o.InputCost is null ? new JsonObject() : new JsonObject { ["input"] = o.InputCost, ["output"] = o.OutputCost, ["total"] = o.TotalCost };
            j["totalCost"] = o.TotalCost;
        }
        if (groups.Contains("prompt")) { j["promptId"] = o.PromptName is null ? null : $"prompt-{o.PromptName}-{o.PromptVersion}"; j["promptName"] = o.PromptName; j["promptVersion"] = o.PromptVersion; }
        if (groups.Contains("metrics"))
        {
            j["latency"] = o.LatencyMs is { } l ? Math.Round(l / 1000, 3) : null;
            j["timeToFirstToken"] = o.TimeToFirstTokenMs is { } f ? Math.Round(f / 1000, 3) : null;
        }
        return j;
    }

    public static JsonObject Score(LangfuseScore s, ISet<string> groups)
    {
        var j = new JsonObject
        {
            ["id"] = s.Id, ["projectId"] = LangfuseStore.ProjectId, ["name"] = s.Name, ["value"] = s.Value, ["dataType"] = s.DataType, ["source"] = s.Source,
            ["timestamp"] = Time(s.Timestamp), ["environment"] = s.Environment, ["createdAt"] = Time(s.Timestamp), ["updatedAt"] = Time(s.Timestamp),
        };
        if (groups.Contains("details")) { j["comment"] = s.Comment; j["configId"] = null; j["metadata"] = new JsonObject(); }
        if (groups.Contains("subject"))
            j["subject"] = s.ObservationId is { } obs
                ? new JsonObject { ["kind"] = "observation", ["id"] = obs, ["traceId"] = s.TraceId }
                : new JsonObject { ["kind"] = "trace", ["id"] = s.TraceId };
        if (groups.Contains("annotation")) { j["authorUserId"] = null; j["queueId"] = null; }
        return j;
    }

    public static JsonObject Dataset(LangfuseDataset d) => new()
    {
        ["id"] = d.Id, ["name"] = d.Name, ["description"] = d.Description, ["metadata"] = d.Metadata?.DeepClone(),
        ["inputSchema"] = null, ["expectedOutputSchema"] = null, ["projectId"] = LangfuseStore.ProjectId,
        ["createdAt"] = Time(d.CreatedAt), ["updatedAt"] = Time(d.UpdatedAt),
    };

    public static JsonObject Item(LangfuseDatasetItem i) => new()
    {
        ["id"] = i.Id, ["status"] = i.Status, ["input"] = i.Input?.DeepClone(), ["expectedOutput"] = i.ExpectedOutput?.DeepClone(),
        ["metadata"] = i.Metadata?.DeepClone(), ["sourceTraceId"] = i.SourceTraceId, ["sourceObservationId"] = i.SourceObservationId,
        ["datasetId"] = i.DatasetId, ["datasetName"] = i.DatasetName, ["createdAt"] = Time(i.CreatedAt), ["updatedAt"] = Time(i.UpdatedAt),
    };

    /// <summary>The page-numbered lists' answer (datasets, dataset items).</summary>
    public static JsonObject Paginated(IEnumerable<JsonObject> data, int page, int limit, int total) => new()
    {
        ["data"] = new JsonArray(data.Select(d => (JsonNode)d).ToArray()),
        ["meta"] = new JsonObject { ["page"] = page, ["limit"] = limit, ["totalItems"] = total, ["totalPages"] = (total + limit - 1) / limit },
    };

    /// <summary>The cursor-paged lists' answer (observations v2, scores v3): meta.cursor only while there is more.</summary>
    public static JsonObject Cursored(IEnumerable<JsonObject> data, string? cursor)
    {
        var meta = new JsonObject();
        if (cursor is not null) meta["cursor"] = cursor;
        return new JsonObject { ["data"] = new JsonArray(data.Select(d => (JsonNode)d).ToArray()), ["meta"] = meta };
    }

    private static readonly System.Text.Json.JsonSerializerOptions Options = new() { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    public static async Task WriteAsync(HttpContext http, JsonNode body, int status = 200)
    {
        http.Response.StatusCode = status;
        http.Response.ContentType = "application/json; charset=utf-8";
        await http.Response.WriteAsync(body.ToJsonString(Options), http.RequestAborted);
    }

    public static Task WriteErrorAsync(HttpContext http, int status, string error, string message) =>
        WriteAsync(http, new JsonObject { ["message"] = message, ["error"] = error }, status);
}
