using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using RealEstateOps.Engine.Common;
using RealEstateOps.Engine.Context;
using RealEstateOps.Engine.Http;
using RealEstateOps.Engine.Notification;
using RealEstateOps.Engine.Tests.Support;

namespace RealEstateOps.Engine.Tests.Notification;

/// <summary>
/// Notices: the payloads the services define, the verdict on each service's answer (Slack's body must be "ok"), the secret
/// kept out of every message (inner exceptions included), 429 retried, and delivery to the sandbox's sink.
/// </summary>
public sealed class NotificationTests : IClassFixture<SandboxFixture>
{
    private const string SlackSecret = "https://hooks.slack.example/services/T000/B000/s3cr3tT0kenValue";
    private static readonly RetryPolicy Fast = new() { BaseDelay = TimeSpan.FromMilliseconds(1), MaxDelay = TimeSpan.FromMilliseconds(20) };
    private readonly SandboxFixture _sandbox;

    public NotificationTests(SandboxFixture sandbox) => _sandbox = sandbox;

    private static OpsNotice Notice(NotificationSeverity severity = NotificationSeverity.Warning, PagerDutyAction action = PagerDutyAction.Trigger, string? dedup = null) => new()
    {
        Title = "Rolled back api-service to v1.1.0", Reason = "v1.2.0 failed its smoke tests", Status = "Synced and Healthy",
        Actor = "alice", Severity = severity, Source = "Send-OpsNotification", Component = "api-service", Action = action, DedupKey = dedup,
        Links = new[] { new Uri("https://grafana.example.com/d/api") },
    };

    private static NotificationChannel Channel(string name, NotificationKind kind, string variable, string? endpoint = null) =>
        new() { Name = name, Kind = kind, SecretEnvironmentVariable = variable, Endpoint = endpoint };

    /// <summary>A handler that answers from a script and records what it was sent.</summary>
    private sealed class Scripted(Func<HttpRequestMessage, int, HttpResponseMessage> answer) : HttpMessageHandler
    {
        public List<string> Bodies { get; } = new();
        protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken ct)
        {
            Bodies.Add(request.Content is null ? "" : await request.Content.ReadAsStringAsync(ct));
            return answer(request, Bodies.Count);
        }
    }

    private static HttpResponseMessage Text(HttpStatusCode status, string text) => new(status) { Content = new StringContent(text, Encoding.UTF8, "text/plain") };

    private static OpsNotifier Notifier(HttpMessageHandler handler, Dictionary<string, string> env) =>
        new(NotificationClient.Create(Fast, timeout: TimeSpan.FromSeconds(20), inner: handler), v => env.GetValueOrDefault(v));

    [Fact]
    public void Slack_payload_has_fallback_text_and_blocks_with_what_why_status_and_who()
    {
        var body = NotificationPayloads.Slack(Notice());
        var text = (string)body["text"]!;
        Assert.Contains("Rolled back api-service to v1.1.0", text);
        Assert.Contains("Why: v1.2.0 failed its smoke tests", text);
        Assert.Contains("Status: Synced and Healthy", text);
        Assert.Contains("By: alice", text);
        var blocks = body["blocks"]!.AsArray();
        Assert.Equal("header", (string)blocks[0]!["type"]!);
        Assert.Equal("plain_text", (string)blocks[0]!["text"]!["type"]!);
        Assert.Contains(blocks[1]!["fields"]!.AsArray(), f => ((string)f!["text"]!).Contains("alice"));
    }

    [Fact]
    public void Teams_payload_is_an_adaptive_card_in_attachments()
    {
        var body = NotificationPayloads.Teams(Notice());
        var attachment = body["attachments"]!.AsArray().Single()!;
        Assert.Equal("application/vnd.microsoft.card.adaptive", (string)attachment["contentType"]!);
        Assert.Equal("AdaptiveCard", (string)attachment["content"]!["type"]!);
        Assert.Contains(attachment["content"]!["body"]![1]!["facts"]!.AsArray(), f => (string)f!["title"]! == "By" && (string)f["value"]! == "alice");
    }

    [Fact]
    public void PagerDuty_trigger_carries_a_payload_and_resolve_only_the_dedup_key()
    {
        var trigger = NotificationPayloads.PagerDuty(Notice(NotificationSeverity.Critical, dedup: "k1"), "0123456789abcdef0123456789abcdef");
        Assert.Equal("0123456789abcdef0123456789abcdef", (string)trigger["routing_key"]!);
        Assert.Equal("trigger", (string)trigger["event_action"]!);
        Assert.Equal("k1", (string)trigger["dedup_key"]!);
        var payload = trigger["payload"]!;
        Assert.Equal("critical", (string)payload["severity"]!);
        Assert.Equal("Send-OpsNotification", (string)payload["source"]!);
        Assert.Equal("api-service", (string)payload["component"]!);
        Assert.True(DateTimeOffset.TryParse((string)payload["timestamp"]!, out _));
        Assert.Equal("alice", (string)payload["custom_details"]!["actor"]!);
        var resolve = NotificationPayloads.PagerDuty(Notice(action: PagerDutyAction.Resolve, dedup: "k1"), "0123456789abcdef0123456789abcdef");
        Assert.Equal("resolve", (string)resolve["event_action"]!);
        Assert.Null(resolve["payload"]);
    }

    [Theory]
    [InlineData(200, "not ok")]
    [InlineData(400, "invalid_payload")]
    [InlineData(404, "no_service")]
    [InlineData(403, "invalid_token")]
    public async Task Slack_answer_other_than_200_ok_is_NotificationRejected_with_its_text(int status, string answer)
    {
        var handler = new Scripted((_, _) => Text((HttpStatusCode)status, answer));
        using var notifier = Notifier(handler, new() { ["SLACK_URL"] = SlackSecret });
        var failures = new List<OpsException>();
        var results = await notifier.SendAsync(Notice(), new[] { Channel("team", NotificationKind.Slack, "SLACK_URL") },
            new SyncProgress(e => { if (e is OpsItemFailed f) failures.Add(f.Error); }), default);
        var result = Assert.Single(results);
        Assert.False(result.Delivered);
        Assert.Equal("NotificationRejected", result.ErrorId);
        Assert.Equal(status, result.StatusCode);
        Assert.Contains(answer, result.Message);
        Assert.Equal("NotificationRejected", Assert.Single(failures).ErrorId);
    }

    [Fact]
    public async Task A_connection_failure_never_shows_the_webhook_url_inner_exceptions_included()
    {
        // HttpRequestException's own message names the URI, as SocketsHttpHandler's does ("... (hooks.slack.example:443)").
        var handler = new Scripted((r, _) => throw new HttpRequestException(HttpRequestError.ConnectionError, $"Connection refused ({r.RequestUri})",
            new System.Net.Sockets.SocketException((int)System.Net.Sockets.SocketError.ConnectionRefused)));
        using var notifier = Notifier(handler, new() { ["SLACK_URL"] = SlackSecret });
        OpsException? failure = null;
        var results = await notifier.SendAsync(Notice(), new[] { Channel("team", NotificationKind.Slack, "SLACK_URL") },
            new SyncProgress(e => { if (e is OpsItemFailed f) failure = f.Error; }), default);
        Assert.Equal("NotificationUnreachable", Assert.Single(results).ErrorId);
        Assert.NotNull(failure);
        Assert.Equal("NotificationUnreachable", failure!.ErrorId);
        Assert.NotNull(failure.InnerException);
        var everything = failure.ToString() + string.Join("|", Chain(failure).Select(e => e.Message)) + results[0].Message;
        Assert.DoesNotContain("s3cr3tT0kenValue", everything);
        Assert.DoesNotContain("hooks.slack.example", everything);
        Assert.Contains("ConnectionRefused", failure.Message);
    }

    [Fact]
    public async Task A_service_that_echoes_the_routing_key_has_it_removed_from_the_message()
    {
        const string key = "fedcba9876543210fedcba9876543210";
        var handler = new Scripted((_, _) => new HttpResponseMessage(HttpStatusCode.BadRequest)
        {
            Content = new StringContent($"{{\"status\":\"invalid event\",\"message\":\"Event object is invalid\",\"errors\":[\"routing key {key} unknown\"]}}", Encoding.UTF8, "application/json"),
        });
        using var notifier = Notifier(handler, new() { ["PD_KEY"] = key });
        var result = Assert.Single(await notifier.SendAsync(Notice(), new[] { Channel("oncall", NotificationKind.PagerDuty, "PD_KEY") }, null, default));
        Assert.Equal("NotificationRejected", result.ErrorId);
        Assert.Contains("invalid event", result.Message + "");
        Assert.DoesNotContain(key, result.Message);
    }

    [Fact]
    public async Task Throttling_429_is_retried_then_delivered()
    {
        var handler = new Scripted((_, n) => n == 1
            ? new HttpResponseMessage(HttpStatusCode.TooManyRequests) { Content = new StringContent("rate_limited"), Headers = { RetryAfter = new System.Net.Http.Headers.RetryConditionHeaderValue(TimeSpan.Zero) } }
            : Text(HttpStatusCode.OK, "ok"));
        using var notifier = Notifier(handler, new() { ["SLACK_URL"] = SlackSecret });
        var result = Assert.Single(await notifier.SendAsync(Notice(), new[] { Channel("team", NotificationKind.Slack, "SLACK_URL") }, null, default));
        Assert.True(result.Delivered);
        Assert.Equal(2, handler.Bodies.Count);
        Assert.Equal(handler.Bodies[0], handler.Bodies[1]);
    }

    [Fact]
    public async Task A_missing_secret_is_its_own_error_and_the_other_channels_still_get_the_notice()
    {
        var handler = new Scripted((_, _) => Text(HttpStatusCode.OK, "ok"));
        using var notifier = Notifier(handler, new() { ["SLACK_URL"] = SlackSecret });
        var results = await notifier.SendAsync(Notice(), new[] { Channel("gone", NotificationKind.Teams, "NOT_SET"), Channel("team", NotificationKind.Slack, "SLACK_URL") }, null, default);
        Assert.Equal(new[] { "NotificationSecretMissing", null }, results.Select(r => r.ErrorId));
        Assert.True(results[1].Delivered);
    }

    [Fact]
    public async Task A_channel_above_the_notice_severity_is_skipped()
    {
        var handler = new Scripted((_, _) => Text(HttpStatusCode.OK, "ok"));
        using var notifier = Notifier(handler, new() { ["SLACK_URL"] = SlackSecret });
        var pager = Channel("pager", NotificationKind.Slack, "SLACK_URL");
        pager.MinimumSeverity = NotificationSeverity.Critical;
        Assert.Empty(await notifier.SendAsync(Notice(NotificationSeverity.Warning), new[] { pager }, null, default));
        Assert.Empty(handler.Bodies);
    }

    [Fact]
    public async Task The_sandbox_sink_takes_slack_teams_and_pagerduty_and_refuses_a_broken_channel()
    {
        await _sandbox.Http.DeleteAsync("_sandbox/notifications");
        var root = _sandbox.Host.BaseUrl.ToString().TrimEnd('/');
        var env = new Dictionary<string, string>
        {
            ["SLACK"] = $"{root}/_webhooks/slack/ops-slack/{_sandbox.Secrets.WebhookToken}",
            ["TEAMS"] = $"{root}/_webhooks/teams/ops-teams/{_sandbox.Secrets.WebhookToken}",
            ["BROKEN"] = $"{root}/_webhooks/slack/broken/{_sandbox.Secrets.WebhookToken}",
            ["WRONG"] = $"{root}/_webhooks/slack/ops-slack/not-the-token",
            ["PD"] = _sandbox.Secrets.PagerDutyRoutingKey,
            ["PDWRONG"] = new string('0', 32),
        };
        using var notifier = new OpsNotifier(NotificationClient.Create(Fast), v => env.GetValueOrDefault(v));
        var results = await notifier.SendAsync(Notice(dedup: "api-rollback"), new[]
        {
            Channel("ops-slack", NotificationKind.Slack, "SLACK"), Channel("ops-teams", NotificationKind.Teams, "TEAMS"),
            Channel("oncall", NotificationKind.PagerDuty, "PD", root + "/v2/enqueue"), Channel("broken", NotificationKind.Slack, "BROKEN"),
            Channel("wrong", NotificationKind.Slack, "WRONG"), Channel("pdwrong", NotificationKind.PagerDuty, "PDWRONG", root + "/v2/enqueue"),
        }, null, default);
        Assert.Equal(new[] { true, true, true, false, false, false }, results.Select(r => r.Delivered));
        Assert.Equal("api-rollback", results[2].DedupKey);
        Assert.Equal(202, results[2].StatusCode);
        Assert.Equal((404, "NotificationRejected"), (results[3].StatusCode!.Value, results[3].ErrorId!));
        Assert.Contains("no_service", results[3].Message);
        Assert.Contains("invalid_token", results[4].Message);
        Assert.Contains("routing_key", results[5].Message);
        Assert.DoesNotContain(_sandbox.Secrets.WebhookToken, string.Join("|", results.Select(r => r.Message)));

        var received = JsonNode.Parse(await _sandbox.Http.GetStringAsync("_sandbox/notifications"))!.AsArray();
        Assert.Equal(new[] { "ops-slack", "ops-teams", "pagerduty" }, received.Select(r => (string)r!["channel"]!));
        Assert.Contains("Why: v1.2.0 failed its smoke tests", (string)received[0]!["body"]!["text"]!);
        Assert.Equal("(removed)", (string)received[2]!["body"]!["routing_key"]!);
        Assert.Equal("warning", (string)received[2]!["body"]!["payload"]!["severity"]!);
    }

    [Fact]
    public void Channels_are_stored_in_a_context_and_merge_by_name_over_the_built_in_ones()
    {
        using var temp = new TempDir();
        var store = new ContextStore(temp.Paths);
        var stored = new OpsContext { Name = "ops", NotificationChannels = new() { new() { Name = "oncall", Kind = NotificationKind.PagerDuty, SecretFile = "/k", MinimumSeverity = NotificationSeverity.Critical } } };
        store.Save(stored);
        var text = File.ReadAllText(store.PathOf("ops"));
        Assert.Contains("\"PagerDuty\"", text);
        Assert.Contains("\"Critical\"", text);
        var loaded = store.LoadEffective("ops");
        var channel = Assert.Single(loaded.NotificationChannels!);
        Assert.Equal((NotificationKind.PagerDuty, NotificationSeverity.Critical, "/k"), (channel.Kind, channel.MinimumSeverity, channel.SecretFile));

        var builtIn = OpsContext.BuiltInDefault();
        builtIn.NotificationChannels = new() { new() { Name = "OnCall", Kind = NotificationKind.Slack }, new() { Name = "team", Kind = NotificationKind.Teams } };
        var merged = ContextSettings.Merge(stored, builtIn);
        Assert.Equal(new[] { ("team", NotificationKind.Teams), ("oncall", NotificationKind.PagerDuty) }, merged.NotificationChannels!.Select(c => (c.Name, c.Kind)));
        Assert.Single(builtIn.NotificationChannels, c => c.Kind == NotificationKind.Slack); // the built-in one is left alone
        Assert.Contains(ContextSettings.Describe(stored, builtIn), d => d.Setting == "NotificationChannels.oncall" && d.Source == "context 'ops'");
        ContextSettings.Clear(stored, "NotificationChannels");
        Assert.Null(stored.NotificationChannels);
    }

    private static IEnumerable<Exception> Chain(Exception e)
    {
        for (Exception? x = e; x is not null; x = x.InnerException) yield return x;
    }

    private sealed class SyncProgress(Action<OpsEvent> report) : IProgress<OpsEvent>
    {
        public void Report(OpsEvent value) => report(value);
    }
}
