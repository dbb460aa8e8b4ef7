using RealEstateOps.Engine.Common;
using RealEstateOps.Engine.Prometheus;

namespace RealEstateOps.Engine.Incident;

/// <summary>The alerts that fired in a window, from Prometheus' ALERTS{alertstate="firing"} series over it (a range query).</summary>
public sealed class IncidentAlertReader
{
    private readonly PromQueries _queries;

    public IncidentAlertReader(PromQueries queries) => _queries = queries;

    public async Task<IReadOnlyList<IncidentAlert>> FiredAsync(DateTimeOffset from, DateTimeOffset to, IProgress<OpsEvent>? events, CancellationToken ct)
    {
        if (to <= from) to = from.AddMinutes(1);
        // About 250 points over the window, never finer than 15 s (Prometheus' evaluation interval).
        var step = TimeSpan.FromSeconds(Math.Max(15, Math.Ceiling((to - from).TotalSeconds / 250)));
        var result = await _queries.QueryAsync(new PromQuery { Expression = "ALERTS{alertstate=\"firing\"}", Start = from, End = to, Step = step }, events, ct).ConfigureAwait(false);
        return result.Series
            .Where(s => s.Samples.Count > 0)
            .Select(s => new IncidentAlert
            {
                Name = s.Metric.TryGetValue("alertname", out var n) ? n : "(unnamed)",
                Severity = s.Metric.TryGetValue("severity", out var sev) ? sev : null,
                Labels = PromJson.FormatLabels(s.Metric.Where(kv => kv.Key is not ("__name__" or "alertname" or "alertstate" or "severity"))
                    .ToDictionary(kv => kv.Key, kv => kv.Value)),
                FirstSeen = s.Samples.Min(x => x.Timestamp),
                LastSeen = s.Samples.Max(x => x.Timestamp),
            })
            .OrderBy(a => a.FirstSeen).ThenBy(a => a.Name, StringComparer.Ordinal)
            .ToList();
    }
}
