using System.Globalization;
using System.Text.RegularExpressions;
using System.Net.Http.Json;
using RealEstateOps.Engine.Sandbox;
using RealEstateOps.Engine.Tests.Support;
using RealEstateOps.Sandbox.Monitoring;

namespace RealEstateOps.Engine.Tests.Monitoring;

/// <summary>
/// The platform metrics the sandbox serves for its Prometheus (/_sandbox/monitoring/metrics): valid text exposition
/// (promtool check metrics), every family of the contract with its labels, counters that only grow, and faults that move them.
/// </summary>
public class PrometheusMetricsTests : IClassFixture<SandboxFixture>
{
    private readonly SandboxFixture _sandbox;
    public PrometheusMetricsTests(SandboxFixture sandbox) => _sandbox = sandbox;

    /// <summary>One sample: family name, labels and value.</summary>
    public sealed record Sample(string Name, IReadOnlyDictionary<string, string> Labels, double Value)
    {
        public string Key => Name + "{" + string.Join(",", Labels.OrderBy(l => l.Key, StringComparer.Ordinal).Select(l => l.Key + "=" + l.Value)) + "}";
    }

    private static readonly Regex Line = new(@"^(?<name>[a-zA-Z_:][a-zA-Z0-9_:]*)(\{(?<labels>.*)\})? (?<value>\S+)$", RegexOptions.Compiled);
    private static readonly Regex LabelPair = new(@"(?<k>[a-zA-Z_][a-zA-Z0-9_]*)=""(?<v>(?:[^""\\]|\\.)*)""(,|$)", RegexOptions.Compiled);

    public static List<Sample> Parse(string text)
    {
        var samples = new List<Sample>();
        foreach (var line in text.Split('\n', StringSplitOptions.RemoveEmptyEntries))
        {
            if (line.StartsWith('#')) continue;
            var m = Line.Match(line);
            Assert.True(m.Success, $"not a sample line: {line}");
            var labels = LabelPair.Matches(m.Groups["labels"].Value).ToDictionary(x => x.Groups["k"].Value, x => x.Groups["v"].Value);
            var value = m.Groups["value"].Value switch { "+Inf" => double.PositiveInfinity, "-Inf" => double.NegativeInfinity, var v => double.Parse(v, CultureInfo.InvariantCulture) };
            samples.Add(new Sample(m.Groups["name"].Value, labels, value));
        }
        return samples;
    }

    private async Task<string> ScrapeAsync()
    {
        using var response = await _sandbox.Http.GetAsync(MonitoringStack.MetricsPath);
        response.EnsureSuccessStatusCode();
        Assert.StartsWith("text/plain", response.Content.Headers.ContentType!.ToString());
        Assert.Contains("version=0.0.4", response.Content.Headers.ContentType!.ToString());
        return await response.Content.ReadAsStringAsync();
    }

    [Fact]
    public async Task The_endpoint_needs_the_control_token()
    {
        using var anonymous = new HttpClient { BaseAddress = _sandbox.Host.BaseUrl };
        using var response = await anonymous.GetAsync(MonitoringStack.MetricsPath);
        Assert.Equal(System.Net.HttpStatusCode.Unauthorized, response.StatusCode);
    }

    [Fact]
    public async Task Promtool_accepts_the_exposition_apart_from_the_contracts_own_names()
    {
        var text = await ScrapeAsync();
        Assert.True(File.Exists("/usr/bin/promtool"), "promtool (Debian's prometheus package) is not installed; build.ps1 installs it.");
        var result = await new Promtool("/usr/bin/promtool").CheckMetricsAsync(text, CancellationToken.None);
        var problems = result.Output.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => l.Trim()).ToList();
        // The names node_exporter and postgres_exporter use (and the contract keeps) are linted; nothing else may be.
        var allowed = new[]
        {
            "node_memory_MemAvailable_bytes metric names should be written in 'snake_case' not 'camelCase'",
            "node_memory_MemTotal_bytes metric names should be written in 'snake_case' not 'camelCase'",
            "pg_stat_activity_count non-histogram and non-summary metrics should not have \"_count\" suffix",
        };
        Assert.Empty(problems.Except(allowed));
        Assert.DoesNotContain(problems, p => p.Contains("error", StringComparison.OrdinalIgnoreCase));
    }

    [Fact]
    public async Task Every_family_of_the_contract_is_there_with_its_labels()
    {
        var samples = Parse(await ScrapeAsync());
        void Has(string name, params string[] labels)
        {
            var of = samples.Where(s => s.Name == name).ToList();
            Assert.True(of.Count > 0, $"no {name}");
            Assert.All(of, s => Assert.Equal(labels.Order(), s.Labels.Keys.Order()));
        }
        Has("http_requests_total", "namespace", "service", "pod", "version", "method", "code");
        Has("http_request_duration_seconds_bucket", "namespace", "service", "pod", "version", "le");
        Has("http_request_duration_seconds_sum", "namespace", "service", "pod", "version");
        Has("http_request_duration_seconds_count", "namespace", "service", "pod", "version");
        Has("kube_pod_container_status_restarts_total", "namespace", "service", "pod", "container");
        Has("kube_pod_container_resource_requests", "namespace", "service", "pod", "container", "resource", "unit");
        Has("container_cpu_usage_seconds_total", "namespace", "service", "pod", "container");
        Has("container_memory_working_set_bytes", "namespace", "service", "pod", "container");
        Has("container_network_receive_bytes_total", "namespace", "service", "pod");
        Has("container_network_transmit_bytes_total", "namespace", "service", "pod");
        Has("node_cpu_seconds_total", "node", "cpu", "mode");
        Has("node_memory_MemTotal_bytes", "node");
        Has("node_memory_MemAvailable_bytes", "node");
        Has("node_filesystem_avail_bytes", "node", "mountpoint");
        Has("node_filesystem_size_bytes", "node", "mountpoint");
        Has("kube_node_spec_unschedulable", "node");
        Has("pg_stat_activity_count", "datname", "state");
        Has("pg_settings_max_connections");
        Has("platform_active_users", "namespace", "service");
        foreach (var counter in new[] { "chatbot_conversations_total", "property_searches_total", "proposals_generated_total", "proposal_conversions_total" })
            Has(counter, "namespace", "service");
        Has("llm_requests_total", "model", "status");
        Has("llm_tokens_total", "model", "type");

        // The platform services' pods, by Deployment name, in the platform's namespace; the buckets of the contract.
        var services = samples.Where(s => s.Name == "http_requests_total").Select(s => s.Labels["service"]).ToHashSet();
        Assert.Equal(SandboxServiceNames.Platform.Order(), services.Order());
        Assert.All(samples.Where(s => s.Name == "http_requests_total"), s => Assert.Equal("real-estate-ai", s.Labels["namespace"]));
        var les = samples.Where(s => s.Name == "http_request_duration_seconds_bucket").Select(s => s.Labels["le"]).Distinct();
        Assert.Equal(new[] { "0.05", "0.1", "0.25", "0.5", "1", "2.5", "5", "+Inf" }, les);
        // The real PostgreSQL: its max_connections, and at least the scrape's own connection in pg_stat_activity.
        Assert.Equal(200, samples.Single(s => s.Name == "pg_settings_max_connections").Value);
        Assert.True(samples.Where(s => s.Name == "pg_stat_activity_count").Sum(s => s.Value) >= 1);
        // Requests follow the pods' requests in the Kubernetes sandbox.
        Assert.Contains(samples, s => s.Name == "kube_pod_container_resource_requests" && s.Labels["service"] == "llm-service" && s.Labels["resource"] == "cpu" && s.Value == 0.9);
    }

    [Fact]
    public async Task Counters_only_grow_and_traffic_advances_in_real_time()
    {
        var first = Parse(await ScrapeAsync());
        await Task.Delay(1500);
        var second = Parse(await ScrapeAsync()).ToDictionary(s => s.Key);
        var counters = new[]
        {
            "http_requests_total", "http_request_duration_seconds_bucket", "http_request_duration_seconds_count", "http_request_duration_seconds_sum",
            "kube_pod_container_status_restarts_total", "container_cpu_usage_seconds_total", "container_network_receive_bytes_total",
            "container_network_transmit_bytes_total", "node_cpu_seconds_total", "chatbot_conversations_total", "property_searches_total",
            "proposals_generated_total", "proposal_conversions_total", "llm_requests_total", "llm_tokens_total",
        };
        var compared = 0;
        foreach (var s in first.Where(s => counters.Contains(s.Name)))
        {
            if (!second.TryGetValue(s.Key, out var later)) continue; // a pod that went away takes its series along
            Assert.True(later.Value >= s.Value, $"{s.Key} went from {s.Value} to {later.Value}");
            compared++;
        }
        Assert.True(compared > 100, $"only {compared} counter series compared");
        double Requests(IEnumerable<Sample> all, string service) => all.Where(s => s.Name == "http_requests_total" && s.Labels["service"] == service).Sum(s => s.Value);
        Assert.True(Requests(second.Values, "api-service") > Requests(first, "api-service"), "api-service served no requests in 1.5 s");
    }

    [Fact]
    public async Task An_error_rate_fault_on_a_platform_service_turns_its_requests_into_5xx()
    {
        try
        {
            using (var put = await _sandbox.Http.PutAsJsonAsync("/_sandbox/faults/proposal-service", new { errorRate = 1.0 }))
                put.EnsureSuccessStatusCode();
            var before = Parse(await ScrapeAsync());
            await Task.Delay(2500);
            var after = Parse(await ScrapeAsync());
            double Count(List<Sample> all, string service, Func<string, bool> code) =>
                all.Where(s => s.Name == "http_requests_total" && s.Labels["service"] == service && code(s.Labels["code"])).Sum(s => s.Value);
            var errors = Count(after, "proposal-service", c => c[0] == '5') - Count(before, "proposal-service", c => c[0] == '5');
            var others = Count(after, "proposal-service", c => c[0] != '5') - Count(before, "proposal-service", c => c[0] != '5');
            Assert.True(errors >= 1, "no 5xx after the fault");
            Assert.Equal(0, others);
        }
        finally
        {
            using var reset = await _sandbox.Http.PutAsJsonAsync("/_sandbox/faults/proposal-service", new { errorRate = 0.0 });
        }
    }

    [Fact]
    public async Task An_unknown_service_is_refused_naming_the_platform_services_too()
    {
        using var put = await _sandbox.Http.PutAsJsonAsync("/_sandbox/faults/billing-service", new { errorRate = 0.5 });
        Assert.Equal(System.Net.HttpStatusCode.NotFound, put.StatusCode);
        Assert.Contains("api-service", await put.Content.ReadAsStringAsync());
    }

    [Fact]
    public void The_shipped_platform_service_names_are_the_sandbox_programs_own() =>
        Assert.Equal(PlatformTraffic.Services.Select(s => s.Name), SandboxServiceNames.Platform);

    [Fact]
    public void The_traffic_is_monotonic_per_pod_and_a_gone_pod_takes_its_series_along()
    {
        long now = 0;
        var traffic = new PlatformTraffic(new RealEstateOps.Sandbox.Control.FaultInjector(), () => now, ticksPerSecond: 1000, seed: 7);
        PlatformTraffic.PodView Pod(string name) => new("real-estate-ai", "api-service", name, new[] { ("api", "real-estate-ai/api-service:1.8.2", 0.1) }, true);
        traffic.Advance(new[] { Pod("a"), Pod("b") });
        now += 10_000;
        var ten = traffic.Advance(new[] { Pod("a"), Pod("b") }).ToDictionary(t => t.Pod);
        // 24 requests/s over two pods: 120 each in 10 s.
        Assert.Equal(120, ten["a"].Count);
        Assert.Equal(ten["a"].Count, ten["a"].Requests.Values.Sum());
        Assert.Equal(ten["a"].Count, ten["a"].Buckets.Max() + (ten["a"].Count - ten["a"].Buckets[^1]));
        now += 10_000;
        var twenty = traffic.Advance(new[] { Pod("a") });
        Assert.Equal("a", Assert.Single(twenty).Pod);
        Assert.Equal(360, twenty[0].Count); // alone now: all 24/s
    }
}
