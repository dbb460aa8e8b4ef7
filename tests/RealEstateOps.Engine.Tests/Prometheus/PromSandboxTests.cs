using RealEstateOps.Engine.Common;
using RealEstateOps.Engine.Kubernetes;
using RealEstateOps.Engine.Prometheus;
using RealEstateOps.Engine.Tests.Kubernetes;
using RealEstateOps.Engine.Tests.Support;
using RealEstateOps.Sandbox.Control;

namespace RealEstateOps.Engine.Tests.Prometheus;

/// <summary>The Prometheus engine against the sandbox's real Prometheus (Debian's 2.42) and its Kubernetes API's PrometheusRule objects.</summary>
public class PromSandboxTests : IClassFixture<MonitoringSandboxFixture>, IDisposable
{
    private readonly MonitoringSandboxFixture _sandbox;
    private readonly PromClient _client;
    private readonly PromQueries _queries;

    public PromSandboxTests(MonitoringSandboxFixture sandbox)
    {
        _sandbox = sandbox;
        Assert.True(sandbox.Available, sandbox.Why);
        _client = PromClient.Create(new PromTarget { Url = sandbox.PrometheusUrl, RequestTimeout = TimeSpan.FromSeconds(30) });
        _queries = new PromQueries(_client);
    }

    public void Dispose() => _client.Dispose();

    private KubeClient Kube()
    {
        var path = Path.Combine(_sandbox.StateDir, "prom-tests-kubeconfig");
        if (!File.Exists(path))
            File.WriteAllText(path, KubeSandboxTest.Kubeconfig(_sandbox.Host.BaseUrl.ToString().TrimEnd('/'), "/nonexistent", _sandbox.Secrets.KubeAdminToken, _sandbox.Secrets.KubeReadOnlyToken));
        return KubeClient.Open(new KubeTarget { Kubeconfig = path, Namespace = "monitoring" });
    }

    private async Task<bool> EventuallyAsync(Func<Task<bool>> probe, int seconds = 60) => await MonitoringSandboxFixture.EventuallyAsync(probe, TimeSpan.FromSeconds(seconds));

    private static async Task<List<T>> All<T>(IAsyncEnumerable<T> items) => await items.ToListAsync();

    [Fact]
    public async Task An_instant_query_gives_typed_samples_with_labels()
    {
        Assert.True(await EventuallyAsync(async () => (await _queries.QueryAsync(new PromQuery { Expression = "up{job=\"platform\"} == 1" }, null, default)).Samples.Count == 1));
        var result = await _queries.QueryAsync(new PromQuery { Expression = "sum by (service) (http_requests_total{namespace=\"real-estate-ai\"})" }, null, default);
        Assert.Equal(PromResultType.Vector, result.ResultType);
        Assert.Contains(result.Samples, s => s.Label("service") == "api-service" && s.Value > 0);
        Assert.All(result.Samples, s => Assert.True(Math.Abs((DateTimeOffset.UtcNow - s.Timestamp).TotalMinutes) < 5));
        var scalar = await _queries.QueryAsync(new PromQuery { Expression = "scalar(vector(1)) / 0" }, null, default);
        Assert.Equal(PromResultType.Scalar, scalar.ResultType);
        Assert.Equal(double.PositiveInfinity, Assert.Single(scalar.Samples).Value);
    }

    [Fact]
    public async Task A_range_query_gives_a_matrix_in_time_order()
    {
        Assert.True(await EventuallyAsync(async () => (await _queries.QueryAsync(new PromQuery { Expression = "up{job=\"platform\"}" }, null, default)).Samples.Count == 1));
        await Task.Delay(TimeSpan.FromSeconds(5)); // a few scrapes
        var end = DateTimeOffset.UtcNow;
        var result = await _queries.QueryAsync(new PromQuery { Expression = "up{job=\"platform\"}", Start = end.AddSeconds(-10), End = end, Step = TimeSpan.FromSeconds(2) }, null, default);
        Assert.Equal(PromResultType.Matrix, result.ResultType);
        var series = Assert.Single(result.Series);
        Assert.Equal("platform", series.Metric["job"]);
        Assert.True(series.Samples.Count >= 2);
        Assert.Equal(series.Samples.OrderBy(s => s.Timestamp).Select(s => s.Timestamp), series.Samples.Select(s => s.Timestamp));
        Assert.All(series.Samples, s => Assert.Equal(0, (s.Timestamp - series.Samples[0].Timestamp).TotalSeconds % 2, 3));
    }

    [Fact]
    public async Task Bad_PromQL_is_PromBadData_with_the_parsers_message()
    {
        var ex = await Assert.ThrowsAsync<OpsException>(() => _queries.QueryAsync(new PromQuery { Expression = "sum(rate(http_requests_total[1m]) by" }, null, default));
        Assert.Equal(("PromBadData", OpsErrorCategory.InvalidArgument), (ex.ErrorId, ex.Category));
        Assert.Contains("parse error", ex.Message);
    }

    [Fact]
    public async Task The_platform_rules_are_listed_with_their_evaluation()
    {
        List<PromRule> rules = new();
        Assert.True(await EventuallyAsync(async () =>
        {
            rules = await All(_queries.ListRulesAsync(new PromRuleQuery { Groups = new[] { "platform" } }, null, default));
            return rules.Count == 4 && rules.All(r => r.Health == PromRuleHealth.Ok);
        }), "the platform rules were never all evaluated");
        var high = rules.Single(r => r.Name == "HighErrorRate");
        Assert.Equal((PromRuleType.Alerting, TimeSpan.FromSeconds(10), "critical"), (high.Type, high.Duration, high.Severity));
        Assert.NotNull(high.LastEvaluation);
        Assert.EndsWith("monitoring-platform-alerts.yaml", high.File);
    }

    [Fact]
    public async Task A_fault_on_api_service_makes_it_Unhealthy_and_HighErrorRate_fires()
    {
        var reader = new ServiceHealthReader(_queries);
        var request = new ServiceHealthRequest { Namespace = "real-estate-ai" };
        _sandbox.Host.Context.Faults.Set("api-service", new FaultSettings { ErrorRate = 0.5 });
        try
        {
            ServiceHealth? api = null;
            Assert.True(await EventuallyAsync(async () =>
            {
                api = (await reader.ReadAsync(request, null, default)).SingleOrDefault(h => h.Service == "api-service");
                return api?.Verdict == ServiceHealthVerdict.Unhealthy;
            }, 90), $"api-service stayed {api?.Verdict} ({api?.Reason})");
            Assert.True(api!.ErrorRatePercent > 5);
            Assert.Contains("error rate", api.Reason);
            Assert.True(await EventuallyAsync(async () =>
                (await All(_queries.ListAlertsAsync(new PromAlertQuery { Names = new[] { "HighErrorRate" }, State = PromAlertState.Firing }, null, default)))
                .Any(a => a.Service == "api-service"), 90), "HighErrorRate never fired for api-service");
        }
        finally
        {
            _sandbox.Host.Context.Faults.Set("api-service", new FaultSettings());
        }
        var all = await reader.ReadAsync(request, null, default);
        var platform = all.Where(h => h.Service is "api-service" or "auth-service" or "chatbot-service" or "llm-service" or "proposal-service").ToList();
        Assert.Equal(5, platform.Count);
        Assert.All(platform, h => Assert.NotEqual(ServiceHealthVerdict.NoData, h.Verdict));
        Assert.All(platform, h => Assert.True(h.Pods > 0 && h.RequestRate > 0 && h.LatencyP95Ms > 0 && h.MemoryPercentOfRequest > 0, $"{h.Service}: {h.Pods} pods, {h.RequestRate} req/s"));
    }

    [Fact]
    public async Task PrometheusRule_objects_are_listed_rule_by_rule()
    {
        using var kube = Kube();
        var rules = await All(new PromRuleObjects(kube).ListAsync(new PromRuleDefinitionQuery { Namespace = "monitoring", ObjectName = "platform-alerts" }, default));
        Assert.Equal(new[] { "HighErrorRate", "HighLatencyP95", "PodRestartingOften", "DatabaseConnectionsHigh" }, rules.Select(r => r.Name));
        Assert.All(rules, r => Assert.Equal(("monitoring", "platform-alerts", "platform"), (r.Namespace, r.ObjectName, r.Group)));
        Assert.Equal("10s", rules[0].For);
        Assert.Contains("alert: HighErrorRate", rules[0].Yaml);
        var everywhere = await All(new PromRuleObjects(kube).ListAsync(new PromRuleDefinitionQuery { Names = new[] { "High*" } }, default));
        Assert.Equal(new[] { "HighErrorRate", "HighLatencyP95" }, everywhere.Select(r => r.Name));
    }

    [Fact]
    public async Task A_bad_expression_is_refused_by_promtool_and_by_the_cluster_and_nothing_is_created()
    {
        using var kube = Kube();
        var spec = new PromRuleSpec { Name = "BrokenRule", Expression = "sum(rate(http_requests_total[1m]) >", For = "1m", Severity = "warning" };
        foreach (var validator in new[] { new PromRuleValidator(), PromRuleValidator.None })
        {
            var objects = new PromRuleObjects(kube, validator);
            var change = await objects.PlanNewAsync(spec, "monitoring", "broken-rules", "broken", default);
            Assert.Equal(PromRuleChangeKind.CreateObject, change.Kind);
            var ex = await Assert.ThrowsAsync<OpsException>(() => objects.ApplyAsync(change, null, default));
            Assert.Equal("AlertRuleInvalid", ex.ErrorId);
            Assert.Contains("parse error", ex.Message);
            Assert.Contains(validator.IsAvailable ? "promtool" : "The cluster refused", ex.Message);
        }
        Assert.Empty(await All(new PromRuleObjects(kube).ListAsync(new PromRuleDefinitionQuery { Namespace = "monitoring", Names = new[] { "BrokenRule" } }, default)));
    }

    [Fact]
    public async Task A_rule_is_created_reaches_Prometheus_is_changed_and_removed_with_its_object()
    {
        using var kube = Kube();
        var objects = new PromRuleObjects(kube);
        var spec = new PromRuleSpec { Name = "ChatbotSlow", Expression = "histogram_quantile(0.95, sum by (le) (rate(http_request_duration_seconds_bucket{service=\"chatbot-service\"}[5m]))) > 2", For = "5m", Severity = "warning", Summary = "Chatbot slow" };
        var created = await objects.ApplyAsync(await objects.PlanNewAsync(spec, "monitoring", "chatbot-alerts", "chatbot", default), null, default);
        Assert.Equal(("chatbot-alerts", "chatbot", "5m", "warning"), (created!.ObjectName, created.Group, created.For, created.Severity));
        var again = await Assert.ThrowsAsync<OpsException>(() => objects.PlanNewAsync(spec, "monitoring", "chatbot-alerts", "chatbot", default));
        Assert.Equal("AlertRuleExists", again.ErrorId);
        Assert.True(await EventuallyAsync(async () => (await All(_queries.ListRulesAsync(new PromRuleQuery { Names = new[] { "ChatbotSlow" } }, null, default))).Count == 1),
            "Prometheus never loaded the new rule");

        var second = await objects.ApplyAsync(await objects.PlanNewAsync(spec with { Name = "ChatbotDown", Expression = "sum(up{job=\"platform\"}) == 0" }, "monitoring", "chatbot-alerts", "chatbot", default), null, default);
        Assert.Equal("ChatbotDown", second!.Name);

        var set = await objects.PlanSetAsync(new PromRuleSpec { Name = "ChatbotSlow", For = "10m", Labels = new Dictionary<string, string> { ["team"] = "ai" } }, "monitoring", null, null, default);
        Assert.Contains("-   for: 5m", set.Diff);
        Assert.Contains("+   for: 10m", set.Diff);
        var changed = await objects.ApplyAsync(set, null, default);
        Assert.Equal(("10m", "ai", "warning"), (changed!.For, changed.Labels["team"], changed.Severity));

        var removeOne = await objects.PlanRemoveAsync("ChatbotDown", "monitoring", null, null, keepEmptyObject: false, default);
        Assert.Equal(PromRuleChangeKind.RemoveRule, removeOne.Kind);
        await objects.ApplyAsync(removeOne, null, default);
        var removeLast = await objects.PlanRemoveAsync("ChatbotSlow", "monitoring", null, null, keepEmptyObject: false, default);
        Assert.Equal(PromRuleChangeKind.DeleteObject, removeLast.Kind);
        await objects.ApplyAsync(removeLast, null, default);
        var gone = await Assert.ThrowsAsync<OpsException>(async () => await All(objects.ListAsync(new PromRuleDefinitionQuery { Namespace = "monitoring", ObjectName = "chatbot-alerts" }, default)));
        Assert.Equal("PrometheusRuleNotFound", gone.ErrorId);
        var missing = await Assert.ThrowsAsync<OpsException>(() => objects.PlanRemoveAsync("ChatbotSlow", "monitoring", null, null, false, default));
        Assert.Equal("AlertRuleNotFound", missing.ErrorId);
        // The platform's own rules were never touched.
        Assert.Equal(4, (await All(objects.ListAsync(new PromRuleDefinitionQuery { Namespace = "monitoring", ObjectName = "platform-alerts" }, default))).Count);
    }
}
