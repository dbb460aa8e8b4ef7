using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace RealEstateOps.Sandbox.Langfuse;

/// <summary>One filter condition as Langfuse takes them (the observations API's <c>filter</c>, the metrics query's <c>filters</c>).</summary>
public sealed record LangfuseFilter(string Column, string Operator, JsonNode? Value, string Type, string? Key);

/// <summary>
/// The columns of one kind of row (observations, scores) that can be filtered on and grouped by, and the filter
/// conditions' evaluation by type: string, stringOptions, arrayOptions, number, datetime, boolean, null (the operators
/// Langfuse's metrics API documents for each). Unknown columns, types or operators are refused with a 400.
/// </summary>
public sealed class LangfuseColumns<T>
{
    private readonly Dictionary<string, Func<T, object?>> _columns;

    public LangfuseColumns(Dictionary<string, Func<T, object?>> columns) => _columns = new(columns, StringComparer.Ordinal);

    public bool Has(string column) => _columns.ContainsKey(column);
    public IEnumerable<string> Names => _columns.Keys;
    public object? Value(T row, string column) => _columns[column](row);

    private static readonly Dictionary<string, string[]> Operators = new(StringComparer.Ordinal)
    {
        ["string"] = new[] { "=", "contains", "does not contain", "starts with", "ends with" },
        ["stringOptions"] = new[] { "any of", "none of" },
        ["categoryOptions"] = new[] { "any of", "none of" },
        ["arrayOptions"] = new[] { "any of", "none of", "all of" },
        ["number"] = new[] { "=", ">", "<", ">=", "<=" },
        ["datetime"] = new[] { ">", "<", ">=", "<=" },
        ["boolean"] = new[] { "=", "<>" },
        ["null"] = new[] { "is null", "is not null" },
    };

    /// <summary>Reads a JSON array of conditions; refuses what Langfuse would.</summary>
    public IReadOnlyList<LangfuseFilter> Parse(JsonNode? node, string where)
    {
        if (node is null) return Array.Empty<LangfuseFilter>();
        if (node is not JsonArray array) throw LangfuseFault.BadRequest($"Invalid {where}: expected an array of filter conditions.");
        var result = new List<LangfuseFilter>();
        foreach (var item in array)
        {
            if (item is not JsonObject f) throw LangfuseFault.BadRequest($"Invalid {where}: each filter must be an object with column, operator, value and type.");
            var column = Text(f, "column") ?? throw LangfuseFault.BadRequest($"Invalid {where}: a filter has no column.");
            var type = Text(f, "type") ?? throw LangfuseFault.BadRequest($"Invalid {where}: the filter on '{column}' has no type.");
            var op = Text(f, "operator") ?? throw LangfuseFault.BadRequest($"Invalid {where}: the filter on '{column}' has no operator.");
            if (!Has(column)) throw LangfuseFault.BadRequest($"Invalid filter column: '{column}'. Available columns: {string.Join(", ", Names.Order(StringComparer.Ordinal))}.");
            if (!Operators.TryGetValue(type, out var ops)) throw LangfuseFault.BadRequest($"Invalid filter type '{type}' for column '{column}'.");
            if (!ops.Contains(op, StringComparer.Ordinal))
                throw LangfuseFault.BadRequest($"Invalid operator '{op}' for filter type '{type}' on column '{column}'. Allowed: {string.Join(", ", ops.Select(o => $"'{o}'"))}.");
            var value = f["value"];
            if (type is "stringOptions" or "categoryOptions" or "arrayOptions" && value is not JsonArray)
                throw LangfuseFault.BadRequest($"Invalid filter value for column '{column}': type '{type}' needs an array of strings.");
            if (type == "datetime" && !TryTime(value, out _))
                throw LangfuseFault.BadRequest($"Invalid filter value for column '{column}': type 'datetime' needs an ISO 8601 date-time.");
            if (type == "number" && !TryNumber(value, out _))
                throw LangfuseFault.BadRequest($"Invalid filter value for column '{column}': type 'number' needs a number.");
            result.Add(new LangfuseFilter(column, op, value?.DeepClone(), type, Text(f, "key")));
        }
        return result;
    }

    public bool Matches(T row, IReadOnlyList<LangfuseFilter> filters) => filters.All(f => Matches(Value(row, f.Column), f));

    private static bool Matches(object? actual, LangfuseFilter f)
    {
        switch (f.Type)
        {
            case "null":
                var empty = actual is null || actual is string { Length: 0 };
                return f.Operator == "is null" ? empty : !empty;
            case "string":
            {
                var s = Str(actual);
                var v = f.Value?.GetValueKind() == JsonValueKind.String ? (string?)f.Value : f.Value?.ToJsonString();
                if (s is null) return f.Operator == "does not contain";
                v ??= "";
                return f.Operator switch
                {
                    "=" => s == v,
                    "contains" => s.Contains(v, StringComparison.OrdinalIgnoreCase),
                    "does not contain" => !s.Contains(v, StringComparison.OrdinalIgnoreCase),
                    "starts with" => s.StartsWith(v, StringComparison.OrdinalIgnoreCase),
                    _ => s.EndsWith(v, StringComparison.OrdinalIgnoreCase),
                };
            }
            case "stringOptions" or "categoryOptions":
            {
                var options = Strings(f.Value);
                var s = Str(actual);
                var any = s is not null && options.Contains(s);
                return f.Operator == "any of" ? any : !any;
            }
            case "arrayOptions":
            {
                var options = Strings(f.Value);
                var have = actual as IEnumerable<string> ?? Array.Empty<string>();
                return f.Operator switch
                {
                    "any of" => have.Any(options.Contains),
                    "none of" => !have.Any(options.Contains),
                    _ => options.All(have.Contains),
                };
            }
            case "number":
            {
                if (!TryNumber(f.Value, out var v)) return false;
                double? n = actual switch { double d => d, long l => l, int i => i, decimal m => (double)m, _ => null };
                if (n is not { } x) return false;
                return Compare(x.CompareTo(v), f.Operator);
            }
            case "datetime":
            {
                if (!TryTime(f.Value, out var v) || actual is not DateTimeOffset t) return false;
                return Compare(t.CompareTo(v), f.Operator);
            }
            case "boolean":
            {
                var b = actual is bool x && x;
                var v = f.Value?.GetValueKind() == JsonValueKind.True || (f.Value?.GetValueKind() == JsonValueKind.String && (string?)f.Value == "true");
                return f.Operator == "=" ? b == v : b != v;
            }
            default: return false;
        }
    }

    private static bool Compare(int c, string op) => op switch
    {
        "=" => c == 0, ">" => c > 0, "<" => c < 0, ">=" => c >= 0, "<=" => c <= 0, _ => false,
    };

    private static string? Str(object? value) => value switch
    {
        null => null,
        string s => s,
        bool b => b ? "true" : "false",
        DateTimeOffset t => t.ToString("O", CultureInfo.InvariantCulture),
        IFormattable f => f.ToString(null, CultureInfo.InvariantCulture),
        _ => value.ToString(),
    };

    private static HashSet<string> Strings(JsonNode? node) =>
        node is JsonArray a ? a.Select(x => x?.GetValueKind() == JsonValueKind.String ? (string)x! : x?.ToJsonString() ?? "").ToHashSet(StringComparer.Ordinal) : new(StringComparer.Ordinal);

    private static string? Text(JsonObject o, string name) =>
        o[name] is JsonValue v && v.GetValueKind() == JsonValueKind.String ? (string?)v : null;

    internal static bool TryTime(JsonNode? node, out DateTimeOffset time)
    {
        time = default;
        return node is JsonValue v && v.GetValueKind() == JsonValueKind.String &&
               DateTimeOffset.TryParse((string?)v, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out time);
    }

    private static bool TryNumber(JsonNode? node, out double value)
    {
        value = 0;
        if (node is not JsonValue v) return false;
        if (v.GetValueKind() == JsonValueKind.Number) { value = v.GetValue<double>(); return true; }
        return v.GetValueKind() == JsonValueKind.String && double.TryParse((string?)v, NumberStyles.Float, CultureInfo.InvariantCulture, out value);
    }
}

/// <summary>The filterable and groupable columns of observations and scores.</summary>
public static class LangfuseColumnSets
{
    public static readonly LangfuseColumns<LangfuseObservation> Observations = new(new()
    {
        ["id"] = o => o.Id,
        ["traceId"] = o => o.TraceId,
        ["parentObservationId"] = o => o.ParentObservationId,
        ["type"] = o => o.Type,
        ["name"] = o => o.Name,
        ["level"] = o => o.Level,
        ["statusMessage"] = o => o.StatusMessage,
        ["environment"] = o => o.Environment,
        ["version"] = o => o.Version,
        ["release"] = o => o.Release,
        ["traceName"] = o => o.TraceName,
        ["traceRelease"] = o => o.Release,
        ["traceVersion"] = o => o.Version,
        ["userId"] = o => o.UserId,
        ["sessionId"] = o => o.SessionId,
        ["tags"] = o => o.Tags,
        ["providedModelName"] = o => o.ProvidedModelName,
        ["promptName"] = o => o.PromptName,
        ["promptVersion"] = o => o.PromptVersion?.ToString(CultureInfo.InvariantCulture),
        ["isRootObservation"] = o => o.IsRoot,
        ["startTime"] = o => o.StartTime,
        ["endTime"] = o => o.EndTime,
        ["startTimeMonth"] = o => o.StartTime.ToString("yyyy-MM", CultureInfo.InvariantCulture),
        ["latency"] = o => o.LatencyMs,
        ["inputTokens"] = o => o.InputTokens,
        ["outputTokens"] = o => o.OutputTokens,
        ["totalTokens"] = o => o.TotalTokens,
        ["totalCost"] = o => o.TotalCost,
    });

    public static readonly LangfuseColumns<LangfuseScore> Scores = new(new()
    {
        ["id"] = s => s.Id,
        ["traceId"] = s => s.TraceId,
        ["observationId"] = s => s.ObservationId,
        ["userId"] = s => s.UserId,
        ["name"] = s => s.Name,
        ["source"] = s => s.Source,
        ["dataType"] = s => s.DataType,
        ["environment"] = s => s.Environment,
        ["traceName"] = s => s.TraceName,
        ["tags"] = s => s.Tags,
        ["value"] = s => s.Value,
        ["timestamp"] = s => s.Timestamp,
        ["timestampDay"] = s => s.Timestamp.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
        ["timestampMonth"] = s => s.Timestamp.ToString("yyyy-MM", CultureInfo.InvariantCulture),
    });
}
