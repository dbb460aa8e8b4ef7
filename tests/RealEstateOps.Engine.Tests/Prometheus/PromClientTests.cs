using System.Net;
using System.Text;
using RealEstateOps.Engine.Common;
using RealEstateOps.Engine.Prometheus;

namespace RealEstateOps.Engine.Tests.Prometheus;

/// <summary>The Prometheus client's one funnel against scripted answers in Prometheus' own shapes: error types, transport, auth, warnings.</summary>
public class PromClientTests
{
    private const string Vector = """{"status":"success","data":{"resultType":"vector","result":[]}}""";

    [Theory]
    [InlineData(HttpStatusCode.BadRequest, "bad_data", "PromBadData", OpsErrorCategory.InvalidArgument, 1)]
    [InlineData(HttpStatusCode.UnprocessableEntity, "execution", "PromExecution", OpsErrorCategory.InvalidOperation, 1)]
    [InlineData(HttpStatusCode.ServiceUnavailable, "timeout", "PromTimeout", OpsErrorCategory.OperationTimeout, 1)]
    [InlineData(HttpStatusCode.ServiceUnavailable, "canceled", "PromCanceled", OpsErrorCategory.OperationStopped, 1)]
    [InlineData(HttpStatusCode.InternalServerError, "internal", "PromInternal", OpsErrorCategory.NotSpecified, 3)]
    [InlineData(HttpStatusCode.ServiceUnavailable, "unavailable", "PromUnavailable", OpsErrorCategory.ResourceUnavailable, 3)]
    [InlineData(HttpStatusCode.NotFound, "not_found", "PromNotFound", OpsErrorCategory.ObjectNotFound, 1)]
    [InlineData(HttpStatusCode.BadRequest, "something_new", "PromError", OpsErrorCategory.NotSpecified, 1)]
    public async Task Prometheus_error_types_become_ids_with_its_message(HttpStatusCode status, string errorType, string id, OpsErrorCategory category, int requests)
    {
        var script = new PromScripted(_ => PromScripted.Error(status, errorType, $"the {errorType} message"));
        using var client = script.Client(attempts: 3);
        var ex = await Assert.ThrowsAsync<OpsException>(() => new PromQueries(client).QueryAsync(new PromQuery { Expression = "up" }, null, default));
        Assert.Equal((id, category), (ex.ErrorId, ex.Category));
        Assert.Contains($"the {errorType} message", ex.Message);
        Assert.Equal("up", ex.Target);
        // A query Prometheus gave up on (timeout, canceled) or refused is an answer; a server error or an unavailable server is retried.
        Assert.Equal(requests, script.Requests.Count);
    }

    [Fact]
    public async Task A_parse_error_keeps_the_parsers_words()
    {
        const string message = "invalid parameter \"query\": 1:6: parse error: unexpected \")\"";
        var script = new PromScripted(_ => PromScripted.Error(HttpStatusCode.BadRequest, "bad_data", message));
        using var client = script.Client();
        var ex = await Assert.ThrowsAsync<OpsException>(() => new PromQueries(client).QueryAsync(new PromQuery { Expression = "rate()" }, null, default));
        Assert.Equal("PromBadData", ex.ErrorId);
        Assert.Contains(message, ex.Message);
        Assert.NotNull(ex.RecommendedAction);
    }

    [Fact]
    public async Task An_error_status_in_a_200_answer_is_still_an_error()
    {
        var script = new PromScripted(_ => PromScripted.Json("""{"error":"query timed out in expression evaluation","errorType":"timeout","status":"error"}"""));
        using var client = script.Client();
        var ex = await Assert.ThrowsAsync<OpsException>(() => new PromQueries(client).QueryAsync(new PromQuery { Expression = "up" }, null, default));
        Assert.Equal("PromTimeout", ex.ErrorId);
    }

    [Fact]
    public async Task A_page_that_is_not_Prometheus_is_named_so()
    {
        var script = new PromScripted(r => r.Path.EndsWith("/query")
            ? new HttpResponseMessage(HttpStatusCode.NotFound) { Content = new StringContent("404 page not found") }
            : new HttpResponseMessage(HttpStatusCode.OK) { Content = new StringContent("<html><body>Grafana</body></html>", Encoding.UTF8, "text/html") });
        using var client = script.Client();
        var notFound = await Assert.ThrowsAsync<OpsException>(() => new PromQueries(client).QueryAsync(new PromQuery { Expression = "up" }, null, default));
        Assert.Equal(("PrometheusApiNotFound", OpsErrorCategory.ObjectNotFound), (notFound.ErrorId, notFound.Category));
        Assert.Contains("404 page not found", notFound.Message);
        var invalid = await Assert.ThrowsAsync<OpsException>(async () => await new PromQueries(client).ListAlertsAsync(new PromAlertQuery(), null, default).ToListAsync());
        Assert.Equal("PrometheusResponseInvalid", invalid.ErrorId);
        Assert.Contains("Grafana", invalid.Message);
    }

    [Fact]
    public async Task A_proxy_that_refuses_the_credentials_is_unauthorized_and_fatal()
    {
        var script = new PromScripted(_ => new HttpResponseMessage(HttpStatusCode.Unauthorized) { Content = new StringContent("Unauthorized") });
        using var client = script.Client();
        var ex = await Assert.ThrowsAsync<OpsException>(() => new PromQueries(client).QueryAsync(new PromQuery { Expression = "up" }, null, default));
        Assert.Equal(("PrometheusUnauthorized", true), (ex.ErrorId, ex.IsFatal));
    }

    [Fact]
    public async Task Basic_auth_and_bearer_tokens_go_in_the_header_only()
    {
        var script = new PromScripted(_ => PromScripted.Json(Vector));
        using (var basic = script.Client(user: "ops", password: "s3cret-pass"))
            await new PromQueries(basic).QueryAsync(new PromQuery { Expression = "up" }, null, default);
        using (var bearer = script.Client(token: "tok-123"))
            await new PromQueries(bearer).QueryAsync(new PromQuery { Expression = "up" }, null, default);
        Assert.Equal("Basic " + Convert.ToBase64String(Encoding.UTF8.GetBytes("ops:s3cret-pass")), script.Requests[0].Authorization);
        Assert.Equal("Bearer tok-123", script.Requests[1].Authorization);
        Assert.DoesNotContain(script.Requests, r => r.Parameters.SelectMany(p => p).Any(v => v.Contains("s3cret") || v.Contains("tok-123")));
    }

    [Fact]
    public async Task A_path_prefix_is_kept()
    {
        var script = new PromScripted(_ => PromScripted.Json(Vector));
        using var client = script.Client("http://proxy.test/prometheus");
        await new PromQueries(client).QueryAsync(new PromQuery { Expression = "up" }, null, default);
        Assert.Equal("/prometheus/api/v1/query", script.Requests.Single().Path);
    }

    [Fact]
    public async Task Warnings_in_the_answer_become_warning_notes()
    {
        var script = new PromScripted(_ => PromScripted.Json(
            """{"status":"success","warnings":["PromQL info: metric might not be a counter"],"infos":["input to histogram_quantile needed to be fixed"],"data":{"resultType":"vector","result":[]}}"""));
        using var client = script.Client();
        var log = new PromEventLog();
        var result = await new PromQueries(client).QueryAsync(new PromQuery { Expression = "rate(x[1m])" }, log, default);
        Assert.Equal("PromQL info: metric might not be a counter", Assert.Single(result.Warnings));
        Assert.Contains(log.Warnings, w => w.Contains("metric might not be a counter"));
        Assert.Contains(log.Events.OfType<OpsNote>(), n => n.Level == OpsNoteLevel.Verbose && n.Message.Contains("histogram_quantile needed to be fixed"));
    }

    [Fact]
    public async Task A_server_that_is_not_there_is_unreachable()
    {
        var port = Ports.Free();
        using var client = PromClient.Create(new PromTarget
        {
            Url = new Uri($"http://127.0.0.1:{port}/"),
            RetryPolicy = new RealEstateOps.Engine.Http.RetryPolicy { MaxAttempts = 2, BaseDelay = TimeSpan.FromMilliseconds(1), MaxDelay = TimeSpan.FromMilliseconds(2) },
        });
        var ex = await Assert.ThrowsAsync<OpsException>(() => new PromQueries(client).QueryAsync(new PromQuery { Expression = "up" }, null, default));
        Assert.Equal(("PrometheusUnreachable", OpsErrorCategory.ConnectionError), (ex.ErrorId, ex.Category));
        Assert.Contains($"127.0.0.1:{port}", ex.Message);
    }

    [Fact]
    public async Task A_server_that_does_not_answer_in_time_is_a_timeout_and_cancellation_stays_cancellation()
    {
        var script = new PromScripted(async r => { await Task.Delay(TimeSpan.FromSeconds(30)); return PromScripted.Json(Vector); });
        using (var client = script.Client(attempts: 1, timeout: TimeSpan.FromMilliseconds(200)))
        {
            var ex = await Assert.ThrowsAsync<OpsException>(() => new PromQueries(client).QueryAsync(new PromQuery { Expression = "up" }, null, default));
            Assert.Equal(("PrometheusTimeout", OpsErrorCategory.OperationTimeout), (ex.ErrorId, ex.Category));
        }
        using (var client = script.Client(attempts: 1))
        {
            using var cts = new CancellationTokenSource(TimeSpan.FromMilliseconds(200));
            await Assert.ThrowsAnyAsync<OperationCanceledException>(() => new PromQueries(client).QueryAsync(new PromQuery { Expression = "up" }, null, cts.Token));
        }
    }

    [Fact]
    public async Task An_answer_larger_than_the_cap_is_not_read()
    {
        var big = "{\"status\":\"success\",\"data\":{\"resultType\":\"string\",\"result\":[1,\"" + new string('x', 4096) + "\"]}}";
        var script = new PromScripted(_ => PromScripted.Json(big));
        using var client = new PromClient(new HttpClient(script) { BaseAddress = new Uri("http://prometheus.test/") }) { MaxResponseBytes = 1024 };
        var ex = await Assert.ThrowsAsync<OpsException>(() => new PromQueries(client).QueryAsync(new PromQuery { Expression = "\"x\"" }, null, default));
        Assert.Equal("PrometheusResponseTooLarge", ex.ErrorId);
    }

    [Fact]
    public async Task A_long_query_goes_as_a_form_post()
    {
        var script = new PromScripted(_ => PromScripted.Json(Vector));
        using var client = script.Client();
        var expression = "sum(" + string.Join(" + ", Enumerable.Range(0, 400).Select(i => $"up{{job=\"j{i}\"}}")) + ")";
        await new PromQueries(client).QueryAsync(new PromQuery { Expression = expression }, null, default);
        var r = script.Requests.Single();
        Assert.Equal(HttpMethod.Post, r.Method);
        Assert.Equal(expression, r.Parameters["query"].Single());
    }
}
