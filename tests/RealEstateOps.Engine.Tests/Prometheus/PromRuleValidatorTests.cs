using System.Text.Json.Nodes;
using RealEstateOps.Engine.Common;
using RealEstateOps.Engine.Prometheus;

namespace RealEstateOps.Engine.Tests.Prometheus;

/// <summary>promtool check rules (Debian's prometheus package, which build.ps1 installs) as the validator: the parser's message, and no file left behind.</summary>
public class PromRuleValidatorTests
{
    private static JsonObject RuleFile(string expr, string? forText = "10s") => new()
    {
        ["groups"] = new JsonArray(new JsonObject
        {
            ["name"] = "platform",
            ["rules"] = new JsonArray(new JsonObject
            {
                ["alert"] = "Check",
                ["expr"] = expr,
                ["for"] = forText,
                ["labels"] = new JsonObject { ["severity"] = "warning" },
                ["annotations"] = new JsonObject { ["summary"] = "Error rate of {{ $labels.service }} is {{ $value | humanizePercentage }} <&>" },
            }),
        }),
    };

    private static string[] OurTempFolders() => Directory.GetDirectories(Path.GetTempPath(), "realestateops-promtool-*");

    [Fact]
    public async Task A_valid_rule_passes()
    {
        var validator = new PromRuleValidator();
        Assert.True(validator.IsAvailable, "promtool must be on PATH (build.ps1 installs the prometheus package)");
        await validator.ValidateAsync(RuleFile("sum by (service) (rate(http_requests_total{code=~\"5..\"}[1m])) > 0.05"), "Check", null, default);
    }

    [Fact]
    public async Task A_bad_expression_is_refused_with_the_parsers_message_and_no_file_is_left()
    {
        var before = OurTempFolders();
        var ex = await Assert.ThrowsAsync<OpsException>(() => new PromRuleValidator().ValidateAsync(RuleFile("rate(http_requests_total[1m]"), "Check", null, default));
        Assert.Equal(("AlertRuleInvalid", OpsErrorCategory.InvalidArgument), (ex.ErrorId, ex.Category));
        Assert.Contains("parse error", ex.Message);
        Assert.Contains("unclosed left parenthesis", ex.Message);
        Assert.Contains("\"Check\"", ex.Message);
        Assert.DoesNotContain(Path.GetTempPath(), ex.Message);
        Assert.Equal(before.OrderBy(x => x), OurTempFolders().OrderBy(x => x));
    }

    [Fact]
    public async Task A_bad_duration_is_refused()
    {
        var ex = await Assert.ThrowsAsync<OpsException>(() => new PromRuleValidator().ValidateAsync(RuleFile("up == 0", "ten seconds"), "Check", null, default));
        Assert.Equal("AlertRuleInvalid", ex.ErrorId);
    }

    [Fact]
    public async Task Without_promtool_nothing_is_checked_and_it_says_so()
    {
        var log = new PromEventLog();
        var validator = new PromRuleValidator("/nonexistent/promtool");
        var ex = await Assert.ThrowsAsync<OpsException>(() => validator.ValidateAsync(RuleFile("up"), "Check", log, default));
        Assert.Equal("AlertRuleCheckFailed", ex.ErrorId);
    }

    [Fact]
    public void The_message_drops_the_temp_path()
    {
        var message = PromRuleValidator.Message(new ProcessResult(1, "Checking /tmp/x/rules.yaml\n", "  FAILED:\n/tmp/x/rules.yaml: 1:62: group \"platform\", rule 1, \"Bad\": could not parse expression: 1:29: parse error: unclosed left parenthesis\n"), "/tmp/x/rules.yaml");
        Assert.Equal("1:62: group \"platform\", rule 1, \"Bad\": could not parse expression: 1:29: parse error: unclosed left parenthesis", message);
    }

    [Fact]
    public void A_change_shows_a_line_diff()
    {
        var change = new PromRuleChange
        {
            Kind = PromRuleChangeKind.UpdateRule, Namespace = "monitoring", ObjectName = "platform-alerts", Group = "platform", RuleName = "HighErrorRate",
            Before = "- alert: HighErrorRate\n  expr: x > 0.05\n  for: 10s\n  labels:\n    severity: critical",
            After = "- alert: HighErrorRate\n  expr: x > 0.05\n  for: 1m\n  labels:\n    severity: critical",
        };
        Assert.Equal("  - alert: HighErrorRate\n    expr: x > 0.05\n-   for: 10s\n+   for: 1m\n    labels:\n      severity: critical", change.Diff.Replace("\r\n", "\n"));
        Assert.Equal("Change rule 'HighErrorRate' in group 'platform' of PrometheusRule monitoring/platform-alerts", change.Summary);
    }
}
