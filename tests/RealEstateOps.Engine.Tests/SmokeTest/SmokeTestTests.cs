using System.Text.Json.Nodes;
using System.Xml.Linq;
using k8s;
using k8s.Models;
using RealEstateOps.Engine.Common;
using RealEstateOps.Engine.SmokeTest;
using RealEstateOps.Engine.Tests.Kubernetes;

namespace RealEstateOps.Engine.Tests.SmokeTest;

/// <summary>JUnit XML as real producers write it, read and written; the check file; the JSON path; checks through the sandbox's service proxy.</summary>
public sealed class SmokeTestTests : KubeSandboxTest
{
    [Fact]
    public void JUnit_reports_of_several_producers_become_typed_results()
    {
        // pytest: a lone testsuite, failure with message, skipped, error, time with a decimal point.
        var pytest = """
            <?xml version="1.0" encoding="utf-8"?>
            <testsuites><testsuite name="pytest" errors="1" failures="1" skipped="1" tests="4" time="1.2">
              <testcase classname="tests.test_api" name="test_health" time="0.101"/>
              <testcase classname="tests.test_api" name="test_search" time="0.250"><failure message="assert 500 == 200">AssertionError</failure></testcase>
              <testcase classname="tests.test_api" name="test_llm" time="0.000"><skipped type="pytest.skip" message="no GPU"/></testcase>
              <testcase classname="tests.test_api" name="test_auth" time="0,5"><error message="ConnectionError"/></testcase>
            </testsuite></testsuites>
            """;
        var results = JUnitReport.Parse(pytest.Trim(), "pytest.xml");
        Assert.Equal(new[] { SmokeTestOutcome.Passed, SmokeTestOutcome.Failed, SmokeTestOutcome.Skipped, SmokeTestOutcome.Failed }, results.Select(r => r.Outcome));
        Assert.Equal("assert 500 == 200", results[1].Message);
        Assert.Equal("no GPU", results[2].Message);
        Assert.Equal(500, results[3].LatencyMs);
        Assert.All(results, r => Assert.Equal(("pytest", SmokeTestSource.Script), (r.Suite!, r.Source)));

        // A lone testsuite root, nested suites, failure text without message, status attributes, a namespace.
        var nested = """
            <testsuite xmlns="urn:example" name="outer"><testsuite name="inner">
              <testcase name="a"><failure>expected ok got fail</failure></testcase>
              <testcase name="b" status="disabled"/>
              <testcase name="c" time="1,234.5"/>
            </testsuite></testsuite>
            """;
        var other = JUnitReport.Parse(nested, "nested.xml");
        Assert.Equal(new[] { ("a", SmokeTestOutcome.Failed, "inner"), ("b", SmokeTestOutcome.Skipped, "inner"), ("c", SmokeTestOutcome.Passed, "inner") },
            other.Select(r => (r.Name, r.Outcome, r.Suite!)));
        Assert.Equal("expected ok got fail", other[0].Message);
        Assert.Equal(1234500, other[2].LatencyMs);

        Assert.Equal("SmokeTestReportInvalid", Assert.Throws<OpsException>(() => JUnitReport.Parse("<testsuite>", "broken.xml")).ErrorId);
    }

    [Fact]
    public void Written_JUnit_has_the_counts_and_reads_back_the_same()
    {
        var results = new[]
        {
            new SmokeTestResult { Name = "api health", Source = SmokeTestSource.Check, Outcome = SmokeTestOutcome.Passed, StatusCode = 200, LatencyMs = 12 },
            new SmokeTestResult { Name = "llm health", Source = SmokeTestSource.Check, Outcome = SmokeTestOutcome.Failed, StatusCode = 503, LatencyMs = 8, Message = "expected HTTP 200, got 503 <&>" },
            new SmokeTestResult { Name = "t1", Suite = "health", Source = SmokeTestSource.Script, Outcome = SmokeTestOutcome.Skipped, Message = "off" },
        };
        var xml = JUnitReport.Write(results, DateTimeOffset.UtcNow);
        var root = XDocument.Parse(xml).Root!;
        Assert.Equal("testsuites", root.Name.LocalName);
        Assert.Equal(("3", "1", "1"), (root.Attribute("tests")!.Value, root.Attribute("failures")!.Value, root.Attribute("skipped")!.Value));
        Assert.Equal(new[] { "checks", "health" }, root.Elements("testsuite").Select(s => s.Attribute("name")!.Value));
        var back = JUnitReport.Parse(xml, "written.xml");
        Assert.Equal(results.Select(r => (r.Name, r.Outcome)), back.Select(r => (r.Name, r.Outcome)));
        Assert.Equal(results[1].Message, back[1].Message);
    }

    [Theory]
    [InlineData("$.status", "ok")]
    [InlineData("status", "ok")]
    [InlineData("$.items[1].id", "p2")]
    [InlineData("$.items.length", "2")]
    [InlineData("$['odd-key'].n", "3")]
    [InlineData("$.items[0]", "{\"id\":\"p1\"}")]
    public void Json_paths_find_values(string path, string expected)
    {
        var json = JsonNode.Parse("""{"status":"ok","items":[{"id":"p1"},{"id":"p2"}],"odd-key":{"n":3}}""");
        Assert.True(JsonPathLite.TryEvaluate(json, path, out var value));
        Assert.Equal(expected, value);
    }

    [Fact]
    public async Task A_file_already_at_the_report_path_is_left_alone_and_does_not_count_for_this_run()
    {
        var dir = Directory.CreateTempSubdirectory("reo-smoke-");
        try
        {
            var junit = Path.Combine(dir.FullName, "report.xml");
            var stale = """<testsuite name="old"><testcase name="from an earlier run"/></testsuite>""";
            File.WriteAllText(junit, stale);
            File.SetLastWriteTimeUtc(junit, DateTime.UtcNow.AddHours(-1));
            var script = Path.Combine(dir.FullName, "smoke.sh");
            File.WriteAllText(script, "#!/bin/sh\nexit 0\n");
            File.SetUnixFileMode(script, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
            var notes = new List<OpsEvent>();

            var results = await new SmokeTester(null).RunScriptAsync(script, junit, null, new SyncProgress(notes.Add), CancellationToken.None);

            Assert.Equal(stale, File.ReadAllText(junit));
            var only = Assert.Single(results);
            Assert.Equal(("smoke.sh", SmokeTestOutcome.Passed), (only.Name, only.Outcome));
            Assert.Contains(notes.OfType<OpsNote>(), n => n.Message.Contains("older than this run"));

            // A script that does write its report is read, over the old file.
            File.WriteAllText(script, "#!/bin/sh\necho '<testsuite name=\"new\"><testcase name=\"fresh\"/></testsuite>' > \"$JUNIT_PATH\"\n");
            results = await new SmokeTester(null).RunScriptAsync(script, junit, null, null, CancellationToken.None);
            Assert.Equal("fresh", Assert.Single(results).Name);
        }
        finally { dir.Delete(recursive: true); }
    }

    private sealed class SyncProgress(Action<OpsEvent> onEvent) : IProgress<OpsEvent>
    {
        public void Report(OpsEvent value) => onEvent(value);
    }

    [Fact]
    public void A_missing_json_value_is_not_found()
    {
        var json = JsonNode.Parse("""{"items":[]}""");
        Assert.False(JsonPathLite.TryEvaluate(json, "$.items[0].id", out _));
        Assert.False(JsonPathLite.TryEvaluate(json, "$.nope", out _));
    }

    [Fact]
    public void Check_files_are_an_array_or_an_object_with_checks_and_bad_ones_are_refused()
    {
        var list = SmokeCheckFile.Parse("""[{"service":"api-service","path":"/health","LatencyBudgetMs":500}]""", "a.json");
        Assert.Equal(("api-service GET /health", 200, 500), (list[0].Name, list[0].ExpectedStatus, list[0].LatencyBudgetMs!.Value));
        var wrapped = SmokeCheckFile.Parse("""{"checks":[{"name":"x","service":"s","method":"post","body":{"q":1}}]}""", "b.json");
        Assert.Equal("{\"q\":1}", wrapped[0].Body!.ToJsonString());
        Assert.Equal("SmokeCheckFileInvalid", Assert.Throws<OpsException>(() => SmokeCheckFile.Parse("""[{"path":"/health"}]""", "c.json")).ErrorId);
        Assert.Equal("SmokeCheckFileInvalid", Assert.Throws<OpsException>(() => SmokeCheckFile.Parse("""[{"service":"s","method":"DELETE"}]""", "d.json")).ErrorId);
        Assert.Equal("SmokeCheckFileInvalid", Assert.Throws<OpsException>(() => SmokeCheckFile.Parse("{", "e.json")).ErrorId);
    }

    [Fact]
    public async Task Checks_through_the_service_proxy_pass_and_fail_as_the_services_answer()
    {
        var tester = new SmokeTester(Kube);
        var health = await tester.CheckAsync(new SmokeCheck { Name = "h", Service = "api-service", Port = "80", Path = "/health", JsonPath = "$.service", ExpectedValue = "api-service" }, Ns, default);
        Assert.Equal((SmokeTestOutcome.Passed, 200), (health.Outcome, health.StatusCode!.Value));
        var list = await tester.CheckAsync(new SmokeCheck { Name = "p", Service = "api-service", Path = "/api/v1/properties?limit=3", JsonPath = "$.items.length", ExpectedValue = "3" }, Ns, default);
        Assert.Equal(SmokeTestOutcome.Passed, list.Outcome);
        var search = await tester.CheckAsync(new SmokeCheck { Name = "s", Service = "api-service", Method = "POST", Path = "/api/v1/search", Body = JsonNode.Parse("{}"), JsonPath = "$.total" }, Ns, default);
        Assert.Equal(SmokeTestOutcome.Passed, search.Outcome);
        var head = await tester.CheckAsync(new SmokeCheck { Name = "head", Service = "auth-service", Method = "HEAD", Path = "/health" }, Ns, default);
        Assert.Equal(SmokeTestOutcome.Passed, head.Outcome);

        var version = await tester.CheckAsync(new SmokeCheck { Name = "v", Service = "api-service", Path = "/health", JsonPath = "$.version", ExpectedValue = "9.9.9" }, Ns, default);
        Assert.Equal(SmokeTestOutcome.Failed, version.Outcome);
        Assert.Equal("$.version is '1.8.2', expected '9.9.9'", version.Message);
        var unknown = await tester.CheckAsync(new SmokeCheck { Name = "u", Service = "api-service", Path = "/nope" }, Ns, default);
        Assert.Equal((SmokeTestOutcome.Failed, 404), (unknown.Outcome, unknown.StatusCode!.Value));
        var missing = await tester.CheckAsync(new SmokeCheck { Name = "m", Service = "no-such-service", Path = "/health" }, Ns, default);
        Assert.Equal((SmokeTestOutcome.Failed, 404), (missing.Outcome, missing.StatusCode!.Value));

        // A service whose selector matches no pod: the API server's 503.
        await Kube.Api.CoreV1.CreateNamespacedServiceAsync(new V1Service
        {
            Metadata = new V1ObjectMeta { Name = "orphan-service" },
            Spec = new V1ServiceSpec { Selector = new Dictionary<string, string> { ["app"] = "nothing-runs-this" }, Ports = new List<V1ServicePort> { new() { Port = 80, TargetPort = 8080 } } },
        }, Ns);
        var orphan = await tester.CheckAsync(new SmokeCheck { Name = "o", Service = "orphan-service", Path = "/health" }, Ns, default);
        Assert.Equal((SmokeTestOutcome.Failed, 503), (orphan.Outcome, orphan.StatusCode!.Value));
        Assert.Contains("no endpoints available for service", orphan.Message);

        // The sandbox's fault settings for the service apply.
        Sandbox.Host.Context.Faults.Set("api-service", new RealEstateOps.Sandbox.Control.FaultSettings { ErrorRate = 1, Errors = { new(500, "InternalError") } });
        var faulted = await tester.CheckAsync(new SmokeCheck { Name = "f", Service = "api-service", Path = "/health" }, Ns, default);
        Assert.Equal((SmokeTestOutcome.Failed, 500), (faulted.Outcome, faulted.StatusCode!.Value));
        Sandbox.Host.Context.Faults.Reset();
    }

    [Fact]
    public async Task A_latency_budget_that_is_exceeded_fails_the_check()
    {
        Sandbox.Host.Context.Faults.Set("auth-service", new RealEstateOps.Sandbox.Control.FaultSettings { LatencyMs = 300 });
        var result = await new SmokeTester(Kube).CheckAsync(new SmokeCheck { Name = "slow", Service = "auth-service", Path = "/health", LatencyBudgetMs = 100 }, Ns, default);
        Assert.Equal(SmokeTestOutcome.Failed, result.Outcome);
        Assert.Contains("over its budget of 100 ms", result.Message);
        Sandbox.Host.Context.Faults.Reset();
    }
}
