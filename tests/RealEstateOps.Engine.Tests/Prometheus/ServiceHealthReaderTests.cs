using System.Globalization;
using RealEstateOps.Engine.Common;
using RealEstateOps.Engine.Prometheus;

namespace RealEstateOps.Engine.Tests.Prometheus;

/// <summary>Service health from scripted Prometheus answers: one query per measure, grouped by service; verdicts against the thresholds.</summary>
public class ServiceHealthReaderTests
{
    /// <summary>Answers each measure's query with a vector by (namespace, service), as Prometheus would.</summary>
    private static PromScripted Script(Dictionary<string, Dictionary<string, string>> byMeasure) => new(r =>
    {
        var q = r.Parameters["query"].Single();
        var measure = q switch
        {
            _ when q.Contains("code=~\"5..\"") => "errors",
            _ when q.StartsWith("histogram_quantile(0.5,") => "p50",
            _ when q.StartsWith("histogram_quantile(0.95,") => "p95",
            _ when q.Contains("http_requests_total") => "requests",
            _ when q.Contains("restarts_total") => "restarts",
            _ when q.Contains("container_cpu_usage") => "cpu",
            _ when q.Contains("resource=\"cpu\"") => "cpuRequests",
            _ when q.Contains("resource=\"memory\"") => "memoryRequests",
            _ when q.Contains("container_memory_working_set_bytes") => "memory",
            _ when q.StartsWith("count by") => "pods",
            _ => throw new InvalidOperationException("unexpected query " + q),
        };
        var values = byMeasure.TryGetValue(measure, out var v) ? v : new Dictionary<string, string>();
        var result = string.Join(",", values.Select(p => $$"""{"metric":{"namespace":"real-estate-ai","service":"{{p.Key}}"},"value":[1764633600,"{{p.Value}}"]}"""));
        return PromScripted.Json($$$"""{"status":"success","data":{"resultType":"vector","result":[{{{result}}}]}}""");
    });

    private static readonly Dictionary<string, Dictionary<string, string>> Platform = new()
    {
        ["requests"] = new() { ["api-service"] = "10", ["auth-service"] = "4", ["llm-service"] = "2", ["chatbot-service"] = "0" },
        ["errors"] = new() { ["api-service"] = "3.1", ["llm-service"] = "0.02" },
        ["p50"] = new() { ["api-service"] = "0.04", ["auth-service"] = "0.3", ["llm-service"] = "0.2", ["chatbot-service"] = "NaN" },
        ["p95"] = new() { ["api-service"] = "0.09", ["auth-service"] = "1.5", ["llm-service"] = "0.8", ["chatbot-service"] = "NaN" },
        ["restarts"] = new() { ["api-service"] = "0", ["auth-service"] = "0", ["llm-service"] = "4", ["chatbot-service"] = "0" },
        ["cpu"] = new() { ["api-service"] = "0.2", ["auth-service"] = "0.1", ["llm-service"] = "0.5", ["chatbot-service"] = "0.05" },
        ["cpuRequests"] = new() { ["api-service"] = "0.5", ["auth-service"] = "0.25", ["llm-service"] = "1", ["chatbot-service"] = "0.25" },
        ["memory"] = new() { ["api-service"] = "134217728", ["auth-service"] = "67108864", ["llm-service"] = "1073741824", ["chatbot-service"] = "120000000" },
        ["memoryRequests"] = new() { ["api-service"] = "268435456", ["auth-service"] = "134217728", ["llm-service"] = "2147483648", ["chatbot-service"] = "125829120" },
        ["pods"] = new() { ["api-service"] = "3", ["auth-service"] = "2", ["llm-service"] = "1", ["chatbot-service"] = "2" },
    };

    [Fact]
    public async Task One_query_per_measure_grouped_by_service_and_a_verdict_per_service()
    {
        var script = Script(Platform);
        using var client = script.Client();
        var at = DateTimeOffset.FromUnixTimeSeconds(1764633600);
        var health = await new ServiceHealthReader(new PromQueries(client)).ReadAsync(
            new ServiceHealthRequest { Namespace = "real-estate-ai", At = at }, null, default);

        Assert.Equal(10, script.Requests.Count);
        Assert.All(script.Requests, r => Assert.Contains("by (namespace, service", r.Parameters["query"].Single()));
        Assert.All(script.Requests, r => Assert.Contains("namespace=\"real-estate-ai\"", r.Parameters["query"].Single()));
        Assert.All(script.Requests, r => Assert.Equal("1764633600", r.Parameters["time"].Single()));

        var byName = health.ToDictionary(h => h.Service);
        Assert.Equal(new[] { "api-service", "auth-service", "chatbot-service", "llm-service" }, health.Select(h => h.Service));
        var api = byName["api-service"];
        Assert.Equal(ServiceHealthVerdict.Unhealthy, api.Verdict);
        Assert.Equal(31, api.ErrorRatePercent!.Value, 6);
        Assert.Contains("error rate 31% is above 5%", api.Reason);
        Assert.Equal((10.0, 40.0, 90.0, 3), (api.RequestRate!.Value, api.LatencyP50Ms!.Value, Math.Round(api.LatencyP95Ms!.Value, 6), api.Pods!.Value));
        Assert.Equal(40, api.CpuPercentOfRequest!.Value, 6);
        Assert.Equal(50, api.MemoryPercentOfRequest!.Value, 6);

        var auth = byName["auth-service"];
        Assert.Equal(ServiceHealthVerdict.Degraded, auth.Verdict);
        Assert.Equal(0, auth.ErrorRatePercent); // requests and no 5xx series: 0%, not unknown
        Assert.Contains("p95 latency 1500 ms is above 1000 ms", auth.Reason);

        Assert.Equal(ServiceHealthVerdict.Degraded, byName["llm-service"].Verdict);
        Assert.Contains("4 restarts in the last hour", byName["llm-service"].Reason);
        Assert.Equal(1, byName["llm-service"].ErrorRatePercent!.Value, 6);

        var chatbot = byName["chatbot-service"]; // no traffic; memory at 95% of its request
        Assert.Null(chatbot.ErrorRatePercent);
        Assert.Null(chatbot.LatencyP95Ms);
        Assert.Equal(ServiceHealthVerdict.Degraded, chatbot.Verdict);
        Assert.Contains("memory at 95% of its request", chatbot.Reason);
    }

    [Fact]
    public async Task Thresholds_come_from_the_request_and_services_asked_without_metrics_are_NoData()
    {
        var script = Script(Platform);
        using var client = script.Client();
        var health = await new ServiceHealthReader(new PromQueries(client)).ReadAsync(new ServiceHealthRequest
        {
            Namespace = "real-estate-ai", Services = new[] { "api-service", "auth-service", "proposal-service" },
            ErrorRateThresholdPercent = 50, LatencyP95ThresholdMs = 2000,
        }, null, default);
        Assert.Contains("service=~\"api-service|auth-service|proposal-service\"", script.Requests[0].Parameters["query"].Single());
        var byName = health.ToDictionary(h => h.Service);
        Assert.Equal(3, byName.Count);
        Assert.Equal(ServiceHealthVerdict.Healthy, byName["api-service"].Verdict);   // 31% is under 50%
        Assert.Equal(ServiceHealthVerdict.Healthy, byName["auth-service"].Verdict);  // 1500 ms is under 2000 ms
        Assert.Equal(ServiceHealthVerdict.NoData, byName["proposal-service"].Verdict);
        Assert.Equal((50.0, 2000.0), (byName["api-service"].ErrorRateThresholdPercent, byName["api-service"].LatencyP95ThresholdMs));
    }

    [Fact]
    public async Task Requests_without_a_pod_are_Unhealthy_and_an_infinite_p95_is_above_any_threshold()
    {
        var script = Script(new()
        {
            ["requests"] = new() { ["api-service"] = "5" },
            ["p95"] = new() { ["api-service"] = "+Inf" },
            ["pods"] = new() { ["auth-service"] = "1" },
        });
        using var client = script.Client();
        var api = (await new ServiceHealthReader(new PromQueries(client)).ReadAsync(new ServiceHealthRequest(), null, default)).Single(h => h.Service == "api-service");
        Assert.Equal(ServiceHealthVerdict.Unhealthy, api.Verdict);
        Assert.Contains("no pod is running", api.Reason);
        Assert.Contains("above the largest bucket", api.Reason);
    }

    [Fact]
    public async Task A_failing_measure_fails_the_read_with_Prometheus_error()
    {
        var script = new PromScripted(_ => PromScripted.Error(System.Net.HttpStatusCode.UnprocessableEntity, "execution", "many-to-many matching not allowed"));
        using var client = script.Client();
        var ex = await Assert.ThrowsAsync<OpsException>(() => new ServiceHealthReader(new PromQueries(client)).ReadAsync(new ServiceHealthRequest(), null, default));
        Assert.Equal("PromExecution", ex.ErrorId);
    }

    [Fact]
    public void PromQL_values_are_quoted_and_regex_escaped()
    {
        Assert.Equal("\"a\\\"b\\\\c\"", PromQL.Quote("a\"b\\c"));
        Assert.Equal("service=~\"a\\\\.b|c\"", PromQL.Matcher("service", new[] { "a.b", "c" }));
        Assert.Equal(("1m", "90s", "1h", "500ms"), (PromQL.Duration(TimeSpan.FromMinutes(1)), PromQL.Duration(TimeSpan.FromSeconds(90)), PromQL.Duration(TimeSpan.FromHours(1)), PromQL.Duration(TimeSpan.FromMilliseconds(500))));
        _ = CultureInfo.InvariantCulture;
    }
}
