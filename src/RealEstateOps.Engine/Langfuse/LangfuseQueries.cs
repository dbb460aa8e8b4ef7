using System.Globalization;
using System.Runtime.CompilerServices;
using System.Text.Json;
using System.Text.Json.Nodes;
using RealEstateOps.Engine.Common;

namespace RealEstateOps.Engine.Langfuse;

/// <summary>
/// Reads Langfuse: traces as streams over the v2 observations API's cursor pages (the next page only when the consumer
/// asks for the item after the last one), a score range through the v3 scores API, LLM metrics through the v2 metrics
/// API, datasets and their items.
/// </summary>
public sealed class LangfuseQueries
{
    /// <summary>The observations API's field groups Get-LlmTrace needs.</summary>
    public const string TraceFields = "core,basic,io,model,usage,metrics";
    private const int ScorePageSize = 100;

    private readonly LangfuseClient _client;

    public LangfuseQueries(LangfuseClient client) => _client = client;

    // ---------------------------------------------------------------- traces

    /// <summary>
    /// Traces that meet the query, newest first: their root observations, or with a level the first observation at that
    /// level of each trace. With a score range, the scores (v3, newest first) lead and each page of them is one
    /// observations request for their traces.
    /// </summary>
    public async IAsyncEnumerable<LlmTrace> ListTracesAsync(LlmTraceQuery query, [EnumeratorCancellation] CancellationToken ct)
    {
        if (query.First is <= 0) yield break;
        var seen = new HashSet<string>(StringComparer.Ordinal);
        var yielded = 0;
        var pageSize = Math.Clamp(query.First ?? 50, 1, 100);
        if (!query.HasScoreRange)
        {
            await foreach (var row in ObservationRowsAsync(Filters(query, null), pageSize, ct).ConfigureAwait(false))
            {
                var trace = Trace(row, null, null);
                if (!seen.Add(trace.TraceId)) continue;
                yield return trace;
                if (++yielded >= query.First) yield break;
            }
            yield break;
        }

        if (query.MinScore is { } min && query.MaxScore is { } max && min > max)
            throw new OpsException("LlmScoreRangeInvalid", OpsErrorCategory.InvalidArgument, $"-MinScore {min} is greater than -MaxScore {max}.");
        string? cursor = null;
        do
        {
            var previous = cursor;
            var page = await _client.GetScoresAsync(new (string, string?)[]
            {
                ("name", query.ScoreName), ("dataType", "NUMERIC"), ("valueMin", Num(query.MinScore)), ("valueMax", Num(query.MaxScore)),
                ("fromTimestamp", Time(query.From)), ("fields", "subject"), ("limit", ScorePageSize.ToString(CultureInfo.InvariantCulture)), ("cursor", cursor),
            }, ct).ConfigureAwait(false);
            cursor = page.Cursor;
            if (cursor is not null && cursor == previous) throw PagingLoop("scores");
            // Each score's trace, once: the newest score of a trace is the one reported.
            var scores = new Dictionary<string, double>(StringComparer.Ordinal);
            foreach (var score in page.Rows)
            {
                var traceId = LangfuseClient.Str(score["subject"], "traceId") ??
                              (LangfuseClient.Str(score["subject"], "kind") == "trace" ? LangfuseClient.Str(score["subject"], "id") : null);
                if (traceId is null || seen.Contains(traceId) || scores.ContainsKey(traceId) || Double(score["value"]) is not { } value) continue;
                scores[traceId] = value;
            }
            if (scores.Count == 0) continue;
            await foreach (var row in ObservationRowsAsync(Filters(query, scores.Keys.ToList()), 1000, ct).ConfigureAwait(false))
            {
                var id = LangfuseClient.Str(row, "traceId") ?? "";
                if (!scores.TryGetValue(id, out var value) || !seen.Add(id)) continue;
                yield return Trace(row, query.ScoreName, value);
                if (++yielded >= query.First) yield break;
            }
        } while (cursor is not null);
    }

    /// <summary>The observations API's filter for the query: roots (or the level asked for) of the traces that match.</summary>
    private static JsonArray Filters(LlmTraceQuery query, IReadOnlyList<string>? traceIds)
    {
        var filters = new JsonArray();
        void Add(string column, string op, JsonNode? value, string type) =>
            filters.Add(new JsonObject { ["type"] = type, ["column"] = column, ["operator"] = op, ["value"] = value });
        if (query.Level is { } level) Add("level", "=", LevelName(level), "string");
        else Add("isRootObservation", "=", true, "boolean");
        if (query.Names is { Count: > 0 } names) Add("traceName", "any of", Strings(names), "stringOptions");
        if (query.UserId is { } user) Add("userId", "=", user, "string");
        if (query.Tags is { Count: > 0 } tags) Add("tags", "all of", Strings(tags), "arrayOptions");
        if (query.From is { } from) Add("startTime", ">=", Time(from), "datetime");
        if (query.To is { } to) Add("startTime", "<", Time(to), "datetime");
        if (traceIds is not null) Add("traceId", "any of", Strings(traceIds), "stringOptions");
        return filters;
    }

    private async IAsyncEnumerable<JsonObject> ObservationRowsAsync(JsonArray filters, int pageSize, [EnumeratorCancellation] CancellationToken ct)
    {
        var filter = filters.ToJsonString();
        string? cursor = null;
        do
        {
            var previous = cursor;
            var page = await _client.GetObservationsAsync(new (string, string?)[]
            {
                ("fields", TraceFields), ("limit", pageSize.ToString(CultureInfo.InvariantCulture)), ("filter", filter), ("cursor", cursor),
            }, ct).ConfigureAwait(false);
            cursor = page.Cursor;
            if (cursor is not null && cursor == previous) throw PagingLoop("observations");
            foreach (var row in page.Rows) yield return row;
        } while (cursor is not null);
    }

    private static OpsException PagingLoop(string what) =>
        new("LangfusePagingLoop", OpsErrorCategory.InvalidResult, $"Langfuse answered the same {what} cursor twice; the listing stopped instead of repeating pages.");

    private static LlmTrace Trace(JsonObject o, string? scoreName, double? score)
    {
        var latency = Double(o["latency"]);
        var usage = o["usageDetails"] as JsonObject;
        return new LlmTrace
        {
            TraceId = LangfuseClient.Str(o, "traceId") ?? "",
            Name = LangfuseClient.Str(o, "traceName") ?? LangfuseClient.Str(o, "name") ?? "",
            UserId = LangfuseClient.Str(o, "userId"),
            SessionId = LangfuseClient.Str(o, "sessionId"),
            Tags = o["tags"] is JsonArray tags ? tags.Select(t => t?.ToString() ?? "").ToList() : Array.Empty<string>(),
            StartTime = Date(o["startTime"]) ?? default,
            LatencyMs = latency is { } l ? Math.Round(l * 1000, 1) : null, // the observations API says seconds
            Level = ParseLevel(LangfuseClient.Str(o, "level")),
            StatusMessage = LangfuseClient.Str(o, "statusMessage"),
            ObservationId = LangfuseClient.Str(o, "id") ?? "",
            ObservationName = LangfuseClient.Str(o, "name") ?? "",
            ObservationType = LangfuseClient.Str(o, "type") ?? "",
            Model = LangfuseClient.Str(o, "providedModelName"),
            InputTokens = Long(usage?["input"]),
            OutputTokens = Long(usage?["output"]),
            Cost = Double(o["totalCost"]) is { } c ? (decimal)c : null,
            Input = Text(o["input"]),
            Output = Text(o["output"]),
            Environment = LangfuseClient.Str(o, "environment"),
            Release = LangfuseClient.Str(o, "release"),
            ScoreName = scoreName,
            Score = score,
        };
    }

    // ---------------------------------------------------------------- metrics

    /// <summary>
    /// Generations' metrics over the range, grouped as asked: one metrics query for counts, tokens, cost and latency
    /// percentiles, one for the errors (level ERROR), and (unless grouped or filtered by model) one over the
    /// scores-numeric view for the average feedback score.
    /// </summary>
    public async Task<IReadOnlyList<LlmMetric>> GetMetricsAsync(LlmMetricQuery query, CancellationToken ct)
    {
        if (query.To <= query.From)
            throw new OpsException("LlmMetricRangeInvalid", OpsErrorCategory.InvalidArgument, $"-To ({query.To:u}) must be after -From ({query.From:u}).");
        var byModel = query.GroupBy.Contains(LlmMetricGrouping.Model);
        var byName = query.GroupBy.Contains(LlmMetricGrouping.TraceName);
        var byDay = query.GroupBy.Contains(LlmMetricGrouping.Day);

        JsonArray Filters(bool errors)
        {
            var f = new JsonArray { Filter("type", "=", "GENERATION", "string") };
            if (query.TraceNames is { Count: > 0 } names) f.Add(Filter("traceName", "any of", Strings(names), "stringOptions"));
            if (query.Models is { Count: > 0 } models) f.Add(Filter("providedModelName", "any of", Strings(models), "stringOptions"));
            if (errors) f.Add(Filter("level", "=", "ERROR", "string"));
            return f;
        }
        JsonArray Dimensions(string model, string name)
        {
            var d = new JsonArray();
            if (byModel) d.Add(new JsonObject { ["field"] = model });
            if (byName) d.Add(new JsonObject { ["field"] = name });
            return d;
        }
        JsonObject Query(string view, JsonArray metrics, JsonArray dimensions, JsonArray filters)
        {
            var q = new JsonObject
            {
                ["view"] = view, ["metrics"] = metrics, ["dimensions"] = dimensions, ["filters"] = filters,
                ["fromTimestamp"] = Time(query.From), ["toTimestamp"] = Time(query.To), ["config"] = new JsonObject { ["row_limit"] = 1000 },
            };
            if (byDay) q["timeDimension"] = new JsonObject { ["granularity"] = "day" };
            return q;
        }
        static JsonObject Metric(string measure, string aggregation) => new() { ["measure"] = measure, ["aggregation"] = aggregation };

        var main = await _client.GetMetricsAsync(Query("observations", new JsonArray
        {
            Metric("count", "count"), Metric("inputTokens", "sum"), Metric("outputTokens", "sum"), Metric("totalTokens", "sum"),
            Metric("totalCost", "sum"), Metric("latency", "p50"), Metric("latency", "p95"), Metric("latency", "p99"),
        }, Dimensions("providedModelName", "traceName"), Filters(errors: false)), ct).ConfigureAwait(false);
        var errorRows = await _client.GetMetricsAsync(Query("observations", new JsonArray { Metric("count", "count") },
            Dimensions("providedModelName", "traceName"), Filters(errors: true)), ct).ConfigureAwait(false);
        string Key(JsonObject row, string modelField, string nameField) =>
            (byModel ? LangfuseClient.Str(row, modelField) : "") + "\u001f" + (byName ? LangfuseClient.Str(row, nameField) : "") + "\u001f" +
            (byDay ? Date(row["time_dimension"])?.UtcDateTime.Date.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture) : "");
        var errors = errorRows.GroupBy(r => Key(r, "providedModelName", "traceName")).ToDictionary(g => g.Key, g => g.Sum(r => Long(r["count_count"]) ?? 0));

        var feedback = new Dictionary<string, (double Avg, long Count)>();
        if (!byModel && query.Models is not { Count: > 0 })
        {
            var f = new JsonArray { Filter("name", "=", query.FeedbackScoreName, "string") };
            if (query.TraceNames is { Count: > 0 } names) f.Add(Filter("traceName", "any of", Strings(names), "stringOptions"));
            var rows = await _client.GetMetricsAsync(Query("scores-numeric", new JsonArray { Metric("value", "avg"), Metric("count", "count") },
                Dimensions("", "traceName"), f), ct).ConfigureAwait(false);
            foreach (var r in rows)
                if (Double(r["avg_value"]) is { } avg) feedback[Key(r, "", "traceName")] = (avg, Long(r["count_count"]) ?? 0);
        }

        var result = new List<LlmMetric>();
        foreach (var row in main)
        {
            var key = Key(row, "providedModelName", "traceName");
            var count = Long(row["count_count"]) ?? 0;
            var failed = errors.GetValueOrDefault(key);
            var rate = count == 0 ? 0 : Math.Round(100.0 * failed / count, 2);
            (double Avg, long Count)? score = feedback.TryGetValue(key, out var fb) ? fb : null;
            result.Add(new LlmMetric
            {
                Model = byModel ? LangfuseClient.Str(row, "providedModelName") : null,
                TraceName = byName ? LangfuseClient.Str(row, "traceName") : null,
                Day = byDay ? Date(row["time_dimension"]) is { } day ? new DateTimeOffset(day.UtcDateTime.Date, TimeSpan.Zero) : null : null,
                From = query.From, To = query.To,
                Generations = count, Errors = failed, ErrorRatePercent = rate, CompletionRatePercent = count == 0 ? 0 : Math.Round(100 - rate, 2),
                InputTokens = Long(row["sum_inputTokens"]) ?? 0, OutputTokens = Long(row["sum_outputTokens"]) ?? 0, TotalTokens = Long(row["sum_totalTokens"]) ?? 0,
                Cost = Math.Round((decimal)(Double(row["sum_totalCost"]) ?? 0), 6),
                LatencyP50Ms = Round(Double(row["p50_latency"])), LatencyP95Ms = Round(Double(row["p95_latency"])), LatencyP99Ms = Round(Double(row["p99_latency"])),
                FeedbackScore = score is { } s ? Math.Round(s.Avg, 2) : null,
                FeedbackCount = score?.Count ?? 0,
            });
        }
        return result.OrderBy(m => m.Day).ThenBy(m => m.TraceName, StringComparer.Ordinal).ThenBy(m => m.Model, StringComparer.Ordinal).ToList();
    }

    // ---------------------------------------------------------------- datasets

    /// <summary>Datasets, page by page (page-numbered, as the datasets API pages).</summary>
    public async IAsyncEnumerable<LlmDataset> ListDatasetsAsync(int pageSize, [EnumeratorCancellation] CancellationToken ct)
    {
        for (var page = 1; ; page++)
        {
            var (rows, totalPages) = await _client.ListDatasetsAsync(page, Math.Clamp(pageSize, 1, 100), ct).ConfigureAwait(false);
            foreach (var row in rows) yield return Dataset(row);
            if (rows.Count == 0 || page >= totalPages) yield break;
        }
    }

    /// <summary>One dataset by name; LlmDatasetNotFound when there is none.</summary>
    public async Task<LlmDataset> GetDatasetAsync(string name, CancellationToken ct)
    {
        try { return Dataset(await _client.GetDatasetAsync(name, ct).ConfigureAwait(false)); }
        catch (OpsException ex) when (ex.ErrorId == "LangfuseNotFound")
        {
            throw new OpsException("LlmDatasetNotFound", OpsErrorCategory.ObjectNotFound, $"There is no Langfuse dataset named '{name}'.", name, ex)
            { RecommendedAction = $"Create it with New-LlmDataset -Name {name}." };
        }
    }

    /// <summary>A dataset's items, page by page.</summary>
    public async IAsyncEnumerable<LlmDatasetItem> ListDatasetItemsAsync(string datasetName, int pageSize, [EnumeratorCancellation] CancellationToken ct)
    {
        for (var page = 1; ; page++)
        {
            var (rows, totalPages) = await _client.ListDatasetItemsAsync(datasetName, page, Math.Clamp(pageSize, 1, 100), ct).ConfigureAwait(false);
            foreach (var row in rows) yield return Item(row);
            if (rows.Count == 0 || page >= totalPages) yield break;
        }
    }

    internal static LlmDataset Dataset(JsonObject o) => new()
    {
        Id = LangfuseClient.Str(o, "id") ?? "", Name = LangfuseClient.Str(o, "name") ?? "", Description = LangfuseClient.Str(o, "description"),
        Metadata = Text(o["metadata"]), CreatedAt = Date(o["createdAt"]) ?? default, UpdatedAt = Date(o["updatedAt"]) ?? default,
    };

    internal static LlmDatasetItem Item(JsonObject o) => new()
    {
        Id = LangfuseClient.Str(o, "id") ?? "", DatasetName = LangfuseClient.Str(o, "datasetName") ?? "", Status = LangfuseClient.Str(o, "status") ?? "",
        SourceTraceId = LangfuseClient.Str(o, "sourceTraceId"), SourceObservationId = LangfuseClient.Str(o, "sourceObservationId"),
        Input = Text(o["input"]), ExpectedOutput = Text(o["expectedOutput"]), Metadata = Text(o["metadata"]),
        CreatedAt = Date(o["createdAt"]) ?? default, UpdatedAt = Date(o["updatedAt"]) ?? default,
    };

    // ---------------------------------------------------------------- values

    private static JsonObject Filter(string column, string op, JsonNode? value, string type) =>
        new() { ["type"] = type, ["column"] = column, ["operator"] = op, ["value"] = value };

    private static JsonArray Strings(IEnumerable<string> values) => new(values.Select(v => (JsonNode?)JsonValue.Create(v)).ToArray());

    internal static string LevelName(LlmLevel level) => level.ToString().ToUpperInvariant();

    private static LlmLevel ParseLevel(string? text) => text switch
    {
        "DEBUG" => LlmLevel.Debug, "WARNING" => LlmLevel.Warning, "ERROR" => LlmLevel.Error, _ => LlmLevel.Default,
    };

    internal static string? Time(DateTimeOffset? t) => t?.ToUniversalTime().ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture);

    private static string? Num(double? d) => d?.ToString("R", CultureInfo.InvariantCulture);

    private static double? Round(double? d) => d is { } v ? Math.Round(v, 1) : null;

    /// <summary>A number, or a number in a string (ClickHouse's 64-bit integers arrive as strings).</summary>
    internal static double? Double(JsonNode? node) => node is JsonValue v
        ? v.GetValueKind() switch
        {
            JsonValueKind.Number => v.GetValue<double>(),
            JsonValueKind.String when double.TryParse((string?)v, NumberStyles.Float, CultureInfo.InvariantCulture, out var d) => d,
            _ => null,
        }
        : null;

    private static long? Long(JsonNode? node) => Double(node) is { } d ? (long)Math.Round(d) : null;

    private static DateTimeOffset? Date(JsonNode? node) =>
        node is JsonValue v && v.GetValueKind() == JsonValueKind.String &&
        DateTimeOffset.TryParse((string?)v, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out var t) ? t : null;

    private static string? Text(JsonNode? node) => node switch
    {
        null => null,
        JsonValue v when v.GetValueKind() == JsonValueKind.String => (string?)v,
        _ => node.ToJsonString(Relaxed),
    };

    private static readonly JsonSerializerOptions Relaxed = new() { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping };
}
