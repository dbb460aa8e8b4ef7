using System.Net;
using RealEstateOps.Engine.Common;
using RealEstateOps.Engine.Prometheus;

namespace RealEstateOps.Engine.Tests.Prometheus;

/// <summary>Queries, alerts and rules read from Prometheus' real answer shapes (the HTTP API v1 documentation's examples, Prometheus 2.42's fields).</summary>
public class PromQueriesTests
{
    [Fact]
    public async Task An_instant_vector_is_typed_samples_with_labels_and_special_values()
    {
        const string answer = """
        {"status":"success","data":{"resultType":"vector","result":[
          {"metric":{"__name__":"up","job":"prometheus","instance":"localhost:9090"},"value":[1435781451.781,"1"]},
          {"metric":{"service":"api-service"},"value":[1435781451.781,"NaN"]},
          {"value":[1435781451.781,"+Inf"],"metric":{"service":"auth-service"}},
          {"metric":{"service":"llm-service"},"value":[1435781451.781,"-Inf"]},
          {"metric":{"service":"chatbot-service"},"value":[1435781451.781,"1.5e-03"]}]}}
        """;
        var script = new PromScripted(_ => PromScripted.Json(answer));
        using var client = script.Client();
        var at = DateTimeOffset.FromUnixTimeMilliseconds(1435781451781);
        var result = await new PromQueries(client).QueryAsync(new PromQuery { Expression = "up", At = at, Timeout = TimeSpan.FromSeconds(5) }, null, default);
        Assert.Equal(PromResultType.Vector, result.ResultType);
        Assert.Equal(5, result.Samples.Count);
        var up = result.Samples[0];
        Assert.Equal(("up", "prometheus", 1.0, at), (up.Name, up.Label("job"), up.Value, up.Timestamp));
        Assert.Equal("{instance=\"localhost:9090\", job=\"prometheus\"}", up.Labels);
        Assert.Throws<NotSupportedException>(() => ((IDictionary<string, string>)up.Metric).Add("x", "y"));
        Assert.True(double.IsNaN(result.Samples[1].Value));
        Assert.Null(result.Samples[1].Name);
        Assert.Equal(double.PositiveInfinity, result.Samples[2].Value);
        Assert.Equal(double.NegativeInfinity, result.Samples[3].Value);
        Assert.Equal(0.0015, result.Samples[4].Value, 10);
        var r = script.Requests.Single();
        Assert.Equal((HttpMethod.Get, "/api/v1/query"), (r.Method, r.Path));
        Assert.Equal(("up", "1435781451.781", "5"), (r.Parameters["query"].Single(), r.Parameters["time"].Single(), r.Parameters["timeout"].Single()));
    }

    [Fact]
    public async Task A_range_query_sends_start_end_step_and_reads_the_matrix_series_by_series()
    {
        const string answer = """
        {"status":"success","data":{"resultType":"matrix","result":[
          {"metric":{"__name__":"up","job":"prometheus","instance":"localhost:9090"},"values":[[1435781430.781,"1"],[1435781445.781,"1"],[1435781460.781,"1"]]},
          {"metric":{"__name__":"up","job":"node","instance":"localhost:9091"},"values":[[1435781430.781,"0"],[1435781445.781,"0"],[1435781460.781,"1"]]}]}}
        """;
        var script = new PromScripted(_ => PromScripted.Json(answer));
        using var client = script.Client();
        var start = DateTimeOffset.FromUnixTimeSeconds(1435781430).AddMilliseconds(781);
        var result = await new PromQueries(client).QueryAsync(new PromQuery { Expression = "up", Start = start, End = start.AddSeconds(30), Step = TimeSpan.FromSeconds(15) }, null, default);
        Assert.Equal(PromResultType.Matrix, result.ResultType);
        Assert.Equal(2, result.Series.Count);
        Assert.Equal(6, result.Samples.Count);
        Assert.Equal(new[] { 1.0, 1, 1, 0, 0, 1 }, result.Samples.Select(s => s.Value));
        Assert.Equal("node", result.Samples[3].Label("job"));
        Assert.Equal(start.AddSeconds(15), result.Samples[1].Timestamp);
        var r = script.Requests.Single();
        Assert.Equal("/api/v1/query_range", r.Path);
        Assert.Equal(("1435781430.781", "1435781460.781", "15"), (r.Parameters["start"].Single(), r.Parameters["end"].Single(), r.Parameters["step"].Single()));
    }

    [Fact]
    public async Task A_range_without_step_or_end_gets_about_250_points_up_to_now()
    {
        var script = new PromScripted(_ => PromScripted.Json("""{"status":"success","data":{"resultType":"matrix","result":[]}}"""));
        using var client = script.Client();
        var now = new DateTimeOffset(2026, 12, 1, 12, 0, 0, TimeSpan.Zero);
        var result = await new PromQueries(client, new FixedTime(now)).QueryAsync(new PromQuery { Expression = "up", Start = now.AddHours(-1) }, null, default);
        Assert.Empty(result.Samples);
        var r = script.Requests.Single();
        Assert.Equal((PromJson.Time(now), "15"), (r.Parameters["end"].Single(), r.Parameters["step"].Single()));
    }

    [Fact]
    public async Task Bad_ranges_are_refused_before_any_request()
    {
        var script = new PromScripted((Func<PromScripted.Request, HttpResponseMessage>)(_ => throw new InvalidOperationException("no request expected")));
        using var client = script.Client();
        var q = new PromQueries(client);
        var now = DateTimeOffset.UtcNow;
        Assert.Equal("PromRangeInvalid", (await Assert.ThrowsAsync<OpsException>(() => q.QueryAsync(new PromQuery { Expression = "up", Start = now, End = now.AddHours(-1) }, null, default))).ErrorId);
        Assert.Equal("PromTooManyPoints", (await Assert.ThrowsAsync<OpsException>(() => q.QueryAsync(new PromQuery { Expression = "up", Start = now.AddDays(-1), End = now, Step = TimeSpan.FromSeconds(1) }, null, default))).ErrorId);
        Assert.Equal("PromStepInvalid", (await Assert.ThrowsAsync<OpsException>(() => q.QueryAsync(new PromQuery { Expression = "up", Start = now.AddHours(-1), Step = TimeSpan.Zero }, null, default))).ErrorId);
        Assert.Equal("PromQueryEmpty", (await Assert.ThrowsAsync<OpsException>(() => q.QueryAsync(new PromQuery { Expression = " " }, null, default))).ErrorId);
        Assert.Empty(script.Requests);
    }

    [Theory]
    [InlineData("""{"status":"success","data":{"resultType":"scalar","result":[1435781451.781,"42"]}}""", PromResultType.Scalar, 42.0, "42")]
    [InlineData("""{"data":{"result":[1435781451.781,"hello"],"resultType":"string"},"status":"success"}""", PromResultType.String, double.NaN, "hello")]
    public async Task Scalars_and_strings_are_one_sample(string answer, PromResultType type, double value, string text)
    {
        var script = new PromScripted(_ => PromScripted.Json(answer));
        using var client = script.Client();
        var result = await new PromQueries(client).QueryAsync(new PromQuery { Expression = "x" }, null, default);
        var s = Assert.Single(result.Samples);
        Assert.Equal((type, text), (s.ResultType, s.Text));
        Assert.Equal(value, s.Value);
        Assert.Empty(s.Metric);
    }

    [Fact]
    public async Task An_unknown_result_type_is_an_invalid_answer()
    {
        var script = new PromScripted(_ => PromScripted.Json("""{"status":"success","data":{"resultType":"tensor","result":[]}}"""));
        using var client = script.Client();
        Assert.Equal("PrometheusResponseInvalid", (await Assert.ThrowsAsync<OpsException>(() => new PromQueries(client).QueryAsync(new PromQuery { Expression = "x" }, null, default))).ErrorId);
    }

    [Fact]
    public async Task ByLabel_maps_a_grouped_vector()
    {
        var script = new PromScripted(_ => PromScripted.Json("""
            {"status":"success","data":{"resultType":"vector","result":[
              {"metric":{"service":"api-service"},"value":[1700000000,"0.31"]},
              {"metric":{"service":"auth-service"},"value":[1700000000,"0"]},
              {"metric":{},"value":[1700000000,"7"]}]}}
            """));
        using var client = script.Client();
        var map = await new PromQueries(client).ByLabelAsync("sum by (service) (rate(x[1m]))", "service", null, null, default);
        Assert.Equal(2, map.Count);
        Assert.Equal(0.31, map["api-service"]);
    }

    private const string Alerts = """
    {"status":"success","data":{"alerts":[
      {"labels":{"alertname":"HighErrorRate","namespace":"real-estate-ai","service":"api-service","severity":"critical"},
       "annotations":{"summary":"High error rate on api-service","runbook_url":"https://runbooks/high-error-rate"},
       "state":"firing","activeAt":"2026-12-01T23:10:41.60602144Z","value":"3.1e-01"},
      {"activeAt":"2026-12-01T23:12:00.123456789+02:00","value":"1.2","labels":{"alertname":"HighLatencyP95","service":"llm-service","severity":"warning"},"state":"pending"},
      {"labels":{"alertname":"PodRestartingOften"},"state":"firing","annotations":null}]}}
    """;

    [Fact]
    public async Task Alerts_are_read_with_nanosecond_times_and_optional_fields()
    {
        var script = new PromScripted(_ => PromScripted.Json(Alerts));
        using var client = script.Client();
        var alerts = await new PromQueries(client).ListAlertsAsync(new PromAlertQuery(), null, default).ToListAsync();
        Assert.Equal(3, alerts.Count);
        var a = alerts[0];
        Assert.Equal(("HighErrorRate", PromAlertState.Firing, "critical", "api-service", "High error rate on api-service"), (a.Name, a.State, a.Severity, a.Service, a.Summary));
        Assert.Equal(new DateTimeOffset(2026, 12, 1, 23, 10, 41, TimeSpan.Zero).AddTicks(6060214), a.ActiveAt);
        Assert.Equal(0.31, a.Value, 10);
        Assert.Equal(new DateTimeOffset(2026, 12, 1, 21, 12, 0, TimeSpan.Zero).AddTicks(1234567), alerts[1].ActiveAt);
        Assert.Equal(PromAlertState.Pending, alerts[1].State);
        Assert.Null(alerts[2].ActiveAt);
        Assert.True(double.IsNaN(alerts[2].Value));
        Assert.Empty(alerts[2].Annotations);
        Assert.Equal("/api/v1/alerts", script.Requests.Single().Path);
    }

    [Fact]
    public async Task Alerts_are_filtered_by_state_and_name()
    {
        var script = new PromScripted(_ => PromScripted.Json(Alerts));
        using var client = script.Client();
        var q = new PromQueries(client);
        Assert.Equal(new[] { "HighErrorRate", "PodRestartingOften" }, await q.ListAlertsAsync(new PromAlertQuery { State = PromAlertState.Firing }, null, default).ToListAsync(a => a.Name));
        Assert.Equal(new[] { "HighLatencyP95" }, await q.ListAlertsAsync(new PromAlertQuery { Names = new[] { "high*" }, State = PromAlertState.Pending }, null, default).ToListAsync(a => a.Name));
    }

    private const string Rules = """
    {"status":"success","data":{"groups":[
      {"name":"platform","file":"/rules/monitoring-platform-alerts.yaml","interval":2,"limit":0,"evaluationTime":0.0004,"lastEvaluation":"2026-12-01T23:10:41.606021440Z","rules":[
        {"state":"firing","name":"HighErrorRate","query":"sum by (namespace, service) (rate(http_requests_total{code=~\"5..\"}[1m])) / sum by (namespace, service) (rate(http_requests_total[1m])) > 0.05","duration":10,
         "labels":{"severity":"critical"},"annotations":{"summary":"High error rate"},
         "alerts":[{"labels":{"alertname":"HighErrorRate","service":"api-service","severity":"critical"},"annotations":{"summary":"High error rate"},"state":"firing","activeAt":"2026-12-01T23:10:00Z","value":"0.3"}],
         "health":"ok","evaluationTime":0.000312,"lastEvaluation":"2026-12-01T23:10:41.606064Z","type":"alerting"},
        {"name":"Broken","query":"vector(1) / on() group_left foo","duration":0,"labels":{},"annotations":{},"alerts":[],"health":"err","lastError":"found duplicate series for the match group","type":"alerting","state":"inactive","lastEvaluation":"2026-12-01T23:10:41Z"}]},
      {"name":"recording","file":"/rules/r.yaml","interval":60,"rules":[
        {"name":"job:http_requests:rate5m","query":"sum by (job) (rate(http_requests_total[5m]))","health":"unknown","type":"recording","lastEvaluation":"0001-01-01T00:00:00Z","evaluationTime":0}]}]}}
    """;

    [Fact]
    public async Task Rules_are_read_with_group_state_health_and_last_error()
    {
        var script = new PromScripted(_ => PromScripted.Json(Rules));
        using var client = script.Client();
        var rules = await new PromQueries(client).ListRulesAsync(new PromRuleQuery(), null, default).ToListAsync();
        Assert.Equal(3, rules.Count);
        var high = rules[0];
        Assert.Equal(("platform", "HighErrorRate", PromRuleType.Alerting, PromAlertState.Firing, PromRuleHealth.Ok), (high.Group, high.Name, high.Type, high.State, high.Health));
        Assert.Equal(TimeSpan.FromSeconds(10), high.Duration);
        Assert.Contains("http_requests_total{code=~\"5..\"}", high.Query);
        Assert.Equal("critical", high.Severity);
        Assert.Equal("api-service", Assert.Single(high.Alerts).Service);
        Assert.Null(high.LastError);
        Assert.Equal("/rules/monitoring-platform-alerts.yaml", high.File);
        Assert.Equal((PromRuleHealth.Err, "found duplicate series for the match group", PromAlertState.Inactive), (rules[1].Health, rules[1].LastError, rules[1].State));
        var rec = rules[2];
        Assert.Equal((PromRuleType.Recording, (PromAlertState?)null, PromRuleHealth.Unknown, (DateTimeOffset?)null), (rec.Type, rec.State, rec.Health, rec.LastEvaluation));
    }

    [Fact]
    public async Task Rules_are_filtered_by_name_group_and_type_and_the_type_is_asked_of_the_server()
    {
        var script = new PromScripted(_ => PromScripted.Json(Rules));
        using var client = script.Client();
        var q = new PromQueries(client);
        Assert.Equal(new[] { "HighErrorRate", "Broken" }, await q.ListRulesAsync(new PromRuleQuery { Type = PromRuleType.Alerting }, null, default).ToListAsync(r => r.Name));
        Assert.Equal("alert", script.Requests[^1].Parameters["type"].Single());
        Assert.Equal(new[] { "HighErrorRate" }, await q.ListRulesAsync(new PromRuleQuery { Names = new[] { "High*" } }, null, default).ToListAsync(r => r.Name));
        Assert.Equal(new[] { "job:http_requests:rate5m" }, await q.ListRulesAsync(new PromRuleQuery { Groups = new[] { "recording" } }, null, default).ToListAsync(r => r.Name));
    }

    [Fact]
    public async Task An_empty_or_sparse_answer_is_no_rules_and_no_alerts()
    {
        var script = new PromScripted(r => PromScripted.Json(r.Path.EndsWith("rules") ? """{"status":"success","data":{"groups":[{"name":"g"}]}}""" : """{"status":"success","data":{}}"""));
        using var client = script.Client();
        var q = new PromQueries(client);
        Assert.Empty(await q.ListRulesAsync(new PromRuleQuery(), null, default).ToListAsync());
        Assert.Empty(await q.ListAlertsAsync(new PromAlertQuery(), null, default).ToListAsync());
    }

    [Fact]
    public void Values_and_times_parse_as_Prometheus_writes_them()
    {
        Assert.True(double.IsNaN(PromJson.Value("NaN")));
        Assert.Equal(double.PositiveInfinity, PromJson.Value("+Inf"));
        Assert.Equal(double.NegativeInfinity, PromJson.Value("-Inf"));
        Assert.Equal(1e-3, PromJson.Value("1e-03"));
        Assert.Null(PromJson.Rfc3339Time("0001-01-01T00:00:00Z"));
        Assert.Equal(new DateTimeOffset(2018, 7, 4, 18, 27, 12, TimeSpan.Zero).AddTicks(6060214), PromJson.Rfc3339Time("2018-07-04T20:27:12.60602144+02:00"));
        Assert.Equal("+Inf", PromJson.Format(double.PositiveInfinity));
    }

    private sealed class FixedTime(DateTimeOffset now) : TimeProvider
    {
        public override DateTimeOffset GetUtcNow() => now;
    }
}
