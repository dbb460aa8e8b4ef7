using System.Diagnostics;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using RealEstateOps.Engine.Sandbox;
using RealEstateOps.Engine.Tests.Support;
using RealEstateOps.Sandbox;
using RealEstateOps.Sandbox.Monitoring;

namespace RealEstateOps.Engine.Tests.Monitoring;

/// <summary>The sandbox's real Prometheus and Alertmanager: started in its state folder, scraping, loaded with the platform's rules.</summary>
public class PrometheusSandboxTests : IClassFixture<MonitoringSandboxFixture>
{
    private readonly MonitoringSandboxFixture _sandbox;
    public PrometheusSandboxTests(MonitoringSandboxFixture sandbox) => _sandbox = sandbox;

    [Fact]
    public async Task Prometheus_scrapes_the_platform_job()
    {
        Assert.True(_sandbox.Available, _sandbox.Why);
        Assert.True(await MonitoringSandboxFixture.EventuallyAsync(async () =>
            (await _sandbox.QueryAsync("up{job=\"platform\"} == 1")).Count == 1, TimeSpan.FromSeconds(30)), "up{job=\"platform\"} never became 1");
        var series = await _sandbox.QueryAsync("sum by (service) (http_requests_total{namespace=\"real-estate-ai\"})");
        Assert.Equal(SandboxServiceNames.Platform.Order(), series.Select(s => (string)s!["metric"]!["service"]!).Order());
    }

    [Fact]
    public async Task The_four_platform_rules_are_loaded_and_healthy()
    {
        Assert.True(_sandbox.Available, _sandbox.Why);
        var rules = await _sandbox.Plain.GetFromJsonAsync<JsonObject>(new Uri(_sandbox.PrometheusUrl, "api/v1/rules"));
        var group = Assert.Single(rules!["data"]!["groups"]!.AsArray(), g => (string)g!["name"]! == "platform")!;
        Assert.EndsWith("monitoring-platform-alerts.yaml", (string)group["file"]!);
        Assert.Equal(new[] { "HighErrorRate", "HighLatencyP95", "PodRestartingOften", "DatabaseConnectionsHigh" }, group["rules"]!.AsArray().Select(r => (string)r!["name"]!));
        Assert.All(group["rules"]!.AsArray(), r => Assert.NotEqual("err", (string)r!["health"]!));
    }

    [Fact]
    public void It_runs_in_a_private_monitoring_folder_of_the_state_folder_and_publishes_its_urls()
    {
        Assert.True(_sandbox.Available, _sandbox.Why);
        var monitoring = _sandbox.Host.Context.Monitoring!;
        Assert.Equal(Path.GetFullPath(_sandbox.StateDir), Path.GetDirectoryName(monitoring.Folder));
        Assert.Matches("^monitoring-[0-9a-f]{16}$", Path.GetFileName(monitoring.Folder));
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute, File.GetUnixFileMode(monitoring.Folder));
        Assert.True(File.Exists(Path.Combine(_sandbox.StateDir, SandboxMonitoringRecord.RecordFileName)));
        Assert.Equal("127.0.0.1", monitoring.PrometheusUrl.Host);
        Assert.Equal("127.0.0.1", monitoring.AlertmanagerUrl.Host);
        var info = JsonNode.Parse(System.Text.Json.JsonSerializer.Serialize(_sandbox.Host.Info()))!;
        Assert.Equal(monitoring.PrometheusUrl.ToString(), (string)info["monitoring"]!["prometheusUrl"]!);
        Assert.Equal(monitoring.AlertmanagerUrl.ToString(), (string)info["monitoring"]!["alertmanagerUrl"]!);
        // The control token reaches the programs in a 0600 file, never in their arguments.
        foreach (var pid in Directory.EnumerateDirectories("/proc").Select(Path.GetFileName).Where(n => int.TryParse(n, out _)).Select(int.Parse!))
        {
            var args = ProcessIdentity.CommandLine(pid);
            if (args is null || !args.Any(a => a.Contains(monitoring.Folder, StringComparison.Ordinal))) continue;
            Assert.DoesNotContain(args, a => a.Contains(_sandbox.Secrets.ControlToken, StringComparison.Ordinal));
        }
    }
}

/// <summary>PrometheusRule objects in the Kubernetes sandbox: validated by promtool, written to the rule folder, reloaded.</summary>
public class PrometheusRuleTests : IClassFixture<MonitoringSandboxFixture>
{
    private readonly MonitoringSandboxFixture _sandbox;
    public PrometheusRuleTests(MonitoringSandboxFixture sandbox) => _sandbox = sandbox;

    private HttpClient Kube()
    {
        var http = new HttpClient { BaseAddress = _sandbox.Host.BaseUrl, Timeout = TimeSpan.FromSeconds(30) };
        http.DefaultRequestHeaders.Authorization = new("Bearer", _sandbox.Secrets.KubeAdminToken);
        return http;
    }

    private const string Collection = "apis/monitoring.coreos.com/v1/namespaces/monitoring/prometheusrules";

    private static JsonObject Rule(string name, string expr) => new()
    {
        ["apiVersion"] = "monitoring.coreos.com/v1", ["kind"] = "PrometheusRule",
        ["metadata"] = new JsonObject { ["name"] = name, ["namespace"] = "monitoring" },
        ["spec"] = new JsonObject
        {
            ["groups"] = new JsonArray(new JsonObject
            {
                ["name"] = name + "-group",
                ["rules"] = new JsonArray(new JsonObject { ["alert"] = "TestAlert", ["expr"] = expr, ["labels"] = new JsonObject { ["severity"] = "info" } }),
            }),
        },
    };

    private async Task<IEnumerable<string>> LoadedGroupsAsync()
    {
        var rules = await _sandbox.Plain.GetFromJsonAsync<JsonObject>(new Uri(_sandbox.PrometheusUrl, "api/v1/rules"));
        return rules!["data"]!["groups"]!.AsArray().Select(g => (string)g!["name"]!);
    }

    [Fact]
    public async Task The_seeded_platform_alerts_rule_is_listed_in_the_monitoring_namespace()
    {
        using var kube = Kube();
        var list = await kube.GetFromJsonAsync<JsonObject>(Collection);
        var rule = Assert.Single(list!["items"]!.AsArray(), i => (string)i!["metadata"]!["name"]! == "platform-alerts")!;
        Assert.Equal(new[] { "HighErrorRate", "HighLatencyP95", "PodRestartingOften", "DatabaseConnectionsHigh" },
            rule["spec"]!["groups"]![0]!["rules"]!.AsArray().Select(r => (string)r!["alert"]!));
        Assert.Equal("10s", (string)rule["spec"]!["groups"]![0]!["rules"]![0]!["for"]!);
    }

    [Fact]
    public async Task A_rule_with_a_bad_expression_is_refused_with_promtools_message()
    {
        Assert.True(_sandbox.Available, _sandbox.Why);
        using var kube = Kube();
        using var response = await kube.PostAsJsonAsync(Collection, Rule("bad-rule", "sum(rate(http_requests_total[1m]) >"));
        Assert.Equal(422, (int)response.StatusCode);
        var status = await response.Content.ReadFromJsonAsync<JsonObject>();
        Assert.Equal("Invalid", (string)status!["reason"]!);
        Assert.Contains("could not parse expression", (string)status["message"]!);
        Assert.Contains("parse error", (string)status["message"]!);
        Assert.Contains("monitoring-bad-rule.yaml", (string)status["message"]!);
        using var get = await kube.GetAsync(Collection + "/bad-rule");
        Assert.Equal(404, (int)get.StatusCode);
        Assert.False(File.Exists(Path.Combine(_sandbox.Host.Context.Monitoring!.RulesFolder, "monitoring-bad-rule.yaml")));
    }

    [Fact]
    public async Task A_good_rule_is_written_loaded_and_removed_again_with_its_object()
    {
        Assert.True(_sandbox.Available, _sandbox.Why);
        using var kube = Kube();
        var file = Path.Combine(_sandbox.Host.Context.Monitoring!.RulesFolder, "monitoring-good-rule.yaml");
        using (var created = await kube.PostAsJsonAsync(Collection, Rule("good-rule", "up{job=\"platform\"} == 0")))
            Assert.Equal(201, (int)created.StatusCode);
        Assert.True(File.Exists(file));
        Assert.StartsWith("\"groups\":", File.ReadAllText(file));
        Assert.Contains("good-rule-group", await LoadedGroupsAsync());

        // Replaced with another expression: the file follows; an invalid replacement changes nothing.
        var replaced = Rule("good-rule", "up{job=\"platform\"} < 1");
        var current = await kube.GetFromJsonAsync<JsonObject>(Collection + "/good-rule");
        replaced["metadata"]!["resourceVersion"] = (string)current!["metadata"]!["resourceVersion"]!;
        using (var put = await kube.PutAsJsonAsync(Collection + "/good-rule", replaced)) Assert.Equal(200, (int)put.StatusCode);
        Assert.Contains("< 1", File.ReadAllText(file));
        using (var bad = await kube.PutAsJsonAsync(Collection + "/good-rule", Rule("good-rule", "up <"))) Assert.Equal(422, (int)bad.StatusCode);
        Assert.Contains("< 1", File.ReadAllText(file));

        using (var deleted = await kube.DeleteAsync(Collection + "/good-rule")) Assert.Equal(200, (int)deleted.StatusCode);
        Assert.False(File.Exists(file));
        Assert.DoesNotContain("good-rule-group", await LoadedGroupsAsync());
    }

    [Theory]
    [InlineData("{}", "spec is missing")]
    [InlineData("{\"spec\":{\"groups\":{}}}", "spec.groups must be a list of rule groups")]
    [InlineData("{\"spec\":{\"groups\":[{\"rules\":[]}]}}", "spec.groups[0].name must be a non-empty string")]
    [InlineData("{\"spec\":{\"groups\":[{\"name\":\"g\"}]}}", "spec.groups[0].rules must be a list of rules")]
    [InlineData("{\"spec\":{\"groups\":[{\"name\":\"g\",\"rules\":[{\"expr\":\"up\"}]}]}}", "spec.groups[0].rules[0] must have exactly one of alert and record")]
    [InlineData("{\"spec\":{\"groups\":[{\"name\":\"g\",\"rules\":[{\"alert\":\"A\"}]}]}}", "spec.groups[0].rules[0].expr must be a PromQL expression")]
    public void Without_promtool_the_shape_is_checked(string json, string problem) =>
        Assert.Equal(problem, PrometheusRuleController.ShapeProblem((JsonObject)JsonNode.Parse(json)!));

    [Fact]
    public void The_rule_file_reads_back_as_the_groups_it_was_made_from()
    {
        var yaml = PrometheusRuleController.RuleFile(PlatformAlertRules.Object());
        var read = new YamlDotNet.Serialization.DeserializerBuilder().Build().Deserialize<Dictionary<string, List<Dictionary<string, object>>>>(yaml);
        var rules = (List<object>)read["groups"][0]["rules"];
        var first = (Dictionary<object, object>)rules[0];
        Assert.Equal(PlatformAlertRules.Groups()[0]!["rules"]![0]!["expr"]!.GetValue<string>(), first["expr"]);
        Assert.Equal("{{ $labels.service }} answers {{ $value | humanizePercentage }} of its requests with 5xx (threshold 5%).",
            ((Dictionary<object, object>)first["annotations"])["description"]);
    }
}

/// <summary>Without the programs, or with monitoring switched off, the sandbox starts anyway and says why.</summary>
public class MonitoringOffTests
{
    [Fact]
    public async Task A_missing_prometheus_leaves_monitoring_off_with_the_reason()
    {
        var state = Path.Combine(Path.GetTempPath(), "reo-sandbox-" + Guid.NewGuid().ToString("N")[..8]);
        var options = new SandboxOptions
        {
            PostgresConnectionString = await TestPostgres.AdminConnectionStringAsync(), StateDir = state,
            DatabaseName = TestPostgres.UniqueName("rea"), AppUser = TestPostgres.UniqueName("app"),
            Monitoring = true, PrometheusProgram = Path.Combine(state, "no-such-prometheus"),
        };
        await using (var host = await SandboxHost.StartAsync(options))
        {
            Assert.Null(host.Context.Monitoring);
            Assert.Contains("Monitoring is off: Prometheus (" + options.PrometheusProgram + ") is not installed", host.Context.MonitoringMessage);
            var info = JsonNode.Parse(System.Text.Json.JsonSerializer.Serialize(host.Info()))!;
            Assert.Null(info["monitoring"]);
            Assert.Contains("prometheus", (string)info["monitoringMessage"]!);
            Assert.Empty(Directory.EnumerateDirectories(state, "monitoring-*"));
        }
        Directory.Delete(state, true);
    }

    [Fact]
    public void The_program_monitors_unless_told_not_to()
    {
        Assert.True(SandboxOptions.Parse(Array.Empty<string>(), _ => null).Monitoring);
        Assert.False(SandboxOptions.Parse(new[] { "--no-monitoring" }, _ => null).Monitoring);
        Assert.Equal("Monitoring is off: the sandbox was started with -NoMonitoring.", MonitoringStack.WhyOff(new SandboxOptions { Monitoring = false }));
    }
}

/// <summary>What the record lets a later start stop: only the recorded processes, only the recorded folder.</summary>
public class SandboxMonitoringRecordTests
{
    [Fact]
    public async Task A_recorded_process_is_stopped_only_while_it_is_still_the_recorded_one()
    {
        var state = Directory.CreateTempSubdirectory("reo-monrec-").FullName;
        var folder = Path.Combine(state, "monitoring-0123456789abcdef");
        Directory.CreateDirectory(folder);
        File.WriteAllText(Path.Combine(folder, SandboxMonitoringRecord.MarkerFileName), "marker-1\n");
        // Ours, naming the folder; ours, not naming it; ours with another start time on record (sleepers that take extra arguments).
        Process Sleeper(params string[] extra) => Process.Start("/usr/bin/python3", new[] { "-c", "import time; time.sleep(120)" }.Concat(extra))!;
        using var named = Sleeper(folder + "/x");
        using var unnamed = Sleeper();
        using var other = Sleeper(folder + "/y");
        await Task.Delay(200);
        try
        {
            SandboxMonitoringRecord.Write(state, folder, "marker-1", new[]
            {
                new SandboxMonitoringRecord.RecordedProcess(named.Id, ProcessIdentity.StartTicks(named.Id), "/bin/sleep"),
                new SandboxMonitoringRecord.RecordedProcess(unnamed.Id, ProcessIdentity.StartTicks(unnamed.Id), "/bin/sleep"),
                new SandboxMonitoringRecord.RecordedProcess(other.Id, ProcessIdentity.StartTicks(other.Id) + 1, "/bin/sleep"),
            });
            var said = await SandboxMonitoringRecord.StopRecordedAsync(state, CancellationToken.None);
            Assert.True(named.WaitForExit(5000));
            Assert.False(unnamed.HasExited);
            Assert.False(other.HasExited);
            Assert.Contains($"stopped sleep ({named.Id})", said);
            Assert.Contains($"process {unnamed.Id} is no longer the recorded one", said);
            Assert.False(Directory.Exists(folder));
            Assert.False(File.Exists(Path.Combine(state, SandboxMonitoringRecord.RecordFileName)));
        }
        finally
        {
            foreach (var p in new[] { named, unnamed, other }) if (!p.HasExited) p.Kill();
            Directory.Delete(state, true);
        }
    }

    [Theory]
    [InlineData("another-marker", "monitoring-0123456789abcdef")]
    [InlineData("marker-1", "data-0123456789abcdef")]
    public void A_folder_without_the_recorded_marker_or_name_is_kept(string marker, string name)
    {
        var state = Directory.CreateTempSubdirectory("reo-monrec-").FullName;
        try
        {
            var folder = Path.Combine(state, name);
            Directory.CreateDirectory(folder);
            File.WriteAllText(Path.Combine(folder, SandboxMonitoringRecord.MarkerFileName), "marker-1\n");
            Assert.False(SandboxMonitoringRecord.RemoveFolder(state, folder, marker == "marker-1" ? "marker-1" : marker));
            Assert.True(Directory.Exists(folder));
        }
        finally { Directory.Delete(state, true); }
    }
}
