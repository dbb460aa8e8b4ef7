using System.Runtime.CompilerServices;
using System.Text.Json.Nodes;
using RealEstateOps.Engine.Common;

namespace RealEstateOps.Engine.Prometheus;

/// <summary>
/// Reads from Prometheus: instant and range queries (typed samples), active alerts, and rules with their evaluation state.
/// Prometheus answers each in one piece (no paging): the lists are streams over that one answer, so a consumer that stops
/// early has still made exactly one request.
/// </summary>
public sealed class PromQueries
{
    /// <summary>About this many points per series when a range query gives no step.</summary>
    public const int DefaultPoints = 250;

    /// <summary>Prometheus refuses more than 11,000 points per series.</summary>
    public const int MaxPoints = 11_000;

    private readonly PromClient _client;
    private readonly TimeProvider _time;

    public PromQueries(PromClient client, TimeProvider? time = null)
    {
        _client = client;
        _time = time ?? TimeProvider.System;
    }

    /// <summary>Runs an instant query (<c>/api/v1/query</c>) or, when the request has a Start, a range query (<c>/api/v1/query_range</c>).</summary>
    public async Task<PromQueryResult> QueryAsync(PromQuery query, IProgress<OpsEvent>? events, CancellationToken ct)
    {
        if (string.IsNullOrWhiteSpace(query.Expression))
            throw new OpsException("PromQueryEmpty", OpsErrorCategory.InvalidArgument, "The query is empty: give a PromQL expression.");
        var parameters = new List<KeyValuePair<string, string?>> { new("query", query.Expression) };
        if (query.Timeout is { } timeout)
        {
            if (timeout <= TimeSpan.Zero) throw new OpsException("PromTimeoutInvalid", OpsErrorCategory.InvalidArgument, "The query timeout must be positive.", timeout);
            parameters.Add(new("timeout", PromJson.Seconds(timeout)));
        }
        string path;
        if (query.IsRange)
        {
            var start = query.Start!.Value;
            var end = query.End ?? _time.GetUtcNow();
            if (end < start)
                throw new OpsException("PromRangeInvalid", OpsErrorCategory.InvalidArgument, $"The range ends ({end:O}) before it starts ({start:O}).", query.Expression);
            var step = query.Step ?? DefaultStep(end - start);
            if (step <= TimeSpan.Zero)
                throw new OpsException("PromStepInvalid", OpsErrorCategory.InvalidArgument, "The step must be positive.", step);
            if ((end - start).TotalSeconds / step.TotalSeconds > MaxPoints)
                throw new OpsException("PromTooManyPoints", OpsErrorCategory.LimitsExceeded,
                    $"{(end - start).TotalSeconds / step.TotalSeconds:N0} points per series over that range at a {Waiting.Waiter.Format(step)} step: Prometheus allows {MaxPoints:N0}. Give a larger -Step or a shorter range.", query.Expression);
            parameters.Add(new("start", PromJson.Time(start)));
            parameters.Add(new("end", PromJson.Time(end)));
            parameters.Add(new("step", PromJson.Seconds(step)));
            path = "api/v1/query_range";
        }
        else
        {
            if (query.At is { } at) parameters.Add(new("time", PromJson.Time(at)));
            path = "api/v1/query";
        }
        events.Verbose($"Prometheus: {(query.IsRange ? "range" : "instant")} query {query.Expression}");
        var answer = await _client.GetAsync(path, parameters, query.Expression, events, ct).ConfigureAwait(false);
        var result = PromJson.QueryResult(answer.Data, answer.Warnings);
        foreach (var w in result.Warnings.Skip(answer.Warnings.Count)) events.Warning(w);
        return result;
    }

    /// <summary>A query's samples as a stream (a matrix series by series, each in time order).</summary>
    public async IAsyncEnumerable<PromSample> SamplesAsync(PromQuery query, IProgress<OpsEvent>? events, [EnumeratorCancellation] CancellationToken ct)
    {
        var result = await QueryAsync(query, events, ct).ConfigureAwait(false);
        foreach (var s in result.Samples) yield return s;
    }

    /// <summary>The step that gives about <see cref="DefaultPoints"/> points over the range, rounded up to whole seconds, at least 1 s.</summary>
    public static TimeSpan DefaultStep(TimeSpan range) => TimeSpan.FromSeconds(Math.Max(1, Math.Ceiling(range.TotalSeconds / DefaultPoints)));

    /// <summary>
    /// One value per label value: runs an instant query and maps each element of its vector by <paramref name="label"/>
    /// (elements without it are skipped; NaN values are kept, as Prometheus gives them).
    /// </summary>
    public async Task<IReadOnlyDictionary<string, double>> ByLabelAsync(string expression, string label, DateTimeOffset? at, IProgress<OpsEvent>? events, CancellationToken ct)
    {
        var result = await QueryAsync(new PromQuery { Expression = expression, At = at }, events, ct).ConfigureAwait(false);
        var map = new Dictionary<string, double>(StringComparer.Ordinal);
        foreach (var s in result.Samples)
            if (s.Label(label) is { } key) map[key] = s.Value;
        if (result.ResultType == PromResultType.Scalar && result.Samples.Count == 1) map[""] = result.Samples[0].Value;
        return map;
    }

    /// <summary>Active alerts (<c>/api/v1/alerts</c>): pending and firing, filtered by name (wildcards) and state.</summary>
    public async IAsyncEnumerable<PromAlert> ListAlertsAsync(PromAlertQuery query, IProgress<OpsEvent>? events, [EnumeratorCancellation] CancellationToken ct)
    {
        var answer = await _client.GetAsync("api/v1/alerts", null, null, events, ct).ConfigureAwait(false);
        var names = Patterns(query.Names);
        foreach (var a in Objects((answer.Data as JsonObject)?["alerts"]).Select(PromJson.Alert))
        {
            if (query.State is { } state && a.State != state) continue;
            if (names is not null && !names.Any(n => n.IsMatch(a.Name))) continue;
            yield return a;
        }
    }

    /// <summary>
    /// Rules (<c>/api/v1/rules</c>) with their state, health and last error, filtered by name and group (wildcards) and type;
    /// the type is also asked of the server (<c>type=alert|record</c>).
    /// </summary>
    public async IAsyncEnumerable<PromRule> ListRulesAsync(PromRuleQuery query, IProgress<OpsEvent>? events, [EnumeratorCancellation] CancellationToken ct)
    {
        var parameters = new List<KeyValuePair<string, string?>>();
        if (query.Type is { } type) parameters.Add(new("type", type == PromRuleType.Alerting ? "alert" : "record"));
        var answer = await _client.GetAsync("api/v1/rules", parameters, null, events, ct).ConfigureAwait(false);
        var names = Patterns(query.Names);
        var groups = Patterns(query.Groups);
        foreach (var g in Objects((answer.Data as JsonObject)?["groups"]))
        {
            var group = PromJson.Str(g, "name") ?? "";
            if (groups is not null && !groups.Any(p => p.IsMatch(group))) continue;
            var file = PromJson.Str(g, "file");
            foreach (var r in Objects(g["rules"]).Select(r => PromJson.Rule(r, group, file)))
            {
                if (query.Type is { } t && r.Type != t) continue;
                if (names is not null && !names.Any(n => n.IsMatch(r.Name))) continue;
                yield return r;
            }
        }
    }

    private static IEnumerable<JsonObject> Objects(JsonNode? node) => node is JsonArray a ? a.OfType<JsonObject>() : Enumerable.Empty<JsonObject>();

    private static List<System.Text.RegularExpressions.Regex>? Patterns(IReadOnlyList<string>? patterns) =>
        patterns is { Count: > 0 } ? patterns.Select(Wildcard.ToRegex).ToList() : null;
}
