using System.Net;
using RealEstateOps.Engine.Alertmanager;
using RealEstateOps.Engine.Common;
using RealEstateOps.Engine.Http;
using RealEstateOps.Tests.Support;

namespace RealEstateOps.Engine.Tests.Alertmanager;

/// <summary>The client and its operations against a real Alertmanager (0.25, Debian's), started for this class.</summary>
public sealed class AlertmanagerClientTests : IAsyncLifetime
{
    private AlertmanagerProcess _am = null!;

    public async Task InitializeAsync() => _am = await AlertmanagerProcess.StartAsync();
    public async Task DisposeAsync() => await _am.DisposeAsync();

    private static NewAlertSilence Silence(string comment, params string[] matchers) => new()
    {
        Matchers = matchers.Select(AlertMatcher.Parse).ToList(), EndsAt = DateTimeOffset.UtcNow.AddMinutes(30), CreatedBy = "tester", Comment = comment,
    };

    [Fact]
    public async Task Creates_lists_reads_and_expires_a_silence()
    {
        using var client = AlertmanagerClient.Create(_am.Url);
        var silences = new AlertSilences(client);
        var made = await silences.CreateAsync(Silence("INC-1", "alertname=HighErrorRate", "service=~api.*"), default);
        Assert.Equal(AlertSilenceState.Active, made.State);
        Assert.Equal("alertname=\"HighErrorRate\" service=~\"api.*\"", made.MatcherText);
        Assert.Equal(("tester", "INC-1"), (made.CreatedBy, made.Comment));
        Assert.InRange(made.EndsAt, DateTimeOffset.UtcNow.AddMinutes(29), DateTimeOffset.UtcNow.AddMinutes(31));

        var listed = new List<AlertSilence>();
        await foreach (var s in silences.ListAsync(new AlertSilenceQuery { Matchers = new[] { AlertMatcher.Parse("alertname=HighErrorRate") } }, null, default)) listed.Add(s);
        Assert.Contains(listed, s => s.Id == made.Id);
        var other = new List<AlertSilence>();
        await foreach (var s in silences.ListAsync(new AlertSilenceQuery { Matchers = new[] { AlertMatcher.Parse("alertname=PodRestartingOften") } }, null, default)) other.Add(s);
        Assert.DoesNotContain(other, s => s.Id == made.Id);

        var expired = await silences.ExpireAsync(made.Id, default);
        Assert.Equal(AlertSilenceState.Expired, expired.State);
        var active = new List<AlertSilence>();
        await foreach (var s in silences.ListAsync(new AlertSilenceQuery { States = new[] { AlertSilenceState.Active } }, null, default)) active.Add(s);
        Assert.DoesNotContain(active, s => s.Id == made.Id);
        await silences.ExpireAsync(made.Id, default); // expiring it again changes nothing
    }

    [Fact]
    public async Task A_silence_Alertmanager_refuses_is_SilenceInvalid_with_its_parser_message()
    {
        using var client = AlertmanagerClient.Create(_am.Url);
        var ex = await Assert.ThrowsAsync<OpsException>(() => new AlertSilences(client).CreateAsync(Silence("x", "alertname=HighErrorRate", "service=~(api"), default));
        Assert.Equal("SilenceInvalid", ex.ErrorId);
        Assert.Contains("missing closing )", ex.Message);
    }

    [Theory]
    [InlineData("", "SilenceCommentRequired")]
    [InlineData("INC-1", "SilenceInvalid")]
    public async Task Refuses_before_any_request(string comment, string errorId)
    {
        using var client = AlertmanagerClient.Create("http://127.0.0.1:1"); // nothing listens: a request would be AlertmanagerUnreachable
        var request = errorId == "SilenceInvalid" ? Silence(comment, "service=~.*") : Silence(comment, "alertname=HighErrorRate");
        var ex = await Assert.ThrowsAsync<OpsException>(() => new AlertSilences(client).CreateAsync(request, default));
        Assert.Equal(errorId, ex.ErrorId);
        var past = Silence("INC-1", "alertname=HighErrorRate") with { EndsAt = DateTimeOffset.UtcNow.AddMinutes(-1) };
        Assert.Equal("SilenceInvalid", (await Assert.ThrowsAsync<OpsException>(() => new AlertSilences(client).CreateAsync(past, default))).ErrorId);
    }

    [Fact]
    public async Task Unknown_and_malformed_ids()
    {
        using var client = AlertmanagerClient.Create(_am.Url);
        var unknown = Guid.NewGuid().ToString();
        Assert.Equal("SilenceNotFound", (await Assert.ThrowsAsync<OpsException>(() => client.GetSilenceAsync(unknown, default))).ErrorId);
        Assert.Equal("SilenceNotFound", (await Assert.ThrowsAsync<OpsException>(() => client.ExpireSilenceAsync(unknown, default))).ErrorId);
        Assert.Equal("SilenceIdInvalid", (await Assert.ThrowsAsync<OpsException>(() => client.GetSilenceAsync("abc", default))).ErrorId);

        // A list by id goes on past the unknown one and reports it.
        var made = await new AlertSilences(client).CreateAsync(Silence("INC-2", "alertname=HighLatencyP95"), default);
        var failures = new List<OpsEvent>();
        var listed = new List<AlertSilence>();
        await foreach (var s in new AlertSilences(client).ListAsync(new AlertSilenceQuery { Ids = new[] { unknown, made.Id } }, new Recorder(failures), default)) listed.Add(s);
        Assert.Equal(made.Id, Assert.Single(listed).Id);
        Assert.Equal("SilenceNotFound", Assert.IsType<OpsItemFailed>(Assert.Single(failures)).Error.ErrorId);
    }

    [Fact]
    public async Task An_alert_a_silence_matches_is_suppressed()
    {
        var labels = new Dictionary<string, string> { ["alertname"] = "HighErrorRate", ["service"] = "api-service", ["namespace"] = "real-estate-ai", ["severity"] = "critical" };
        await _am.PostAlertAsync(labels);
        using var client = AlertmanagerClient.Create(_am.Url);
        var query = new AlertmanagerAlertQuery { Matchers = new[] { AlertMatcher.Parse("alertname=HighErrorRate") } };
        var before = Assert.Single(await client.ListAlertsAsync(query, default));
        Assert.Equal((AlertmanagerAlertState.Active, "api-service", "critical", false), (before.State, before.Service, before.Severity, before.Silenced));

        var silence = await new AlertSilences(client).CreateAsync(Silence("INC-3", "alertname=HighErrorRate", "service=api-service"), default);
        Assert.True(silence.Mutes(labels));
        AlertmanagerAlert after = before;
        for (var i = 0; i < 50 && !after.Silenced; i++)
        {
            await Task.Delay(100);
            after = Assert.Single(await client.ListAlertsAsync(query, default));
        }
        Assert.Equal(AlertmanagerAlertState.Suppressed, after.State);
        Assert.Equal(silence.Id, Assert.Single(after.SilencedBy));
        Assert.Empty(await client.ListAlertsAsync(query with { Silenced = false }, default));
    }

    [Fact]
    public async Task A_server_that_cannot_be_reached_is_AlertmanagerUnreachable()
    {
        using var client = AlertmanagerClient.Create("http://127.0.0.1:1", new RetryPolicy { MaxAttempts = 2, BaseDelay = TimeSpan.FromMilliseconds(1) });
        var ex = await Assert.ThrowsAsync<OpsException>(() => client.ListSilencesAsync(null, default));
        Assert.Equal(("AlertmanagerUnreachable", OpsErrorCategory.ConnectionError), (ex.ErrorId, ex.Category));
    }

    [Fact]
    public async Task Server_errors_are_retried_then_AlertmanagerError_and_slow_answers_AlertmanagerTimeout()
    {
        var calls = 0;
        var failing = new Scripted(_ => { calls++; return new HttpResponseMessage(HttpStatusCode.InternalServerError) { Content = new StringContent("\"boom\"") }; });
        using (var client = AlertmanagerClient.Create("http://127.0.0.1:9093", new RetryPolicy { MaxAttempts = 3, BaseDelay = TimeSpan.FromMilliseconds(1) }, innerHandler: failing))
        {
            var ex = await Assert.ThrowsAsync<OpsException>(() => client.ListSilencesAsync(null, default));
            Assert.Equal("AlertmanagerError", ex.ErrorId);
            Assert.Contains("HTTP 500: boom", ex.Message);
            Assert.Equal(3, calls);
        }
        var slow = new Slow();
        using (var client = AlertmanagerClient.Create("http://127.0.0.1:9093", new RetryPolicy { MaxAttempts = 1 }, timeout: TimeSpan.FromMilliseconds(200), innerHandler: slow))
            Assert.Equal("AlertmanagerTimeout", (await Assert.ThrowsAsync<OpsException>(() => client.ListSilencesAsync(null, default))).ErrorId);
        using (var client = AlertmanagerClient.Create("http://127.0.0.1:9093", innerHandler: slow))
        {
            using var cts = new CancellationTokenSource(100);
            await Assert.ThrowsAnyAsync<OperationCanceledException>(() => client.ListSilencesAsync(null, cts.Token));
        }
    }

    [Theory]
    [InlineData("ftp://host")]
    [InlineData("host:9093")]
    [InlineData("http://user:pw@host:9093")]
    public void Refuses_urls_that_are_not_an_alertmanager(string url) =>
        Assert.Equal("AlertmanagerUrlInvalid", Assert.Throws<OpsException>(() => AlertmanagerClient.ParseUrl(url)).ErrorId);

    [Fact]
    public void Takes_a_url_with_or_without_api_v2() =>
        Assert.Equal("http://am:9093/prefix/", AlertmanagerClient.ParseUrl("http://am:9093/prefix/api/v2/").ToString());

    private sealed class Recorder(List<OpsEvent> events) : IProgress<OpsEvent>
    {
        public void Report(OpsEvent value) { lock (events) events.Add(value); }
    }

    private sealed class Slow : HttpMessageHandler
    {
        protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken ct)
        {
            await Task.Delay(TimeSpan.FromSeconds(30), ct);
            return new HttpResponseMessage(HttpStatusCode.OK) { Content = new StringContent("[]") };
        }
    }

    private sealed class Scripted(Func<HttpRequestMessage, HttpResponseMessage> answer) : HttpMessageHandler
    {
        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken ct) =>
            Task.Run(() => answer(request), ct);
    }
}
