using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using System.Text;
using RealEstateOps.Cmdlets.Tests.Support;
using RealEstateOps.Engine.Rds;

namespace RealEstateOps.Cmdlets.Tests.Rds;

/// <summary>
/// The RDS list cmdlets against an endpoint that always has three pages (the sandbox has one instance and a handful of
/// log files, a single page each): <c>| Select-Object -First 1</c> makes exactly one list request, so a cmdlet that
/// fetched ahead of the pipeline fails here.
/// </summary>
public sealed class RdsPagingCmdletTests : IDisposable
{
    private const string Ns = "http://rds.amazonaws.com/doc/2014-10-31/";
    private const int Pages = 3;

    private readonly PsSession _s = new();
    private readonly HttpListener _listener = new();
    private readonly ConcurrentQueue<Dictionary<string, string>> _requests = new();
    /// <summary>Set when some list is asked for its second page (or portion).</summary>
    private readonly ManualResetEventSlim _secondPage = new();
    private readonly Task _serving;
    private readonly string _url;

    public RdsPagingCmdletTests()
    {
        // Credentials for the signature only: the endpoint is ours, on this machine.
        _s.SetEnv("AWS_ACCESS_KEY_ID", "AKIAPAGINGTEST000000");
        _s.SetEnv("AWS_SECRET_ACCESS_KEY", "paging-test-secret");
        _s.SetEnv("AWS_SESSION_TOKEN", null);
        _s.SetEnv("AWS_PROFILE", null);
        _s.SetEnv("AWS_REGION", "us-east-1");
        var probe = new TcpListener(IPAddress.Loopback, 0);
        probe.Start();
        var port = ((IPEndPoint)probe.LocalEndpoint).Port;
        probe.Stop();
        _url = $"http://127.0.0.1:{port}/";
        _listener.Prefixes.Add(_url);
        _listener.Start();
        _serving = Task.Run(ServeAsync);
    }

    public void Dispose()
    {
        _listener.Stop();
        _listener.Close();
        try { _serving.Wait(TimeSpan.FromSeconds(10)); } catch (AggregateException) { }
        _s.Dispose();
        _secondPage.Dispose();
    }

    private int Requests(string action) => _requests.Count(r => r.GetValueOrDefault("Action") == action);

    private async Task ServeAsync()
    {
        while (_listener.IsListening)
        {
            HttpListenerContext context;
            try { context = await _listener.GetContextAsync(); }
            catch (Exception ex) when (ex is HttpListenerException or ObjectDisposedException or InvalidOperationException) { return; }
            using var reader = new StreamReader(context.Request.InputStream, Encoding.UTF8);
            var form = (await reader.ReadToEndAsync()).Split('&', StringSplitOptions.RemoveEmptyEntries).Select(p => p.Split('=', 2))
                .ToDictionary(p => WebUtility.UrlDecode(p[0]), p => WebUtility.UrlDecode(p.Length > 1 ? p[1] : ""), StringComparer.Ordinal);
            _requests.Enqueue(form);
            if (form.ContainsKey("Marker") && form["Marker"] != "0") _secondPage.Set();
            var body = Encoding.UTF8.GetBytes(Answer(form));
            context.Response.ContentType = "text/xml";
            context.Response.ContentLength64 = body.Length;
            await context.Response.OutputStream.WriteAsync(body);
            context.Response.Close();
        }
    }

    /// <summary>Three pages of every list (MaxRecords items each, 100 by default; markers "1" and "2"), three portions of every log.</summary>
    private static string Answer(Dictionary<string, string> form)
    {
        var action = form["Action"];
        var page = int.TryParse(form.GetValueOrDefault("Marker"), out var m) ? m : 0;
        var size = int.TryParse(form.GetValueOrDefault("MaxRecords"), out var max) ? max : 100;
        var marker = page + 1 < Pages ? $"<Marker>{page + 1}</Marker>" : "";
        var numbers = Enumerable.Range(page * size, size);
        var result = action switch
        {
            "DescribeDBInstances" => marker + "<DBInstances>" + string.Concat(numbers.Select(n =>
                $"<DBInstance><DBInstanceIdentifier>db-{n:D4}</DBInstanceIdentifier><DBInstanceStatus>available</DBInstanceStatus></DBInstance>")) + "</DBInstances>",
            "DescribeDBLogFiles" => marker + "<DescribeDBLogFiles>" + string.Concat(numbers.Select(n =>
                $"<DescribeDBLogFilesDetails><LogFileName>error/postgresql.log.{n:D4}</LogFileName><Size>10</Size><LastWritten>0</LastWritten></DescribeDBLogFilesDetails>")) +
                "</DescribeDBLogFiles>",
            "DescribeDBSnapshots" => marker + "<DBSnapshots>" + string.Concat(numbers.Select(n =>
                $"<DBSnapshot><DBSnapshotIdentifier>snap-{n:D4}</DBSnapshotIdentifier><DBInstanceIdentifier>db</DBInstanceIdentifier><Status>available</Status></DBSnapshot>")) + "</DBSnapshots>",
            _ => "",
        };
        if (action == "DownloadDBLogFilePortion")
        {
            // Portions of ten lines; the markers are "0" (the start), then "0:1", "0:2".
            var at = form.GetValueOrDefault("Marker") is { } lm && lm.StartsWith("0:", StringComparison.Ordinal) ? int.Parse(lm[2..]) : 0;
            result = $"<LogFileData>{string.Concat(Enumerable.Range(0, 10).Select(n => $"portion {at} line {n}\n"))}</LogFileData>" +
                     $"<Marker>0:{at + 1}</Marker><AdditionalDataPending>{(at + 1 < Pages ? "true" : "false")}</AdditionalDataPending>";
        }
        return $"<{action}Response xmlns=\"{Ns}\"><{action}Result>{result}</{action}Result></{action}Response>";
    }

    [Theory]
    [InlineData("Get-DbInstance", "DescribeDBInstances")]
    [InlineData("Get-DbLogFile -DbInstanceId db", "DescribeDBLogFiles")]
    [InlineData("Get-DbLog error/postgresql.log -DbInstanceId db", "DownloadDBLogFilePortion")]
    [InlineData("Get-DbSnapshot", "DescribeDBSnapshots")]
    public void Select_first_1_makes_exactly_one_list_request(string command, string action)
    {
        // The first item is held back until a second page is asked for (2 s at most, the time a cmdlet that fetches ahead of the
        // pipeline gets to show it): a cmdlet that waits for the pipeline never asks, and Select-Object -First 1 then stops it.
        var first = _s.Run($"{command} -EndpointUrl {_url} | ForEach-Object {{ $null = $secondPage.Wait(2000); $_ }} | Select-Object -First 1",
            new Dictionary<string, object?> { ["secondPage"] = _secondPage });
        Assert.Empty(first.Errors);
        Assert.Single(first.Output);
        Assert.Equal(1, Requests(action));

        // The whole list follows every page.
        var all = _s.Run($"{command} -EndpointUrl {_url}");
        Assert.Empty(all.Errors);
        Assert.Equal(1 + Pages, Requests(action));
        Assert.Equal(action == "DownloadDBLogFilePortion" ? Pages * 10 : Pages * 100, all.Output.Count);
    }

    [Fact]
    public void Get_DbInstance_asks_for_pages_of_PageSize()
    {
        var all = _s.Run($"Get-DbInstance -PageSize 20 -EndpointUrl {_url}");
        Assert.Empty(all.Errors);
        Assert.Equal(Pages * 20, all.Objects<DbInstance>().Count());
        var asked = _requests.Where(r => r["Action"] == "DescribeDBInstances").ToList();
        Assert.Equal(Pages, asked.Count);
        Assert.All(asked, r => Assert.Equal("20", r["MaxRecords"]));
    }
}
