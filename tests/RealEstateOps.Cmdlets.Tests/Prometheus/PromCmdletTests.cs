using System.Text.Json.Nodes;
using RealEstateOps.Cmdlets.Tests.Support;
using RealEstateOps.Commands.Prometheus;
using RealEstateOps.Engine.Context;
using RealEstateOps.Engine.Journal;
using RealEstateOps.Engine.Prometheus;
using RealEstateOps.Tests.Support;

namespace RealEstateOps.Cmdlets.Tests.Prometheus;

/// <summary>
/// The Prometheus cmdlets in a hosted runspace against an in-process sandbox with its real Prometheus (behind a counting
/// proxy, the context's ServiceUrls['prometheus']), its Kubernetes API's PrometheusRule objects and its platform database.
/// </summary>
public sealed class PromCmdletTests : IAsyncLifetime
{
    private KubeSandboxSession _sandbox = null!;
    private CountingProxy _proxy = null!;
    private PsSession _s = null!;

    public async Task InitializeAsync()
    {
        _sandbox = await KubeSandboxSession.StartAsync("reo-prom-", "-Name prom", clockSpeed: 10, monitoring: true);
        var monitoring = _sandbox.Host.Context.Monitoring ?? throw new InvalidOperationException("The sandbox has no Prometheus: " + _sandbox.Host.Context.MonitoringMessage);
        _proxy = new CountingProxy(monitoring.PrometheusUrl.ToString());
        _s = _sandbox.Shell;
        var db = _sandbox.Host.Platform;
        var r = _s.Run($"Set-OpsContext -Name prom -ServiceUrl @{{ prometheus = '{_proxy.Url}' }} -DbHost '{db.Host}' -DbPort {db.Port} -DbName '{db.Database}' -DbUser '{db.User}' -DbPassFile '{db.PassFile}'");
        Assert.Empty(r.Errors);
        // Prometheus has scraped the platform at least twice (rates need two samples).
        var deadline = DateTime.UtcNow.AddSeconds(60);
        while (DateTime.UtcNow < deadline && !_s.Run("Invoke-PromQuery 'sum(rate(http_requests_total[1m])) > 0'").Objects<PromSample>().Any()) await Task.Delay(1000);
    }

    public async Task DisposeAsync()
    {
        _proxy.Dispose();
        await _sandbox.DisposeAsync();
    }

    private async Task<JsonObject> OperationsAsync() => JsonNode.Parse(await _sandbox.Http.GetStringAsync("_sandbox/requests"))!["operations"]!.AsObject();

    private async Task<long> RuleMutationsAsync() =>
        (await OperationsAsync()).Where(kv => kv.Key.StartsWith("kubernetes:", StringComparison.Ordinal) && !kv.Key.StartsWith("kubernetes:GET", StringComparison.Ordinal))
            .Sum(kv => kv.Value!.GetValue<long>());

    private static async Task OpenClientsSettleAsync(int open)
    {
        var deadline = DateTime.UtcNow.AddSeconds(20);
        while (PromCommandBase.OpenClients != open && DateTime.UtcNow < deadline) await Task.Delay(50);
        Assert.Equal(open, PromCommandBase.OpenClients);
    }

    [Fact]
    public void Queries_instant_and_range_and_a_bad_one_does_not_stop_the_next()
    {
        var instant = _s.Run("Invoke-PromQuery 'sum by (service) (rate(http_requests_total{namespace=\"real-estate-ai\"}[1m]))'");
        Assert.Empty(instant.Errors);
        var samples = instant.Objects<PromSample>().ToList();
        Assert.Contains(samples, s => s.Label("service") == "api-service" && s.Value > 0 && s.ResultType == PromResultType.Vector);

        var range = _s.Run("Invoke-PromQuery 'up{job=\"platform\"}' -Start (Get-Date).AddSeconds(-20) -Step 2s");
        Assert.Empty(range.Errors);
        var points = range.Objects<PromSample>().ToList();
        Assert.True(points.Count >= 2);
        Assert.All(points, p => Assert.Equal(PromResultType.Matrix, p.ResultType));

        var both = _s.Run("'sum(rate(http_requests_total[1m]) by', 'vector(42)' | Invoke-PromQuery");
        Assert.Equal(new[] { "PromBadData" }, both.ErrorIds);
        Assert.Contains("parse error", both.Errors[0].Exception.Message);
        Assert.Equal(42, Assert.Single(both.Objects<PromSample>()).Value);
        Assert.Equal(new[] { "PrometheusUnreachable" }, _s.Run("Invoke-PromQuery up -PrometheusUrl http://127.0.0.1:1").ErrorIds);
        Assert.Equal(new[] { "PromTooManyPoints" }, _s.Run("Invoke-PromQuery up -Start (Get-Date).AddDays(-7) -Step 1s").ErrorIds);
    }

    [Fact]
    public async Task Lists_make_exactly_one_request_when_the_pipeline_takes_one()
    {
        var open = PromCommandBase.OpenClients;
        var before = _proxy.Count("GET /api/v1/rules");
        Assert.Single(_s.Run("Get-AlertRule | Select-Object -First 1").Objects<PromRule>());
        Assert.Equal(before + 1, _proxy.Count("GET /api/v1/rules"));

        var queries = _proxy.Count("GET /api/v1/query");
        Assert.Single(_s.Run("Invoke-PromQuery 'http_requests_total' | Select-Object -First 1").Objects<PromSample>());
        Assert.Equal(queries + 1, _proxy.Count("GET /api/v1/query"));

        var alerts = _proxy.Count("GET /api/v1/alerts");
        _s.Run("Get-PromAlert | Select-Object -First 1");
        Assert.Equal(alerts + 1, _proxy.Count("GET /api/v1/alerts"));
        await OpenClientsSettleAsync(open);

        await _sandbox.Http.DeleteAsync("_sandbox/requests");
        var cluster = _s.Run("Get-AlertRule -Source Cluster | Select-Object -First 1");
        Assert.Empty(cluster.Errors);
        Assert.Equal("platform-alerts", Assert.Single(cluster.Objects<PromRuleDefinition>()).ObjectName);
        var ops = await OperationsAsync();
        Assert.Equal(1, ops.Where(kv => kv.Key.StartsWith("kubernetes:GET", StringComparison.Ordinal)).Sum(kv => kv.Value!.GetValue<long>()));
    }

    [Fact]
    public void Rules_come_from_Prometheus_with_their_evaluation_and_from_the_cluster_by_object()
    {
        var rules = _s.Run("Get-AlertRule -Group platform -Type Alerting").Objects<PromRule>().ToList();
        Assert.Equal(new[] { "HighErrorRate", "HighLatencyP95", "PodRestartingOften", "DatabaseConnectionsHigh" }, rules.Select(r => r.Name));
        var cluster = _s.Run("Get-AlertRule High* -Source Cluster").Objects<PromRuleDefinition>().ToList();
        Assert.Equal(new[] { "HighErrorRate", "HighLatencyP95" }, cluster.Select(r => r.Name));
        Assert.All(cluster, r => Assert.Equal(("monitoring", "platform-alerts", "platform"), (r.Namespace, r.ObjectName, r.Group)));
        var none = _s.Run("Get-AlertRule -Source Cluster -Namespace nope"); // as kubectl: no resources found
        Assert.Empty(none.Errors);
        Assert.Empty(none.Output);
    }

    [Fact]
    public async Task New_Set_and_Remove_AlertRule_check_first_show_WhatIf_and_are_journaled()
    {
        var mutations = await RuleMutationsAsync();
        var whatIf = _s.Run("New-AlertRule -Name ProposalErrors -Expression 'sum(rate(http_requests_total{service=\"proposal-service\",code=~\"5..\"}[5m])) > 1' -For 2m -Severity warning -ObjectName proposal-alerts -WhatIf");
        Assert.Empty(whatIf.Errors);
        Assert.Empty(whatIf.Output);
        Assert.Equal(mutations, await RuleMutationsAsync());
        Assert.Empty(_s.Run("Get-AlertRule -Source Cluster -ObjectName proposal-alerts -ErrorAction SilentlyContinue").Output);

        var bad = _s.Run("New-AlertRule -Name ProposalErrors -Expression 'sum(rate(http_requests_total[5m]) >' -ObjectName proposal-alerts");
        Assert.Equal(new[] { "AlertRuleInvalid" }, bad.ErrorIds);
        Assert.Contains("parse error", bad.Errors[0].Exception.Message);
        Assert.Equal(mutations, await RuleMutationsAsync());

        var made = _s.Run("New-AlertRule -Name ProposalErrors -Expression 'sum(rate(http_requests_total{service=\"proposal-service\",code=~\"5..\"}[5m])) > 1' -For 2m -Severity warning -Summary 'Proposal errors' -ObjectName proposal-alerts -Group proposals");
        Assert.Empty(made.Errors);
        var rule = Assert.Single(made.Objects<PromRuleDefinition>());
        Assert.Equal(("proposal-alerts", "proposals", "2m", "Proposal errors"), (rule.ObjectName, rule.Group, rule.For, rule.Summary));
        Assert.Single(_s.Run("Get-AlertRule ProposalErrors -Source Cluster").Objects<PromRuleDefinition>());
        var deadline = DateTime.UtcNow.AddSeconds(60);
        while (DateTime.UtcNow < deadline && !_s.Run("Get-AlertRule ProposalErrors").Objects<PromRule>().Any()) await Task.Delay(500);
        Assert.Single(_s.Run("Get-AlertRule ProposalErrors").Objects<PromRule>());

        mutations = await RuleMutationsAsync();
        var setWhatIf = _s.Run("Set-AlertRule ProposalErrors -For 10m -WhatIf");
        Assert.Empty(setWhatIf.Errors);
        Assert.Equal(mutations, await RuleMutationsAsync());
        var set = _s.Run("Get-AlertRule ProposalErrors -Source Cluster | Set-AlertRule -For 10m -Labels @{ team = 'sales' }");
        Assert.Empty(set.Errors);
        Assert.Equal(("10m", "sales"), (Assert.Single(set.Objects<PromRuleDefinition>()).For, set.Objects<PromRuleDefinition>().Single().Labels["team"]));

        mutations = await RuleMutationsAsync();
        Assert.Empty(_s.Run("Remove-AlertRule ProposalErrors -WhatIf").Errors);
        Assert.Equal(mutations, await RuleMutationsAsync());
        Assert.Empty(_s.Run("Remove-AlertRule ProposalErrors -Force").Errors);
        Assert.Equal(new[] { "PrometheusRuleNotFound" }, _s.Run("Get-AlertRule -Source Cluster -ObjectName proposal-alerts").ErrorIds);
        Assert.Equal(new[] { "AlertRuleNotFound" }, _s.Run("Remove-AlertRule ProposalErrors -Force").ErrorIds);
        Assert.Equal(4, _s.Run("Get-AlertRule -Source Cluster -ObjectName platform-alerts").Objects<PromRuleDefinition>().Count());

        var journal = _s.Run("Get-OpsJournal").Objects<JournalEntry>().Where(e => e.Command.EndsWith("AlertRule", StringComparison.Ordinal)).Select(e => (e.Command, e.Outcome)).ToList();
        Assert.Contains(("New-AlertRule", JournalOutcome.WhatIf), journal);
        Assert.Contains(("New-AlertRule", JournalOutcome.Failed), journal);
        Assert.Contains(("New-AlertRule", JournalOutcome.Succeeded), journal);
        Assert.Contains(("Set-AlertRule", JournalOutcome.WhatIf), journal);
        Assert.Contains(("Set-AlertRule", JournalOutcome.Succeeded), journal);
        Assert.Contains(("Remove-AlertRule", JournalOutcome.WhatIf), journal);
        Assert.Contains(("Remove-AlertRule", JournalOutcome.Succeeded), journal);
    }

    [Fact]
    public void Service_health_uses_the_contexts_thresholds_unless_given()
    {
        var all = _s.Run("Get-ServiceHealth").Objects<ServiceHealth>().ToList();
        foreach (var service in new[] { "api-service", "auth-service", "llm-service", "chatbot-service", "proposal-service" })
            Assert.Contains(all, h => h.Service == service && h.Verdict != ServiceHealthVerdict.NoData && h.Pods > 0);
        Assert.All(all, h => Assert.Equal((5.0, 1000.0), (h.ErrorRateThresholdPercent, h.LatencyP95ThresholdMs)));

        Assert.Empty(_s.Run("Set-OpsContext -Name prom -ErrorRateThresholdPercent 2.5 -LatencyP95ThresholdMs 400").Errors);
        var one = _s.Run("Get-ServiceHealth api-service -Verbose");
        var api = Assert.Single(one.Objects<ServiceHealth>());
        Assert.Equal((2.5, 400.0), (api.ErrorRateThresholdPercent, api.LatencyP95ThresholdMs));
        Assert.Contains(one.Verbose, v => v.Contains("from context 'prom'"));
        Assert.Contains(one.Verbose, v => v.StartsWith("p95: histogram_quantile(0.95", StringComparison.Ordinal));
        var given = Assert.Single(_s.Run("Get-ServiceHealth api-service -ErrorRateThresholdPercent 50").Objects<ServiceHealth>());
        Assert.Equal(50, given.ErrorRateThresholdPercent);
        Assert.Equal(ServiceHealthVerdict.NoData, Assert.Single(_s.Run("Get-ServiceHealth no-such-service").Objects<ServiceHealth>()).Verdict);

        Assert.NotEmpty(_s.Run("Set-OpsContext -Name prom -ErrorRateThresholdPercent 0").Errors);
        Assert.NotEmpty(_s.Run("Set-OpsContext -Name prom -LatencyP95ThresholdMs 0").Errors);
        var ctx = _s.Run("Get-OpsContext prom").Objects<OpsContext>().Single();
        Assert.Equal((2.5, 400), (ctx.ErrorRateThresholdPercent, ctx.LatencyP95ThresholdMs));
        Assert.Empty(_s.Run("Set-OpsContext -Name prom -Clear ErrorRateThresholdPercent, LatencyP95ThresholdMs").Errors);
        ctx = _s.Run("Get-OpsContext prom").Objects<OpsContext>().Single();
        Assert.Equal((5.0, 1000), (ctx.ErrorRateThresholdPercent, ctx.LatencyP95ThresholdMs));
    }

    [Fact]
    public void Business_metrics_say_where_they_come_from()
    {
        var all = _s.Run("Get-BusinessMetric");
        Assert.Empty(all.Errors);
        var metrics = all.Objects<BusinessMetric>().ToList();
        Assert.Equal(new[] { "ActiveUsers", "ChatbotConversations", "PropertySearches", "ProposalsGenerated", "ConversionRatePercent" },
            metrics.Where(m => m.Source == BusinessMetricSource.Prometheus).Select(m => m.Name));
        Assert.True(metrics.Single(m => m.Name == "ActiveUsers").Value > 0);
        var db = metrics.Where(m => m.Source == BusinessMetricSource.Database).ToDictionary(m => m.Name);
        Assert.Equal(new[] { "Properties", "Listings", "Proposals", "ChatSessions" }, db.Keys);
        Assert.Equal(240, db["Properties"].Value);
        Assert.Equal("select count(*) from chat_sessions", db["ChatSessions"].Query);

        var onlyDb = _s.Run("Get-BusinessMetric -Source Database -PrometheusUrl http://127.0.0.1:1");
        Assert.Empty(onlyDb.Errors);
        Assert.All(onlyDb.Objects<BusinessMetric>(), m => Assert.Equal(BusinessMetricSource.Database, m.Source));
        var noProm = _s.Run("Get-BusinessMetric -PrometheusUrl http://127.0.0.1:1");
        Assert.Equal(new[] { "PrometheusUnreachable" }, noProm.ErrorIds);
        Assert.Equal(4, noProm.Objects<BusinessMetric>().Count());
    }
}
