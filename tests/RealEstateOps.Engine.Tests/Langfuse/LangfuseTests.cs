using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using RealEstateOps.Engine.Common;
using RealEstateOps.Engine.Langfuse;
using RealEstateOps.Engine.Tests.Support;
using RealEstateOps.Sandbox.Langfuse;

namespace RealEstateOps.Engine.Tests.Langfuse;

/// <summary>
/// The Langfuse engine against the sandbox's Langfuse API: traces over cursor pages (each page one request), filters by
/// level, name, user, tags, time and score range, metrics checked against the seeded observations themselves, datasets
/// and items, Langfuse's errors through the one funnel, and retries of injected throttling.
/// </summary>
public sealed class LangfuseTests : IClassFixture<SandboxFixture>, IDisposable
{
    private readonly SandboxFixture _sandbox;
    private readonly LangfuseClient _client;

    public LangfuseTests(SandboxFixture sandbox)
    {
        _sandbox = sandbox;
        _client = LangfuseClient.Create(Target(), new Engine.Http.RetryPolicy { BaseDelay = TimeSpan.FromMilliseconds(5), MaxDelay = TimeSpan.FromMilliseconds(50) });
        _sandbox.Http.DeleteAsync("_sandbox/faults").GetAwaiter().GetResult();
    }

    public void Dispose() => _client.Dispose();

    private LangfuseTarget Target(string? secret = null) => new(
        new Resolved<string>(_sandbox.Host.BaseUrl.ToString(), "test"), new Resolved<string>(_sandbox.Secrets.LangfusePublicKey, "test"),
        secret ?? _sandbox.Secrets.LangfuseSecretKey, "test");

    private LangfuseStore Store => _sandbox.Host.Services.OfType<LangfuseService>().Single().Store;

    private async Task<long> Requests(string operation)
    {
        var counts = JsonNode.Parse(await _sandbox.Http.GetStringAsync("_sandbox/requests"))!;
        return (long?)counts["operations"]?["langfuse:" + operation] ?? 0;
    }

    private static async Task<List<T>> All<T>(IAsyncEnumerable<T> items)
    {
        var list = new List<T>();
        await foreach (var i in items) list.Add(i);
        return list;
    }

    [Fact]
    public async Task Every_trace_comes_once_newest_first_one_request_per_page()
    {
        var roots = Store.Observations.Count(o => o.IsRoot);
        var before = await Requests("ListObservations");
        var traces = await All(new LangfuseQueries(_client).ListTracesAsync(new LlmTraceQuery(), CancellationToken.None));
        Assert.Equal(roots, traces.Count);
        Assert.Equal(traces.Count, traces.Select(t => t.TraceId).Distinct().Count());
        Assert.Equal(traces.OrderByDescending(t => t.StartTime).Select(t => t.TraceId), traces.Select(t => t.TraceId));
        Assert.Equal((roots + 49) / 50, await Requests("ListObservations") - before); // 50 a page
        Assert.All(traces, t => Assert.Equal("SPAN", t.ObservationType));
    }

    [Fact]
    public async Task First_caps_the_page_and_stops_the_paging()
    {
        var before = await Requests("ListObservations");
        var traces = await All(new LangfuseQueries(_client).ListTracesAsync(new LlmTraceQuery { First = 3 }, CancellationToken.None));
        Assert.Equal(3, traces.Count);
        Assert.Equal(1, await Requests("ListObservations") - before);
    }

    [Fact]
    public async Task Level_error_reads_each_failed_trace_from_its_failed_call()
    {
        var expected = Store.Observations.Where(o => o.Level == "ERROR").Select(o => o.TraceId).Distinct().ToHashSet();
        var traces = await All(new LangfuseQueries(_client).ListTracesAsync(new LlmTraceQuery { Level = LlmLevel.Error }, CancellationToken.None));
        Assert.NotEmpty(traces);
        Assert.Equal(expected.Order(), traces.Select(t => t.TraceId).Order());
        Assert.All(traces, t =>
        {
            Assert.Equal(LlmLevel.Error, t.Level);
            Assert.False(string.IsNullOrEmpty(t.StatusMessage));
            Assert.Equal("GENERATION", t.ObservationType); // the failed call itself: newer than its root span
            Assert.NotNull(t.Model);
        });
    }

    [Fact]
    public async Task Name_user_tags_and_time_narrow_the_traces()
    {
        var sample = Store.Observations.First(o => o.IsRoot && o.Tags.Contains("beta-ui"));
        var from = sample.StartTime.AddDays(-2);
        var to = sample.StartTime.AddDays(1);
        var query = new LlmTraceQuery { Names = new[] { sample.TraceName }, UserId = sample.UserId, Tags = new[] { "beta-ui" }, From = from, To = to };
        var traces = await All(new LangfuseQueries(_client).ListTracesAsync(query, CancellationToken.None));
        var expected = Store.Observations.Where(o => o.IsRoot && o.TraceName == sample.TraceName && o.UserId == sample.UserId && o.Tags.Contains("beta-ui")
                                                     && o.StartTime >= from && o.StartTime < to).Select(o => o.TraceId).Order().ToList();
        Assert.Contains(sample.TraceId, traces.Select(t => t.TraceId));
        Assert.Equal(expected, traces.Select(t => t.TraceId).Order().ToList());
        Assert.All(traces, t => Assert.Contains("beta-ui", t.Tags));
    }

    [Fact]
    public async Task A_score_range_finds_the_badly_rated_traces_through_the_scores_api()
    {
        var expected = Store.Scores.Where(s => s.Name == "user-feedback" && s.Value <= 2).Select(s => s.TraceId).Distinct().Order().ToList();
        var traces = await All(new LangfuseQueries(_client).ListTracesAsync(new LlmTraceQuery { MaxScore = 2 }, CancellationToken.None));
        Assert.True(expected.Count > 10);
        Assert.Equal(expected, traces.Select(t => t.TraceId).Order().ToList());
        Assert.All(traces, t => { Assert.Equal("user-feedback", t.ScoreName); Assert.InRange(t.Score!.Value, 1, 2); });

        var hallucinations = await All(new LangfuseQueries(_client).ListTracesAsync(
            new LlmTraceQuery { ScoreName = "hallucination", MinScore = 0.7, Names = new[] { "chatbot-conversation" } }, CancellationToken.None));
        Assert.NotEmpty(hallucinations);
        Assert.All(hallucinations, t => Assert.True(t.Score >= 0.7));
        await Assert.ThrowsAsync<OpsException>(() => All(new LangfuseQueries(_client).ListTracesAsync(new LlmTraceQuery { MinScore = 3, MaxScore = 1 }, CancellationToken.None)));
    }

    [Fact]
    public async Task Metrics_by_model_agree_with_the_generations_themselves()
    {
        var to = Store.Now;
        var from = to.AddDays(-7).AddHours(-1);
        var metrics = await new LangfuseQueries(_client).GetMetricsAsync(new LlmMetricQuery { From = from, To = to, GroupBy = new[] { LlmMetricGrouping.Model } }, CancellationToken.None);
        var generations = Store.Observations.Where(o => o.Type == "GENERATION" && o.StartTime >= from && o.StartTime < to).ToList();
        Assert.Equal(generations.Select(g => g.ProvidedModelName).Distinct().Order(), metrics.Select(m => m.Model).Order());
        foreach (var m in metrics)
        {
            var own = generations.Where(g => g.ProvidedModelName == m.Model).ToList();
            Assert.Equal(own.Count, m.Generations);
            Assert.Equal(own.Count(g => g.Level == "ERROR"), m.Errors);
            Assert.Equal(Math.Round(100.0 * m.Errors / m.Generations, 2), m.ErrorRatePercent);
            Assert.Equal(own.Sum(g => g.InputTokens ?? 0), m.InputTokens);
            Assert.Equal(own.Sum(g => g.TotalTokens ?? 0), m.TotalTokens);
            Assert.Equal(Math.Round(own.Sum(g => g.TotalCost ?? 0), 6), m.Cost);
            Assert.True(m.LatencyP50Ms <= m.LatencyP95Ms && m.LatencyP95Ms <= m.LatencyP99Ms);
            Assert.InRange(m.LatencyP99Ms!.Value, own.Min(g => g.LatencyMs!.Value) - 1, own.Max(g => g.LatencyMs!.Value) + 1);
            Assert.Null(m.FeedbackScore); // scores belong to traces, not models
        }
        Assert.Contains(metrics, m => m.Errors > 0);
    }

    [Fact]
    public async Task Metrics_by_day_and_trace_name_carry_the_feedback_score()
    {
        var to = Store.Now;
        var from = to.AddDays(-3);
        var metrics = await new LangfuseQueries(_client).GetMetricsAsync(
            new LlmMetricQuery { From = from, To = to, GroupBy = new[] { LlmMetricGrouping.Day, LlmMetricGrouping.TraceName }, TraceNames = new[] { "chatbot-conversation" } }, CancellationToken.None);
        Assert.InRange(metrics.Count, 3, 4);
        Assert.All(metrics, m => { Assert.Equal("chatbot-conversation", m.TraceName); Assert.NotNull(m.Day); Assert.Equal(TimeSpan.Zero, m.Day!.Value.TimeOfDay); });
        var day = metrics[1].Day!.Value;
        var scores = Store.Scores.Where(s => s.Name == "user-feedback" && s.TraceName == "chatbot-conversation" && s.Timestamp >= day && s.Timestamp < day.AddDays(1)).ToList();
        Assert.Equal(scores.Count, metrics[1].FeedbackCount);
        Assert.Equal(Math.Round(scores.Average(s => s.Value), 2), metrics[1].FeedbackScore);
        Assert.Equal(metrics.Sum(m => m.Generations), Store.Observations.Count(o => o.Type == "GENERATION" && o.TraceName == "chatbot-conversation" && o.StartTime >= from && o.StartTime < to));
    }

    [Fact]
    public async Task What_langfuse_refuses_is_a_bad_request_with_its_message()
    {
        var query = new JsonObject
        {
            ["view"] = "observations", ["metrics"] = new JsonArray(new JsonObject { ["measure"] = "count", ["aggregation"] = "count" }),
            ["dimensions"] = new JsonArray(new JsonObject { ["field"] = "userId" }),
            ["fromTimestamp"] = "2026-01-01T00:00:00Z", ["toTimestamp"] = "2026-01-02T00:00:00Z",
        };
        var ex = await Assert.ThrowsAsync<OpsException>(() => _client.GetMetricsAsync(query, CancellationToken.None));
        Assert.Equal("LangfuseBadRequest", ex.ErrorId);
        Assert.Equal(OpsErrorCategory.InvalidArgument, ex.Category);
        Assert.Contains("high cardinality", ex.Message);

        query["view"] = "traces";
        ex = await Assert.ThrowsAsync<OpsException>(() => _client.GetMetricsAsync(query, CancellationToken.None));
        Assert.Contains("observations", ex.Message);
    }

    [Fact]
    public async Task A_wrong_secret_is_unauthorized_and_never_shown()
    {
        const string wrong = "sk-lf-not-the-right-secret-0123456789";
        using var client = LangfuseClient.Create(Target(wrong));
        var ex = await Assert.ThrowsAsync<OpsException>(() => All(new LangfuseQueries(client).ListTracesAsync(new LlmTraceQuery(), CancellationToken.None)));
        Assert.Equal("LangfuseUnauthorized", ex.ErrorId);
        Assert.True(ex.IsFatal);
        Assert.DoesNotContain(wrong, ex.ToString());
        Assert.DoesNotContain(_sandbox.Secrets.LangfuseSecretKey, ex.ToString());
        Assert.DoesNotContain(_sandbox.Secrets.LangfuseSecretKey, Target().ToString() + string.Join("", Target().Describe()));
    }

    [Fact]
    public async Task Datasets_are_created_once_and_items_from_a_trace_added_once()
    {
        var name = "problems-" + Guid.NewGuid().ToString("N")[..6];
        var datasets = new LangfuseDatasets(_client);
        var queries = new LangfuseQueries(_client);
        await datasets.EnsureNameFreeAsync(name, CancellationToken.None);
        var created = await datasets.CreateAsync(name, "failed conversations", null, CancellationToken.None);
        Assert.Equal(name, created.Name);
        var exists = await Assert.ThrowsAsync<OpsException>(() => datasets.EnsureNameFreeAsync(name, CancellationToken.None));
        Assert.Equal("LlmDatasetExists", exists.ErrorId);
        Assert.Contains(name, (await All(queries.ListDatasetsAsync(1, CancellationToken.None))).Select(d => d.Name)); // page by page, one a page

        var failed = await All(queries.ListTracesAsync(new LlmTraceQuery { Level = LlmLevel.Error, First = 2 }, CancellationToken.None));
        foreach (var round in new[] { 1, 2 })
            foreach (var t in failed)
                await datasets.AddItemAsync(new LlmDatasetItemRequest
                {
                    DatasetName = name, Input = JsonNode.Parse(t.Input!), SourceTraceId = t.TraceId, SourceObservationId = t.ObservationId,
                    Metadata = new JsonObject { ["round"] = round },
                }, CancellationToken.None);
        var items = await All(queries.ListDatasetItemsAsync(name, 50, CancellationToken.None));
        Assert.Equal(failed.Select(t => t.TraceId).Order(), items.Select(i => i.SourceTraceId).Order());
        Assert.All(items, i => Assert.Contains("\"round\":2", i.Metadata));

        var missing = await Assert.ThrowsAsync<OpsException>(() => queries.GetDatasetAsync("no-such-" + name, CancellationToken.None));
        Assert.Equal("LlmDatasetNotFound", missing.ErrorId);
        missing = await Assert.ThrowsAsync<OpsException>(() => datasets.AddItemAsync(new LlmDatasetItemRequest { DatasetName = "no-such-" + name, Input = JsonValue.Create("x") }, CancellationToken.None));
        Assert.Equal("LlmDatasetNotFound", missing.ErrorId);
    }

    [Fact]
    public async Task Injected_throttling_is_retried_until_it_stops()
    {
        using var put = await _sandbox.Http.PutAsync("_sandbox/faults/langfuse",
            new StringContent("""{"errorRate":1,"errors":[{"status":429,"code":"TooManyRequests"}]}""", Encoding.UTF8, "application/json"));
        put.EnsureSuccessStatusCode();
        try
        {
            // Every request is throttled until the third retry, when the fault is lifted: the listing then completes.
            var retries = 0;
            using var client = LangfuseClient.Create(Target(), new Engine.Http.RetryPolicy { MaxAttempts = 10, BaseDelay = TimeSpan.FromMilliseconds(1), MaxDelay = TimeSpan.FromMilliseconds(10) },
                onRetry: (_, _, reason, _) =>
                {
                    Assert.Equal("HTTP 429", reason);
                    if (Interlocked.Increment(ref retries) == 3) _sandbox.Http.DeleteAsync("_sandbox/faults").GetAwaiter().GetResult().EnsureSuccessStatusCode();
                });
            var traces = await All(new LangfuseQueries(client).ListTracesAsync(new LlmTraceQuery { First = 120 }, CancellationToken.None));
            Assert.Equal(120, traces.Count);
            Assert.Equal(3, retries);

            // Throttled past the retries: LangfuseThrottled.
            (await _sandbox.Http.PutAsync("_sandbox/faults/langfuse",
                new StringContent("""{"errorRate":1,"errors":[{"status":429,"code":"TooManyRequests"}]}""", Encoding.UTF8, "application/json"))).EnsureSuccessStatusCode();
            using var impatient = LangfuseClient.Create(Target(), new Engine.Http.RetryPolicy { MaxAttempts = 2, BaseDelay = TimeSpan.FromMilliseconds(1), MaxDelay = TimeSpan.FromMilliseconds(5) });
            var ex = await Assert.ThrowsAsync<OpsException>(() => impatient.GetDatasetAsync("golden-conversations", CancellationToken.None));
            Assert.Equal("LangfuseThrottled", ex.ErrorId);
        }
        finally { await _sandbox.Http.DeleteAsync("_sandbox/faults"); }
    }

    [Fact]
    public async Task A_server_that_repeats_its_cursor_is_a_paging_loop_and_a_closed_port_unreachable()
    {
        using var looping = LangfuseClient.Create(Target(), inner: new Scripted(_ => """{"data":[{"id":"o1","traceId":"t1","type":"SPAN","startTime":"2026-01-01T00:00:00Z"}],"meta":{"cursor":"same"}}"""));
        var ex = await Assert.ThrowsAsync<OpsException>(() => All(new LangfuseQueries(looping).ListTracesAsync(new LlmTraceQuery(), CancellationToken.None)));
        Assert.Equal("LangfusePagingLoop", ex.ErrorId);

        var port = Ports.Free();
        using var closed = LangfuseClient.Create(new LangfuseTarget(new Resolved<string>($"http://127.0.0.1:{port}", "test"), new Resolved<string>("pk", "test"), "sk-secret", "test"),
            new Engine.Http.RetryPolicy { MaxAttempts = 1 });
        ex = await Assert.ThrowsAsync<OpsException>(() => closed.GetDatasetAsync("x", CancellationToken.None));
        Assert.Equal("LangfuseUnreachable", ex.ErrorId);
        Assert.DoesNotContain("sk-secret", ex.ToString());
    }

    private sealed class Scripted(Func<HttpRequestMessage, string> answer) : HttpMessageHandler
    {
        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken ct) =>
            Task.FromResult(new HttpResponseMessage(HttpStatusCode.OK) { Content = new StringContent(answer(request), Encoding.UTF8, "application/json") });
    }
}
