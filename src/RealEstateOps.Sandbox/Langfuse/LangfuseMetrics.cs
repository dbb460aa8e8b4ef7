using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace RealEstateOps.Sandbox.Langfuse;

/// <summary>
/// The v2 metrics API's query engine (GET /api/public/v2/metrics?query={...}), over the store: the observations and
/// scores-numeric views with the dimensions and measures Langfuse documents for them, filters, a time dimension and
/// fromTimestamp/toTimestamp. Each row carries its dimension fields, <c>time_dimension</c>, and one
/// <c>{aggregation}_{measure}</c> member per metric (count_count, sum_totalTokens, p95_latency, ...). What Langfuse
/// refuses (high-cardinality dimensions, the traces view v2 removed, unknown fields) is refused with its 400; what this
/// sandbox does not compute (other views, histograms) is refused the same way, naming what it supports.
/// </summary>
public sealed class LangfuseMetrics
{
    private readonly LangfuseStore _store;

    public LangfuseMetrics(LangfuseStore store) => _store = store;

    private static readonly string[] Aggregations = { "sum", "avg", "count", "max", "min", "p50", "p75", "p90", "p95", "p99" };
    private static readonly string[] Granularities = { "auto", "minute", "hour", "day", "week", "month" };

    private sealed record View<T>(
        LangfuseColumns<T> Columns, string[] Dimensions, string[] HighCardinality, Dictionary<string, Func<T, double?>> Measures, Func<T, DateTimeOffset> Time);

    private static readonly View<LangfuseObservation> ObservationsView = new(
        LangfuseColumnSets.Observations,
        new[] { "environment", "type", "name", "level", "version", "tags", "release", "traceName", "traceRelease", "traceVersion", "providedModelName", "promptName", "promptVersion", "isRootObservation", "startTimeMonth" },
        new[] { "id", "traceId", "userId", "sessionId", "parentObservationId" },
        new Dictionary<string, Func<LangfuseObservation, double?>>(StringComparer.Ordinal)
        {
            ["count"] = _ => 1,
            ["latency"] = o => o.LatencyMs,
            ["timeToFirstToken"] = o => o.TimeToFirstTokenMs,
            ["inputTokens"] = o => o.InputTokens,
            ["outputTokens"] = o => o.OutputTokens,
            ["totalTokens"] = o => o.TotalTokens,
            ["inputCost"] = o => (double?)o.InputCost,
            ["outputCost"] = o => (double?)o.OutputCost,
            ["totalCost"] = o => (double?)o.TotalCost,
        },
        o => o.StartTime);

    private static readonly View<LangfuseScore> ScoresView = new(
        LangfuseColumnSets.Scores,
        new[] { "environment", "name", "source", "dataType", "timestampMonth", "timestampDay", "value", "traceName", "tags" },
        new[] { "id", "traceId", "userId", "sessionId", "observationId" },
        new Dictionary<string, Func<LangfuseScore, double?>>(StringComparer.Ordinal) { ["count"] = _ => 1, ["value"] = s => s.Value },
        s => s.Timestamp);

    public JsonObject Query(string? queryText)
    {
        if (string.IsNullOrWhiteSpace(queryText)) throw LangfuseFault.BadRequest("Missing required query parameter 'query' (a JSON object).");
        JsonObject query;
        try { query = JsonNode.Parse(queryText) as JsonObject ?? throw LangfuseFault.BadRequest("Invalid query: expected a JSON object."); }
        catch (JsonException ex) { throw LangfuseFault.BadRequest("Invalid query: the query parameter is not valid JSON (" + ex.Message + ")."); }

        var view = Str(query, "view") ?? throw LangfuseFault.BadRequest("Invalid query: 'view' is required.");
        return view switch
        {
            "observations" => Run(query, ObservationsView, _store.Observations, view),
            "scores-numeric" => Run(query, ScoresView, _store.Scores.Where(s => s.DataType is "NUMERIC" or "BOOLEAN").ToList(), view),
            "traces" => throw LangfuseFault.BadRequest("The 'traces' view is not supported in the v2 metrics API. Use the 'observations' view instead, with traceName and other trace attributes as dimensions or filters."),
            _ => throw LangfuseFault.BadRequest($"Invalid view '{view}'. Supported views: observations, scores-numeric."),
        };
    }

    private static JsonObject Run<T>(JsonObject query, View<T> view, IReadOnlyList<T> rows, string viewName)
    {
        // Metrics.
        if (query["metrics"] is not JsonArray { Count: > 0 } metricNodes) throw LangfuseFault.BadRequest("Invalid query: at least one metric is required in 'metrics'.");
        var metrics = new List<(string Measure, string Aggregation, string Alias)>();
        foreach (var node in metricNodes)
        {
            var measure = node is JsonObject m ? Str(m, "measure") : null;
            var aggregation = node is JsonObject a ? Str(a, "aggregation") : null;
            if (measure is null || aggregation is null) throw LangfuseFault.BadRequest("Invalid query: each metric needs 'measure' and 'aggregation'.");
            if (!view.Measures.ContainsKey(measure))
                throw LangfuseFault.BadRequest($"Invalid measure '{measure}' for view '{viewName}'. Available measures: {string.Join(", ", view.Measures.Keys)}.");
            if (aggregation == "histogram") throw LangfuseFault.BadRequest($"Aggregation 'histogram' is not supported by this server. Supported aggregations: {string.Join(", ", Aggregations)}.");
            if (!Aggregations.Contains(aggregation)) throw LangfuseFault.BadRequest($"Invalid aggregation '{aggregation}'. Supported aggregations: {string.Join(", ", Aggregations)}, histogram.");
            metrics.Add((measure, aggregation, aggregation + "_" + measure));
        }

        // Dimensions.
        var dimensions = new List<string>();
        foreach (var node in query["dimensions"] as JsonArray ?? new JsonArray())
        {
            var field = node is JsonObject d ? Str(d, "field") : null;
            if (field is null) throw LangfuseFault.BadRequest("Invalid query: each dimension needs 'field'.");
            if (view.HighCardinality.Contains(field))
                throw LangfuseFault.BadRequest($"Dimension '{field}' is a high cardinality dimension and cannot be used for grouping in the v2 metrics API. Use it in filters instead.");
            if (!view.Dimensions.Contains(field))
                throw LangfuseFault.BadRequest($"Invalid dimension '{field}' for view '{viewName}'. Available dimensions: {string.Join(", ", view.Dimensions)}.");
            dimensions.Add(field);
        }

        // Time range, filters, time dimension.
        if (!LangfuseColumns<T>.TryTime(query["fromTimestamp"], out var from)) throw LangfuseFault.BadRequest("Invalid query: 'fromTimestamp' is required (an ISO 8601 date-time).");
        if (!LangfuseColumns<T>.TryTime(query["toTimestamp"], out var to)) throw LangfuseFault.BadRequest("Invalid query: 'toTimestamp' is required (an ISO 8601 date-time).");
        if (to <= from) throw LangfuseFault.BadRequest("Invalid query: 'toTimestamp' must be after 'fromTimestamp'.");
        var filters = view.Columns.Parse(query["filters"], "filters");
        string? granularity = null;
        if (query["timeDimension"] is JsonObject td)
        {
            granularity = Str(td, "granularity") ?? "auto";
            if (!Granularities.Contains(granularity)) throw LangfuseFault.BadRequest($"Invalid granularity '{granularity}'. Supported: {string.Join(", ", Granularities)}.");
            if (granularity == "auto") granularity = Auto(to - from);
        }
        var rowLimit = 100;
        if (query["config"] is JsonObject config && config["row_limit"] is JsonValue rl)
        {
            if (!rl.TryGetValue<int>(out rowLimit) || rowLimit is < 1 or > 1000) throw LangfuseFault.BadRequest("Invalid query: config.row_limit must be between 1 and 1000.");
        }

        var selected = rows.Where(r => view.Time(r) >= from && view.Time(r) < to && view.Columns.Matches(r, filters)).ToList();
        var groups = selected.GroupBy(r => Key(r, view, dimensions, granularity), StringComparer.Ordinal);
        var result = new List<JsonObject>();
        foreach (var group in groups)
        {
            var first = group.First();
            var row = new JsonObject();
            foreach (var d in dimensions) row[d] = Json(view.Columns.Value(first, d));
            if (granularity is not null) row["time_dimension"] = Bucket(view.Time(first), granularity).ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture);
            foreach (var (measure, aggregation, alias) in metrics) row[alias] = Aggregate(group.Select(view.Measures[measure]), measure, aggregation);
            result.Add(row);
        }

        IEnumerable<JsonObject> ordered = result.OrderBy(r => (string?)r["time_dimension"] ?? "", StringComparer.Ordinal)
            .ThenBy(r => string.Join("|", dimensions.Select(d => r[d]?.ToJsonString() ?? "")), StringComparer.Ordinal);
        if (query["orderBy"] is JsonArray orderBy)
        {
            var aliases = metrics.Select(m => m.Alias).Concat(dimensions).Append("time_dimension").ToHashSet(StringComparer.Ordinal);
            IOrderedEnumerable<JsonObject>? sorted = null;
            foreach (var node in orderBy)
            {
                var field = node is JsonObject o ? Str(o, "field") : null;
                var direction = node is JsonObject p ? Str(p, "direction") ?? "asc" : "asc";
                if (field is null || !aliases.Contains(field)) throw LangfuseFault.BadRequest($"Invalid orderBy field '{field}': order by a dimension or a metric alias ({string.Join(", ", aliases)}).");
                if (direction is not ("asc" or "desc")) throw LangfuseFault.BadRequest($"Invalid orderBy direction '{direction}': asc or desc.");
                Func<JsonObject, IComparable> keyOf = r => r[field] is JsonValue v && v.GetValueKind() == JsonValueKind.Number ? v.GetValue<double>() : (IComparable)(r[field]?.ToJsonString() ?? "");
                sorted = sorted is null
                    ? direction == "asc" ? ordered.OrderBy(keyOf) : ordered.OrderByDescending(keyOf)
                    : direction == "asc" ? sorted.ThenBy(keyOf) : sorted.ThenByDescending(keyOf);
            }
            if (sorted is not null) ordered = sorted;
        }
        return new JsonObject { ["data"] = new JsonArray(ordered.Take(rowLimit).Select(r => (JsonNode)r).ToArray()) };
    }

    private static string Key<T>(T row, View<T> view, List<string> dimensions, string? granularity) =>
        string.Join("\u001f", dimensions.Select(d => Json(view.Columns.Value(row, d))?.ToJsonString() ?? "null")) +
        (granularity is null ? "" : "\u001f" + Bucket(view.Time(row), granularity).UtcTicks);

    private static JsonNode? Aggregate(IEnumerable<double?> values, string measure, string aggregation)
    {
        var present = values.Where(v => v is not null).Select(v => v!.Value).ToList();
        if (aggregation == "count" || measure == "count" && aggregation == "sum") return JsonValue.Create((long)present.Count);
        if (present.Count == 0) return aggregation == "sum" ? JsonValue.Create(0) : null;
        double value = aggregation switch
        {
            "sum" => present.Sum(),
            "avg" => present.Average(),
            "min" => present.Min(),
            "max" => present.Max(),
            _ => Percentile(present, int.Parse(aggregation[1..], CultureInfo.InvariantCulture) / 100.0),
        };
        return JsonValue.Create(Math.Round(value, 10));
    }

    /// <summary>Linear interpolation between the nearest ranks (ClickHouse's quantile is an estimate of the same).</summary>
    internal static double Percentile(List<double> values, double q)
    {
        values.Sort();
        var position = (values.Count - 1) * q;
        var lower = (int)Math.Floor(position);
        var upper = (int)Math.Ceiling(position);
        return values[lower] + (values[upper] - values[lower]) * (position - lower);
    }

    private static string Auto(TimeSpan range) =>
        range <= TimeSpan.FromHours(1) ? "minute" : range <= TimeSpan.FromDays(2) ? "hour" : range <= TimeSpan.FromDays(60) ? "day" : range <= TimeSpan.FromDays(365) ? "week" : "month";

    internal static DateTimeOffset Bucket(DateTimeOffset t, string granularity)
    {
        t = t.ToUniversalTime();
        return granularity switch
        {
            "minute" => new DateTimeOffset(t.Year, t.Month, t.Day, t.Hour, t.Minute, 0, TimeSpan.Zero),
            "hour" => new DateTimeOffset(t.Year, t.Month, t.Day, t.Hour, 0, 0, TimeSpan.Zero),
            "week" => new DateTimeOffset(t.Year, t.Month, t.Day, 0, 0, 0, TimeSpan.Zero).AddDays(-(((int)t.DayOfWeek + 6) % 7)),
            "month" => new DateTimeOffset(t.Year, t.Month, 1, 0, 0, 0, TimeSpan.Zero),
            _ => new DateTimeOffset(t.Year, t.Month, t.Day, 0, 0, 0, TimeSpan.Zero),
        };
    }

    private static JsonNode? Json(object? value) => value switch
    {
        null => null,
        string s => JsonValue.Create(s),
        bool b => JsonValue.Create(b),
        double d => JsonValue.Create(d),
        IEnumerable<string> list => new JsonArray(list.Select(x => (JsonNode?)JsonValue.Create(x)).ToArray()),
        _ => JsonValue.Create(Convert.ToString(value, CultureInfo.InvariantCulture)),
    };

    private static string? Str(JsonObject o, string name) => o[name] is JsonValue v && v.GetValueKind() == JsonValueKind.String ? (string?)v : null;
}
