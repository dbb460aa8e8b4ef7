using System.Globalization;
using System.Text;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using RealEstateOps.Engine.Common;

namespace RealEstateOps.Engine.Prometheus;

/// <summary>
/// Reading Prometheus' JSON shapes (HTTP API v1): values as strings ("0.5", "NaN", "+Inf"), timestamps as float
/// seconds or RFC 3339 with nanoseconds, optional fields absent or null, fields in any order.
/// </summary>
public static partial class PromJson
{
    public static readonly IReadOnlyDictionary<string, string> NoLabels = new System.Collections.ObjectModel.ReadOnlyDictionary<string, string>(new Dictionary<string, string>(StringComparer.Ordinal));

    /// <summary>A sample value as Prometheus writes it: a decimal or exponent, NaN, +Inf, -Inf (also Inf, Infinity).</summary>
    public static double Value(string? text)
    {
        if (string.IsNullOrWhiteSpace(text)) return double.NaN;
        var t = text.Trim();
        switch (t.ToLowerInvariant())
        {
            case "nan": return double.NaN;
            case "+inf" or "inf" or "+infinity" or "infinity": return double.PositiveInfinity;
            case "-inf" or "-infinity": return double.NegativeInfinity;
        }
        return double.TryParse(t, NumberStyles.Float, CultureInfo.InvariantCulture, out var v) ? v : double.NaN;
    }

    /// <summary>A value as Prometheus would write it (for a query parameter or a label).</summary>
    public static string Format(double value) =>
        double.IsNaN(value) ? "NaN" : double.IsPositiveInfinity(value) ? "+Inf" : double.IsNegativeInfinity(value) ? "-Inf" : value.ToString("R", CultureInfo.InvariantCulture);

    /// <summary>A time as a query parameter: Unix seconds with milliseconds.</summary>
    public static string Time(DateTimeOffset t) => (t.ToUnixTimeMilliseconds() / 1000.0).ToString("0.###", CultureInfo.InvariantCulture);

    /// <summary>A duration as a query parameter: float seconds ("15", "0.5").</summary>
    public static string Seconds(TimeSpan d) => d.TotalSeconds.ToString("0.###", CultureInfo.InvariantCulture);

    /// <summary>Float Unix seconds (a number or a numeric string) as a time.</summary>
    public static DateTimeOffset? UnixTime(JsonNode? node)
    {
        if (node is not JsonValue v) return null;
        double seconds;
        if (v.TryGetValue<double>(out var d)) seconds = d;
        else if (v.TryGetValue<string>(out var s) && double.TryParse(s, NumberStyles.Float, CultureInfo.InvariantCulture, out var p)) seconds = p;
        else return null;
        return DateTimeOffset.FromUnixTimeMilliseconds((long)Math.Round(seconds * 1000));
    }

    [GeneratedRegex(@"^(?<head>\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d)(?:\.(?<frac>\d+))?(?<zone>Z|[+-]\d\d:\d\d)$", RegexOptions.IgnoreCase)]
    private static partial Regex Rfc3339();

    /// <summary>An RFC 3339 time with up to nanoseconds (Go's format); Go's zero time (year 1) is null: "never".</summary>
    public static DateTimeOffset? Rfc3339Time(string? text)
    {
        if (string.IsNullOrWhiteSpace(text)) return null;
        var m = Rfc3339().Match(text.Trim());
        string normalized;
        if (m.Success)
        {
            var frac = m.Groups["frac"].Success ? m.Groups["frac"].Value : "";
            if (frac.Length > 7) frac = frac[..7]; // .NET reads at most 100 ns
            normalized = m.Groups["head"].Value + (frac.Length > 0 ? "." + frac : "") + (m.Groups["zone"].Value.ToUpperInvariant() == "Z" ? "+00:00" : m.Groups["zone"].Value);
        }
        else normalized = text.Trim();
        if (!DateTimeOffset.TryParse(normalized, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out var t)) return null;
        return t.Year <= 1 ? null : t;
    }

    public static string? Str(JsonNode? o, string name) =>
        o is JsonObject obj && obj[name] is JsonValue v && v.TryGetValue<string>(out var s) ? s : null;

    public static double? Number(JsonNode? o, string name)
    {
        if (o is not JsonObject obj || obj[name] is not JsonValue v) return null;
        if (v.TryGetValue<double>(out var d)) return d;
        return v.TryGetValue<string>(out var s) ? Value(s) : null;
    }

    public static IReadOnlyDictionary<string, string> Labels(JsonNode? node)
    {
        if (node is not JsonObject o || o.Count == 0) return NoLabels;
        var map = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var (k, v) in o)
            if (v is JsonValue value) map[k] = value.TryGetValue<string>(out var s) ? s : value.ToJsonString();
        return new System.Collections.ObjectModel.ReadOnlyDictionary<string, string>(map);
    }

    /// <summary>Labels as PromQL writes them, sorted, without <c>__name__</c> (and <paramref name="skip"/>): <c>{code="500", service="api"}</c>.</summary>
    public static string FormatLabels(IReadOnlyDictionary<string, string> labels, string? skip = null)
    {
        var shown = labels.Where(l => l.Key != "__name__" && l.Key != skip).OrderBy(l => l.Key, StringComparer.Ordinal).ToList();
        if (shown.Count == 0) return "";
        var sb = new StringBuilder("{");
        for (var i = 0; i < shown.Count; i++)
        {
            if (i > 0) sb.Append(", ");
            sb.Append(shown[i].Key).Append("=\"").Append(shown[i].Value.Replace("\\", "\\\\").Replace("\"", "\\\"").Replace("\n", "\\n")).Append('"');
        }
        return sb.Append('}').ToString();
    }

    public static IReadOnlyList<string> Strings(JsonNode? node) =>
        node is JsonArray a ? a.OfType<JsonValue>().Select(v => v.TryGetValue<string>(out var s) ? s : null).OfType<string>().ToList() : Array.Empty<string>();

    private static OpsException Invalid(string what) =>
        new("PrometheusResponseInvalid", OpsErrorCategory.InvalidResult, $"Prometheus' query answer is not in the expected shape: {what}.");

    /// <summary>A [timestamp, "value"] pair.</summary>
    private static PromSample Point(JsonNode? pair, PromResultType type, IReadOnlyDictionary<string, string> metric)
    {
        if (pair is not JsonArray { Count: >= 2 } a) throw Invalid("a sample is not a [time, value] pair");
        var text = a[1] is JsonValue v && v.TryGetValue<string>(out var s) ? s : a[1]?.ToJsonString() ?? "";
        return new PromSample
        {
            ResultType = type,
            Metric = metric,
            Timestamp = UnixTime(a[0]) ?? throw Invalid("a sample has no time"),
            Text = text,
            Value = type == PromResultType.String ? double.NaN : Value(text),
        };
    }

    /// <summary>The <c>data</c> of a query answer: <c>{"resultType": ..., "result": ...}</c>. Native histograms are reported as a warning and skipped.</summary>
    public static PromQueryResult QueryResult(JsonNode? data, IReadOnlyList<string> warnings)
    {
        var typeText = Str(data, "resultType") ?? throw Invalid("no resultType");
        var result = (data as JsonObject)?["result"];
        var allWarnings = warnings.ToList();
        var skippedHistograms = 0;
        PromResultType type;
        var series = new List<PromSeries>();
        switch (typeText)
        {
            case "vector":
                type = PromResultType.Vector;
                foreach (var e in (result as JsonArray ?? new JsonArray()).OfType<JsonObject>())
                {
                    var metric = Labels(e["metric"]);
                    if (e["value"] is null) { if (e["histogram"] is not null) skippedHistograms++; continue; }
                    series.Add(new PromSeries { Metric = metric, Samples = new[] { Point(e["value"], type, metric) } });
                }
                break;
            case "matrix":
                type = PromResultType.Matrix;
                foreach (var e in (result as JsonArray ?? new JsonArray()).OfType<JsonObject>())
                {
                    var metric = Labels(e["metric"]);
                    if (e["histograms"] is JsonArray { Count: > 0 }) skippedHistograms++;
                    var points = (e["values"] as JsonArray ?? new JsonArray()).Select(p => Point(p, type, metric)).ToList();
                    if (points.Count > 0 || e["histograms"] is null) series.Add(new PromSeries { Metric = metric, Samples = points });
                }
                break;
            case "scalar":
                type = PromResultType.Scalar;
                series.Add(new PromSeries { Samples = new[] { Point(result, type, NoLabels) } });
                break;
            case "string":
                type = PromResultType.String;
                series.Add(new PromSeries { Samples = new[] { Point(result, type, NoLabels) } });
                break;
            default:
                throw Invalid($"unknown resultType '{typeText}'");
        }
        if (skippedHistograms > 0)
            allWarnings.Add($"{skippedHistograms} native-histogram series were left out (only float samples are read).");
        return new PromQueryResult { ResultType = type, Series = series, Samples = series.SelectMany(s => s.Samples).ToList(), Warnings = allWarnings };
    }

    public static PromAlertState AlertState(string? state) => state?.ToLowerInvariant() switch
    {
        "firing" => PromAlertState.Firing,
        "pending" => PromAlertState.Pending,
        _ => PromAlertState.Inactive,
    };

    public static PromAlert Alert(JsonObject a)
    {
        var labels = Labels(a["labels"]);
        return new PromAlert
        {
            Name = labels.TryGetValue("alertname", out var n) ? n : "",
            State = AlertState(Str(a, "state")),
            Labels = labels,
            Annotations = Labels(a["annotations"]),
            ActiveAt = Rfc3339Time(Str(a, "activeAt")),
            Value = Number(a, "value") ?? double.NaN,
        };
    }

    public static PromRule Rule(JsonObject r, string group, string? file)
    {
        var type = Str(r, "type")?.ToLowerInvariant() == "alerting" ? PromRuleType.Alerting : PromRuleType.Recording;
        var evaluationSeconds = Number(r, "evaluationTime");
        return new PromRule
        {
            Group = group,
            File = file,
            Name = Str(r, "name") ?? "",
            Type = type,
            Query = Str(r, "query") ?? "",
            Duration = TimeSpan.FromSeconds(Number(r, "duration") is { } d && double.IsFinite(d) ? d : 0),
            Labels = Labels(r["labels"]),
            Annotations = Labels(r["annotations"]),
            State = type == PromRuleType.Alerting ? AlertState(Str(r, "state")) : null,
            Health = Str(r, "health")?.ToLowerInvariant() switch { "ok" => PromRuleHealth.Ok, "err" => PromRuleHealth.Err, _ => PromRuleHealth.Unknown },
            LastError = Str(r, "lastError") is { Length: > 0 } e ? e : null,
            LastEvaluation = Rfc3339Time(Str(r, "lastEvaluation")),
            EvaluationTime = evaluationSeconds is { } s && double.IsFinite(s) && s >= 0 ? TimeSpan.FromSeconds(s) : null,
            Alerts = (r["alerts"] as JsonArray ?? new JsonArray()).OfType<JsonObject>().Select(Alert).ToList(),
        };
    }
}
