using System.Globalization;
using RealEstateOps.Engine.Common;
using RealEstateOps.Engine.Langfuse;
using RealEstateOps.Engine.Prometheus;

namespace RealEstateOps.Engine.Canary;

/// <summary>
/// Reads a canary's gates from Prometheus (never from the cluster): request success rate (share of requests not answered
/// 5xx) and p95 latency of the service's pods labelled <c>version="canary"</c> and of the others (stable), over a window
/// ending now; and, when a Langfuse client is given, the error share of the LLM generations in the window. Whatever a real
/// Prometheus answers is tolerated: an empty vector or NaN (0/0) is no data, several series count at their worst, and a
/// query that failed after the client's retries is a problem of the check, never an exception.
/// </summary>
public sealed class CanaryMetrics
{
    /// <summary>The shortest window: a rate needs a few scrapes (Prometheus scrapes the platform every few seconds).</summary>
    public static readonly TimeSpan MinWindow = TimeSpan.FromSeconds(6);

    private readonly PromQueries _prometheus;
    private readonly LangfuseQueries? _langfuse;
    private readonly TimeProvider _time;

    public CanaryMetrics(PromQueries prometheus, LangfuseQueries? langfuse = null, TimeProvider? time = null)
    {
        _prometheus = prometheus;
        _langfuse = langfuse;
        _time = time ?? TimeProvider.System;
    }

    /// <summary>The PromQL selector of the canary's (or the stable) pods of a service.</summary>
    public static string Selector(string ns, string service, bool canary) =>
        $"namespace=\"{Escape(ns)}\",service=\"{Escape(service)}\",version{(canary ? "=" : "!=")}\"canary\"";

    /// <summary>Percent of requests not answered 5xx; no 5xx series at all counts as none (or vector(0)).</summary>
    public static string SuccessRateQuery(string selector, TimeSpan window)
    {
        var w = Range(window);
        return $"100 * (1 - ((sum(rate(http_requests_total{{{selector},code=~\"5..\"}}[{w}])) or vector(0)) / sum(rate(http_requests_total{{{selector}}}[{w}]))))";
    }

    public static string P95Query(string selector, TimeSpan window) =>
        $"1000 * histogram_quantile(0.95, sum by (le) (rate(http_request_duration_seconds_bucket{{{selector}}}[{Range(window)}])))";

    public static string Range(TimeSpan window) => Math.Max(1, (int)Math.Ceiling(window.TotalSeconds)).ToString(CultureInfo.InvariantCulture) + "s";

    /// <summary>Measures the canary and stable of <paramref name="service"/> over the <paramref name="window"/> ending now.</summary>
    public async Task<CanaryMeasurement> MeasureAsync(string ns, string service, TimeSpan window, bool includeLlm, IProgress<OpsEvent>? events, CancellationToken ct)
    {
        if (window < MinWindow) window = MinWindow;
        var problems = new List<string>();
        var canary = Selector(ns, service, canary: true);
        var stable = Selector(ns, service, canary: false);
        var canaryRate = await ValueAsync(SuccessRateQuery(canary, window), worstIsLowest: true, "canary success rate", problems, events, ct).ConfigureAwait(false);
        var stableRate = await ValueAsync(SuccessRateQuery(stable, window), worstIsLowest: true, "stable success rate", problems, events, ct).ConfigureAwait(false);
        var canaryP95 = await ValueAsync(P95Query(canary, window), worstIsLowest: false, "canary p95", problems, events, ct).ConfigureAwait(false);
        var stableP95 = await ValueAsync(P95Query(stable, window), worstIsLowest: false, "stable p95", problems, events, ct).ConfigureAwait(false);
        double? llm = null;
        if (includeLlm)
        {
            if (_langfuse is null) problems.Add("LLM error rate: no Langfuse client");
            else llm = await LlmErrorRateAsync(window, problems, events, ct).ConfigureAwait(false);
        }
        return new CanaryMeasurement
        {
            CanarySuccessRate = canaryRate, StableSuccessRate = stableRate, CanaryP95Ms = canaryP95, StableP95Ms = stableP95,
            LlmErrorRatePercent = llm, LlmMeasured = includeLlm, Window = window, At = _time.GetUtcNow(), Problems = problems,
        };
    }

    private async Task<double?> ValueAsync(string expression, bool worstIsLowest, string what, List<string> problems, IProgress<OpsEvent>? events, CancellationToken ct)
    {
        PromQueryResult result;
        try
        {
            result = await _prometheus.QueryAsync(new PromQuery { Expression = expression }, events, ct).ConfigureAwait(false);
        }
        catch (OpsException ex)
        {
            problems.Add($"{what}: query failed ({ex.ErrorId})");
            events.Warning($"Canary check: the {what} query failed ({ex.ErrorId}: {ex.Message}); the check counts as failed.");
            return null;
        }
        return Worst(result.Samples.Select(s => s.Value), worstIsLowest);
    }

    /// <summary>The worst finite value of several series (lowest success rate, highest latency); null when there is none (empty, NaN, ±Inf).</summary>
    public static double? Worst(IEnumerable<double> values, bool worstIsLowest)
    {
        var finite = values.Where(double.IsFinite).ToList();
        if (finite.Count == 0) return null;
        return worstIsLowest ? finite.Min() : finite.Max();
    }

    private async Task<double?> LlmErrorRateAsync(TimeSpan window, List<string> problems, IProgress<OpsEvent>? events, CancellationToken ct)
    {
        var to = _time.GetUtcNow();
        try
        {
            var rows = await _langfuse!.GetMetricsAsync(new LlmMetricQuery { From = to - window, To = to }, ct).ConfigureAwait(false);
            var generations = rows.Sum(r => r.Generations);
            return generations == 0 ? null : 100.0 * rows.Sum(r => r.Errors) / generations;
        }
        catch (OpsException ex)
        {
            problems.Add($"LLM error rate: query failed ({ex.ErrorId})");
            events.Warning($"Canary check: the Langfuse query failed ({ex.ErrorId}: {ex.Message}); the check counts as failed.");
            return null;
        }
    }

    private static string Escape(string value) => value.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("\"", "\\\"", StringComparison.Ordinal);
}
