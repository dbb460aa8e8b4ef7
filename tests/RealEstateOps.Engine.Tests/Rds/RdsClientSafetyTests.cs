using System.Net;
using System.Text;
using RealEstateOps.Engine.Common;
using RealEstateOps.Engine.Rds;
using RealEstateOps.Engine.Tests.Support;
using RealEstateOps.Sandbox.Control;

namespace RealEstateOps.Engine.Tests.Rds;

/// <summary>The RDS client against a server that misbehaves: repeated markers, huge answers, no answer in time.</summary>
public class RdsClientSafetyTests
{
    private const string Ns = "http://rds.amazonaws.com/doc/2014-10-31/";

    /// <summary>Answers every request from a script (by the form's Action); gives up loudly after 20 requests so that a loop fails the test instead of hanging it.</summary>
    internal sealed class Scripted : HttpMessageHandler
    {
        private readonly Func<string, Dictionary<string, string>, HttpResponseMessage> _answer;
        public Scripted(Func<string, Dictionary<string, string>, HttpResponseMessage> answer) => _answer = answer;
        public List<Dictionary<string, string>> Requests { get; } = new();

        protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken ct)
        {
            var form = (await request.Content!.ReadAsStringAsync(ct)).Split('&')
                .Select(p => p.Split('=', 2)).ToDictionary(p => WebUtility.UrlDecode(p[0]), p => WebUtility.UrlDecode(p.Length > 1 ? p[1] : ""));
            Requests.Add(form);
            if (Requests.Count > 20) throw new InvalidOperationException("The client kept paging: it loops.");
            return _answer(form["Action"], form);
        }
    }

    internal static HttpResponseMessage Xml(string action, string result) =>
        new(HttpStatusCode.OK) { Content = new StringContent($"<{action}Response xmlns=\"{Ns}\"><{action}Result>{result}</{action}Result></{action}Response>", Encoding.UTF8, "text/xml") };

    private static (RdsOperations, Scripted) With(Func<string, Dictionary<string, string>, HttpResponseMessage> answer, long? maxBytes = null)
    {
        var handler = new Scripted(answer);
        var client = new RdsClient(new HttpClient(handler) { BaseAddress = new Uri("http://rds.test/") }, ownsHttp: true)
        {
            MaxResponseBytes = maxBytes ?? RdsClient.DefaultMaxResponseBytes,
        };
        return (new RdsOperations(client), handler);
    }

    [Fact]
    public async Task A_repeated_snapshot_marker_stops_with_RdsPagingLoop()
    {
        var (rds, handler) = With((action, _) => Xml(action, "<Marker>page-2</Marker><DBSnapshots><DBSnapshot><DBSnapshotIdentifier>s1</DBSnapshotIdentifier></DBSnapshot></DBSnapshots>"));
        var seen = new List<DbSnapshot>();
        var ex = await Assert.ThrowsAsync<OpsException>(async () => { await foreach (var s in rds.GetSnapshotsAsync(new SnapshotQuery(), default)) seen.Add(s); });
        Assert.Equal("RdsPagingLoop", ex.ErrorId);
        Assert.Equal(OpsErrorCategory.InvalidResult, ex.Category);
        Assert.Equal(2, handler.Requests.Count); // the first page, then the marker once: its answer gave the same marker again
        Assert.Equal(2, seen.Count);
    }

    [Fact]
    public async Task A_marker_that_comes_back_after_another_one_is_a_loop_too()
    {
        var (rds, handler) = With((action, form) => Xml(action, $"<Marker>{(form.GetValueOrDefault("Marker") == "a" ? "b" : "a")}</Marker><DBInstances/>"));
        var ex = await Assert.ThrowsAsync<OpsException>(async () => { await foreach (var _ in rds.GetInstancesAsync(new InstanceQuery(), default)) { } });
        Assert.Equal("RdsPagingLoop", ex.ErrorId);
        Assert.Equal(3, handler.Requests.Count);
    }

    [Fact]
    public async Task Log_file_lists_and_log_portions_stop_on_a_repeated_marker()
    {
        var (files, _) = With((action, _) => Xml(action, "<Marker>same</Marker><DescribeDBLogFiles/>"));
        Assert.Equal("RdsPagingLoop", (await Assert.ThrowsAsync<OpsException>(async () => { await foreach (var _ in files.GetLogFilesAsync("db", null, default)) { } })).ErrorId);

        // More data pending, and the same marker as the one just read from: before, the read ended there silently (a truncated log).
        var (portions, handler) = With((action, form) => Xml(action,
            $"<LogFileData>line {form["Marker"]}\n</LogFileData><Marker>0:10</Marker><AdditionalDataPending>true</AdditionalDataPending>"));
        var lines = new List<DbLogLine>();
        var ex = await Assert.ThrowsAsync<OpsException>(async () => { await foreach (var l in portions.ReadLogAsync("db", "error/postgresql.log", null, null, default)) lines.Add(l); });
        Assert.Equal("RdsPagingLoop", ex.ErrorId);
        Assert.Equal(new[] { "0", "0:10" }, handler.Requests.Select(r => r["Marker"]));
        Assert.Equal(new[] { "line 0", "line 0:10" }, lines.Select(l => l.Line));
    }

    [Fact]
    public async Task A_log_read_to_its_end_is_no_loop()
    {
        var (rds, handler) = With((action, form) => form["Marker"] == "0"
            ? Xml(action, "<LogFileData>one\n</LogFileData><Marker>0:4</Marker><AdditionalDataPending>true</AdditionalDataPending>")
            : Xml(action, "<LogFileData>two\n</LogFileData><Marker>0:8</Marker><AdditionalDataPending>false</AdditionalDataPending>"));
        var lines = await rds.ReadLogAsync("db", "error/postgresql.log", null, null, default).ToListAsync();
        Assert.Equal(new[] { "one", "two" }, lines.Select(l => l.Line));
        Assert.Equal(2, handler.Requests.Count);
    }

    [Fact]
    public async Task An_answer_larger_than_the_cap_is_RdsResponseTooLarge_with_or_without_a_length()
    {
        var big = "<DescribeDBInstancesResponse xmlns=\"" + Ns + "\"><DescribeDBInstancesResult><DBInstances>" + new string(' ', 5000) + "</DBInstances></DescribeDBInstancesResult></DescribeDBInstancesResponse>";
        var (sized, _) = With((_, _) => new HttpResponseMessage(HttpStatusCode.OK) { Content = new StringContent(big) }, maxBytes: 1024);
        var ex = await Assert.ThrowsAsync<OpsException>(async () => { await foreach (var _ in sized.GetInstancesAsync(new InstanceQuery(), default)) { } });
        Assert.Equal("RdsResponseTooLarge", ex.ErrorId);
        Assert.Equal(OpsErrorCategory.LimitsExceeded, ex.Category);

        // No Content-Length (chunked): the read stops at the cap.
        var (unsized, _) = With((_, _) => new HttpResponseMessage(HttpStatusCode.OK) { Content = new StreamContent(new UnsizedStream(Encoding.UTF8.GetBytes(big))) }, maxBytes: 1024);
        ex = await Assert.ThrowsAsync<OpsException>(async () => { await foreach (var _ in unsized.GetInstancesAsync(new InstanceQuery(), default)) { } });
        Assert.Equal("RdsResponseTooLarge", ex.ErrorId);

        // Under the cap, the same answer is read.
        var (fits, _) = With((_, _) => new HttpResponseMessage(HttpStatusCode.OK) { Content = new StreamContent(new UnsizedStream(Encoding.UTF8.GetBytes(big))) }, maxBytes: 64 * 1024);
        Assert.Empty(await fits.GetInstancesAsync(new InstanceQuery(), default).ToListAsync());
    }

    /// <summary>A stream whose length is unknown, as a chunked answer's is.</summary>
    private sealed class UnsizedStream : MemoryStream
    {
        public UnsizedStream(byte[] data) : base(data) { }
        public override bool CanSeek => false;
        public override long Length => throw new NotSupportedException();
    }

    [Fact]
    public async Task The_client_timeout_is_RdsTimeout_and_a_cancel_stays_a_cancel()
    {
        var handler = new Hanging();
        using var client = new RdsClient(new HttpClient(handler) { BaseAddress = new Uri("http://rds.test/"), Timeout = TimeSpan.FromMilliseconds(200) }, ownsHttp: true);
        var ex = await Assert.ThrowsAsync<OpsException>(() => client.DescribeDBInstancesAsync(null, null, null, default));
        Assert.Equal("RdsTimeout", ex.ErrorId);
        Assert.Equal(OpsErrorCategory.OperationTimeout, ex.Category);

        using var relaxed = new RdsClient(new HttpClient(new Hanging()) { BaseAddress = new Uri("http://rds.test/") }, ownsHttp: true);
        using var cts = new CancellationTokenSource();
        var call = relaxed.DescribeDBInstancesAsync(null, null, null, cts.Token);
        cts.Cancel();
        var cancelled = await Assert.ThrowsAnyAsync<OperationCanceledException>(() => call);
        Assert.IsNotType<OpsException>(cancelled);
    }

    private sealed class Hanging : HttpMessageHandler
    {
        protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken ct)
        {
            await Task.Delay(Timeout.Infinite, ct);
            throw new InvalidOperationException("unreachable");
        }
    }
}

/// <summary>RdsTimeout against the sandbox: a latency fault longer than a short client timeout.</summary>
public class RdsTimeoutSandboxTests : IClassFixture<SandboxFixture>
{
    private readonly SandboxFixture _sandbox;

    public RdsTimeoutSandboxTests(SandboxFixture sandbox) => _sandbox = sandbox;

    [Fact]
    public async Task A_latency_fault_longer_than_the_client_timeout_is_RdsTimeout()
    {
        _sandbox.Host.Context.Faults.Set("rds", new FaultSettings { LatencyMs = 20_000 });
        try
        {
            using var client = RdsClient.Create(RdsSandboxTests.Target(_sandbox), new RealEstateOps.Engine.Http.RetryPolicy { MaxAttempts = 1 }, timeout: TimeSpan.FromMilliseconds(300));
            var ex = await Assert.ThrowsAsync<OpsException>(() => client.DescribeDBInstancesAsync(null, null, null, default));
            Assert.Equal("RdsTimeout", ex.ErrorId);
            Assert.Equal(OpsErrorCategory.OperationTimeout, ex.Category);
        }
        finally
        {
            _sandbox.Host.Context.Faults.Set("rds", new FaultSettings());
        }
    }

    [Fact]
    public async Task A_refused_connection_is_RdsUnreachable()
    {
        var port = Ports.Free();
        var target = new RealEstateOps.Engine.Aws.AwsTarget("rds", new Resolved<string>("us-east-1", "test"), new Resolved<string>($"http://127.0.0.1:{port}/", "test"),
            new Amazon.Runtime.BasicAWSCredentials("AKIASANDBOX000000000", "secret"), "test");
        using var client = RdsClient.Create(target, new RealEstateOps.Engine.Http.RetryPolicy { MaxAttempts = 1 });
        Assert.Equal("RdsUnreachable", (await Assert.ThrowsAsync<OpsException>(() => client.DescribeDBInstancesAsync(null, null, null, default))).ErrorId);
    }
}
