using System.Net;
using System.Net.Http.Headers;
using RealEstateOps.Engine.Http;

namespace RealEstateOps.Engine.Tests.Http;

public class RetryHandlerTests
{
    /// <summary>Answers from a script, one entry per attempt, and records what it was sent.</summary>
    private sealed class Scripted : HttpMessageHandler
    {
        private readonly Queue<Func<HttpResponseMessage>> _answers;
        public Scripted(params Func<HttpResponseMessage>[] answers) => _answers = new(answers);
        public int Calls { get; private set; }
        public List<string?> Bodies { get; } = new();

        protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken ct)
        {
            Calls++;
            Bodies.Add(request.Content is null ? null : await request.Content.ReadAsStringAsync(ct));
            return _answers.Count > 0 ? _answers.Dequeue()() : new HttpResponseMessage(HttpStatusCode.OK);
        }
    }

    private static readonly RetryPolicy Quick = new() { MaxAttempts = 4, BaseDelay = TimeSpan.FromMilliseconds(1), MaxDelay = TimeSpan.FromMilliseconds(50) };

    private static HttpResponseMessage Status(HttpStatusCode code, string? body = null) =>
        new(code) { Content = new StringContent(body ?? "") };

    private static (HttpClient, Scripted, List<(int, string, TimeSpan)>) Client(RetryPolicy policy, params Func<HttpResponseMessage>[] answers)
    {
        var inner = new Scripted(answers);
        var retries = new List<(int, string, TimeSpan)>();
        var handler = new RetryHandler(policy, inner) { OnRetry = (_, attempt, reason, delay) => retries.Add((attempt, reason, delay)) };
        return (new HttpClient(handler) { BaseAddress = new Uri("http://127.0.0.1:1/") }, inner, retries);
    }

    [Fact]
    public async Task Retries_503_and_429_then_succeeds()
    {
        var (client, inner, retries) = Client(Quick, () => Status(HttpStatusCode.ServiceUnavailable), () => Status(HttpStatusCode.TooManyRequests), () => Status(HttpStatusCode.OK));
        var response = await client.GetAsync("x");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(3, inner.Calls);
        Assert.Equal(new[] { "HTTP 503", "HTTP 429" }, retries.Select(r => r.Item2));
    }

    [Fact]
    public async Task Retries_aws_throttling_codes_in_a_400_body_even_for_post()
    {
        var (client, inner, retries) = Client(Quick,
            () => Status(HttpStatusCode.BadRequest, "<ErrorResponse><Error><Code>Throttling</Code><Message>Rate exceeded</Message></Error></ErrorResponse>"),
            () => Status(HttpStatusCode.OK));
        var response = await client.PostAsync("x", new StringContent("Action=DescribeDBSnapshots"));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(2, inner.Calls);
        Assert.Equal(new[] { "Action=DescribeDBSnapshots", "Action=DescribeDBSnapshots" }, inner.Bodies); // the body is sent again whole
        Assert.StartsWith("throttled (Throttling)", retries.Single().Item2);
    }

    [Fact]
    public async Task Retries_a_rest_json_throttle_named_only_in_the_error_type_header()
    {
        HttpResponseMessage Throttled()
        {
            var r = Status(HttpStatusCode.BadRequest, "{\"message\":\"Rate exceeded\"}");
            r.Headers.TryAddWithoutValidation("x-amzn-ErrorType", "ThrottlingException:http://internal.amazon.com/coral/com.amazon.coral.availability/");
            return r;
        }
        var (client, inner, retries) = Client(Quick, Throttled, () => Status(HttpStatusCode.OK));
        var response = await client.PostAsync("x", new StringContent("{}"));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(2, inner.Calls);
        Assert.Equal("throttled (ThrottlingException)", retries.Single().Item2);
    }

    [Fact]
    public async Task A_plain_400_is_not_retried_and_its_body_stays_readable()
    {
        var (client, inner, _) = Client(Quick, () => Status(HttpStatusCode.BadRequest, "<Code>DBSnapshotAlreadyExists</Code>"));
        var response = await client.GetAsync("x");
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal(1, inner.Calls);
        Assert.Contains("DBSnapshotAlreadyExists", await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task A_500_on_a_non_idempotent_post_is_not_retried_unless_marked()
    {
        var (client, inner, _) = Client(Quick, () => Status(HttpStatusCode.InternalServerError), () => Status(HttpStatusCode.OK));
        Assert.Equal(HttpStatusCode.InternalServerError, (await client.PostAsync("x", new StringContent("create"))).StatusCode);
        Assert.Equal(1, inner.Calls);

        var (client2, inner2, _) = Client(Quick, () => Status(HttpStatusCode.InternalServerError), () => Status(HttpStatusCode.OK));
        var request = new HttpRequestMessage(HttpMethod.Post, "x") { Content = new StringContent("describe") };
        RetryHandler.MarkIdempotent(request);
        Assert.Equal(HttpStatusCode.OK, (await client2.SendAsync(request)).StatusCode);
        Assert.Equal(2, inner2.Calls);
        Assert.Equal(2, RetryHandler.AttemptsOf(request));
    }

    [Fact]
    public async Task Gives_up_after_max_attempts_with_the_last_response()
    {
        var (client, inner, retries) = Client(Quick, Enumerable.Repeat<Func<HttpResponseMessage>>(() => Status(HttpStatusCode.ServiceUnavailable), 10).ToArray());
        Assert.Equal(HttpStatusCode.ServiceUnavailable, (await client.GetAsync("x")).StatusCode);
        Assert.Equal(Quick.MaxAttempts, inner.Calls);
        Assert.Equal(Quick.MaxAttempts - 1, retries.Count);
    }

    [Fact]
    public async Task Honours_retry_after_up_to_the_cap()
    {
        var (client, _, retries) = Client(new RetryPolicy { MaxAttempts = 2, BaseDelay = TimeSpan.FromMilliseconds(1), MaxDelay = TimeSpan.FromMilliseconds(300) },
            () => { var r = Status(HttpStatusCode.TooManyRequests); r.Headers.RetryAfter = new RetryConditionHeaderValue(TimeSpan.FromSeconds(30)); return r; });
        await client.GetAsync("x");
        Assert.Equal(TimeSpan.FromMilliseconds(300), retries.Single().Item3);
    }

    [Fact]
    public async Task Retries_a_refused_connection()
    {
        // Nothing listens on this port: every attempt is refused before anything is sent.
        var port = Common.Ports.Free();
        var handler = new RetryHandler(Quick);
        var attempts = 0;
        handler.OnRetry = (_, _, _, _) => attempts++;
        using var client = new HttpClient(handler);
        await Assert.ThrowsAsync<HttpRequestException>(() => client.GetAsync($"http://127.0.0.1:{port}/"));
        Assert.Equal(Quick.MaxAttempts - 1, attempts);
    }

    /// <summary>A stream that can be read once only, like the SDK's upload streams.</summary>
    private sealed class ReadOnce : Stream
    {
        private readonly MemoryStream _inner;
        public ReadOnce(string text) => _inner = new MemoryStream(System.Text.Encoding.UTF8.GetBytes(text));
        public override bool CanRead => true;
        public override bool CanSeek => false;
        public override bool CanWrite => false;
        public override long Length => throw new NotSupportedException();
        public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }
        public override int Read(byte[] buffer, int offset, int count) => _inner.Read(buffer, offset, count);
        public override void Flush() { }
        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
        public override void SetLength(long value) => throw new NotSupportedException();
        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    }

    [Fact]
    public async Task A_non_seekable_upload_stream_of_known_length_is_sent_again_whole()
    {
        var (client, inner, retries) = Client(Quick, () => Status(HttpStatusCode.ServiceUnavailable), () => Status(HttpStatusCode.InternalServerError), () => Status(HttpStatusCode.OK));
        var content = new StreamContent(new ReadOnce("part body bytes"));
        content.Headers.ContentLength = 15;
        var response = await client.PutAsync("bucket/key?partNumber=1", content);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(new[] { "part body bytes", "part body bytes", "part body bytes" }, inner.Bodies);
        Assert.Equal(2, retries.Count);
    }

    [Fact]
    public async Task A_stream_too_large_or_without_length_is_sent_once_and_its_failure_returned()
    {
        var small = new RetryPolicy { MaxAttempts = 4, BaseDelay = TimeSpan.FromMilliseconds(1), MaxReplayBufferBytes = 4 };
        var (client, inner, retries) = Client(small, () => Status(HttpStatusCode.ServiceUnavailable), () => Status(HttpStatusCode.OK));
        var content = new StreamContent(new ReadOnce("more than four bytes"));
        content.Headers.ContentLength = 20;
        var response = await client.PutAsync("x", content);
        Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
        Assert.Equal(1, inner.Calls);
        Assert.Empty(retries);

        var (client2, inner2, _) = Client(Quick, () => Status(HttpStatusCode.ServiceUnavailable), () => Status(HttpStatusCode.OK));
        var unsized = await client2.PutAsync("x", new StreamContent(new ReadOnce("no length")));
        Assert.Equal(HttpStatusCode.ServiceUnavailable, unsized.StatusCode);
        Assert.Equal(1, inner2.Calls);
    }

    [Fact]
    public void Backoff_is_capped_exponential_with_jitter()
    {
        var policy = new RetryPolicy { BaseDelay = TimeSpan.FromMilliseconds(100), MaxDelay = TimeSpan.FromSeconds(1) };
        var random = new Random(1);
        for (var attempt = 1; attempt <= 10; attempt++)
        {
            var ceiling = Math.Min(1000, 100 * Math.Pow(2, attempt - 1));
            var d = policy.Backoff(attempt, random).TotalMilliseconds;
            Assert.InRange(d, 0, ceiling);
        }
        var many = Enumerable.Range(0, 200).Select(_ => policy.Backoff(8, random).TotalMilliseconds).ToArray();
        Assert.True(many.Distinct().Count() > 100, "jitter should spread the delays");
    }

    [Fact]
    public async Task A_429_without_Retry_After_is_an_answer_when_the_request_says_so()
    {
        // A Kubernetes eviction refused by a disruption budget: 429 without Retry-After goes back to the caller at once.
        var (client, inner, _) = Client(Quick, () => Status(HttpStatusCode.TooManyRequests), () => Status(HttpStatusCode.OK));
        var request = new HttpRequestMessage(HttpMethod.Post, "eviction") { Content = new StringContent("{}") };
        RetryHandler.MarkThrottleNeedsRetryAfter(request);
        Assert.Equal(HttpStatusCode.TooManyRequests, (await client.SendAsync(request)).StatusCode);
        Assert.Equal(1, inner.Calls);

        // Throttling (with Retry-After) is still retried.
        var (client2, inner2, retries2) = Client(Quick, () => { var r = Status(HttpStatusCode.TooManyRequests); r.Headers.RetryAfter = new RetryConditionHeaderValue(TimeSpan.FromMilliseconds(1)); return r; }, () => Status(HttpStatusCode.OK));
        var request2 = new HttpRequestMessage(HttpMethod.Post, "eviction") { Content = new StringContent("{}") };
        RetryHandler.MarkThrottleNeedsRetryAfter(request2);
        Assert.Equal(HttpStatusCode.OK, (await client2.SendAsync(request2)).StatusCode);
        Assert.Equal(2, inner2.Calls);
        Assert.Equal("HTTP 429", Assert.Single(retries2).Item2);
    }

    /// <summary>Each attempt throws what a dropped or stalled connection throws, then (if asked again) answers 200.</summary>
    private sealed class Failing : HttpMessageHandler
    {
        private readonly Func<Exception> _failure;
        public Failing(Func<Exception> failure) => _failure = failure;
        public int Calls { get; private set; }

        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken ct)
        {
            Calls++;
            return Calls == 1 ? Task.FromException<HttpResponseMessage>(_failure()) : Task.FromResult(new HttpResponseMessage(HttpStatusCode.OK));
        }
    }

    /// <summary>Failures after which the server may have acted on the request (it was sent, the answer was lost).</summary>
    public static TheoryData<string> MidRequestFailures => new() { "ResponseEnded", "IOException", "Timeout" };

    private static Exception MidRequest(string kind) => kind switch
    {
        "ResponseEnded" => new HttpRequestException(HttpRequestError.ResponseEnded, "The response ended prematurely."),
        "IOException" => new IOException("Unable to read data from the transport connection: Connection reset by peer."),
        "Timeout" => new TaskCanceledException("The request was canceled due to the configured HttpClient.Timeout."),
        _ => throw new ArgumentOutOfRangeException(nameof(kind)),
    };

    [Theory]
    [MemberData(nameof(MidRequestFailures))]
    public async Task An_unmarked_post_that_failed_mid_request_is_sent_once_and_the_error_reaches_the_caller(string kind)
    {
        var inner = new Failing(() => MidRequest(kind));
        var retries = 0;
        using var client = new HttpClient(new RetryHandler(Quick, inner) { OnRetry = (_, _, _, _) => retries++ }) { BaseAddress = new Uri("http://127.0.0.1:1/") };
        var error = await Assert.ThrowsAnyAsync<Exception>(() => client.PostAsync("create", new StringContent("Action=CreateDBSnapshot")));
        Assert.Equal(1, inner.Calls);
        Assert.Equal(0, retries);
        switch (kind)
        {
            case "ResponseEnded": Assert.Equal(HttpRequestError.ResponseEnded, Assert.IsType<HttpRequestException>(error).HttpRequestError); break;
            case "IOException": Assert.IsType<IOException>(error); break;
            default: Assert.IsType<TimeoutException>(error); break;
        }
    }

    [Theory]
    [MemberData(nameof(MidRequestFailures))]
    public async Task The_same_post_marked_idempotent_is_retried(string kind)
    {
        var inner = new Failing(() => MidRequest(kind));
        var retries = new List<string>();
        using var client = new HttpClient(new RetryHandler(Quick, inner) { OnRetry = (_, _, reason, _) => retries.Add(reason) }) { BaseAddress = new Uri("http://127.0.0.1:1/") };
        var request = new HttpRequestMessage(HttpMethod.Post, "describe") { Content = new StringContent("Action=DescribeDBSnapshots") };
        RetryHandler.MarkIdempotent(request);
        Assert.Equal(HttpStatusCode.OK, (await client.SendAsync(request)).StatusCode);
        Assert.Equal(2, inner.Calls);
        Assert.Single(retries);
        Assert.Equal(2, RetryHandler.AttemptsOf(request));
    }

    [Fact]
    public async Task An_error_body_larger_than_the_cap_is_not_read_into_memory_and_not_retried()
    {
        var huge = new string('x', RetryHandler.MaxErrorBodyBytes + 10) + "<Code>Throttling</Code>";
        var (client, inner, retries) = Client(Quick, () => Status(HttpStatusCode.BadRequest, huge), () => Status(HttpStatusCode.OK));
        var response = await client.PostAsync("x", new StringContent("Action=DescribeDBSnapshots"));
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal(1, inner.Calls);
        Assert.Empty(retries);
    }
}
