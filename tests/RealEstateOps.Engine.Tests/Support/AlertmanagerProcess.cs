using System.Diagnostics;
using System.Net;
using System.Net.Sockets;

namespace RealEstateOps.Tests.Support;

/// <summary>
/// A real Alertmanager (Debian's /usr/bin/prometheus-alertmanager, which build.ps1 installs) started for one test
/// class on a free loopback port, in a temp folder of its own (with a marker), clustering off; killed by its own PID
/// and its folder removed on dispose. Also a counting proxy in front of it, for the tests that count requests.
/// </summary>
public sealed class AlertmanagerProcess : IAsyncDisposable
{
    public const string Binary = "/usr/bin/prometheus-alertmanager";
    private const string Marker = ".realestateops-test-alertmanager";

    private readonly Process _process;
    private readonly string _folder;

    private AlertmanagerProcess(Process process, string folder, string url)
    {
        _process = process;
        _folder = folder;
        Url = url;
    }

    public string Url { get; }

    public static async Task<AlertmanagerProcess> StartAsync()
    {
        if (!File.Exists(Binary))
            throw new InvalidOperationException($"{Binary} is missing: build.ps1 -Task Test installs Debian's prometheus-alertmanager.");
        var folder = Path.Combine(Path.GetTempPath(), "reo-am-" + Guid.NewGuid().ToString("N")[..8]);
        Directory.CreateDirectory(folder);
        File.WriteAllText(Path.Combine(folder, Marker), "");
        File.WriteAllText(Path.Combine(folder, "alertmanager.yml"), "route:\n  receiver: blackhole\n  group_wait: 1s\nreceivers:\n- name: blackhole\n");
        var port = FreePort();
        var info = new ProcessStartInfo(Binary)
        {
            RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false, WorkingDirectory = folder,
        };
        foreach (var a in new[] { "--config.file=" + Path.Combine(folder, "alertmanager.yml"), "--storage.path=" + Path.Combine(folder, "data"),
                     $"--web.listen-address=127.0.0.1:{port}", "--cluster.listen-address=" })
            info.ArgumentList.Add(a);
        var process = Process.Start(info)!;
        process.OutputDataReceived += (_, _) => { };
        process.ErrorDataReceived += (_, _) => { };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        var result = new AlertmanagerProcess(process, folder, $"http://127.0.0.1:{port}");
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(2) };
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (true)
        {
            try
            {
                if ((await http.GetAsync(result.Url + "/-/ready")).IsSuccessStatusCode) return result;
            }
            catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException) { }
            if (process.HasExited || DateTime.UtcNow > deadline)
            {
                await result.DisposeAsync();
                throw new InvalidOperationException("Alertmanager did not become ready.");
            }
            await Task.Delay(100);
        }
    }

    /// <summary>Sends alerts to Alertmanager as Prometheus does (POST /api/v2/alerts), each a label set, firing for an hour.</summary>
    public async Task PostAlertAsync(IReadOnlyDictionary<string, string> labels)
    {
        using var http = new HttpClient();
        var body = new System.Text.Json.Nodes.JsonArray(new System.Text.Json.Nodes.JsonObject
        {
            ["labels"] = new System.Text.Json.Nodes.JsonObject(labels.Select(l => KeyValuePair.Create(l.Key, (System.Text.Json.Nodes.JsonNode?)l.Value))),
            ["annotations"] = new System.Text.Json.Nodes.JsonObject { ["summary"] = "test alert" },
            ["startsAt"] = DateTimeOffset.UtcNow.AddSeconds(-5).ToString("o"),
            ["endsAt"] = DateTimeOffset.UtcNow.AddHours(1).ToString("o"),
        });
        using var content = new StringContent(body.ToJsonString(), System.Text.Encoding.UTF8, "application/json");
        (await http.PostAsync(Url + "/api/v2/alerts", content)).EnsureSuccessStatusCode();
    }

    private static int FreePort()
    {
        var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        return port;
    }

    public async ValueTask DisposeAsync()
    {
        try
        {
            if (!_process.HasExited)
            {
                _process.Kill();
                await _process.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(10));
            }
        }
        catch (Exception ex) when (ex is InvalidOperationException or TimeoutException) { }
        _process.Dispose();
        if (File.Exists(Path.Combine(_folder, Marker)))
            try { Directory.Delete(_folder, true); } catch (IOException) { } catch (UnauthorizedAccessException) { }
    }
}

/// <summary>A loopback HTTP proxy in front of a server that counts the requests per method and path (without query).</summary>
public sealed class CountingProxy : IDisposable
{
    private readonly HttpListener _listener = new();
    private readonly HttpClient _http = new();
    private readonly string _target;
    private readonly System.Collections.Concurrent.ConcurrentQueue<string> _requests = new();

    public CountingProxy(string target)
    {
        _target = target.TrimEnd('/');
        for (var attempt = 0; ; attempt++)
        {
            var port = FreePortOf();
            try
            {
                _listener.Prefixes.Clear();
                _listener.Prefixes.Add($"http://127.0.0.1:{port}/");
                _listener.Start();
                Url = $"http://127.0.0.1:{port}";
                break;
            }
            catch (HttpListenerException) when (attempt < 5) { }
        }
        _ = Task.Run(LoopAsync);
    }

    public string Url { get; } = "";

    /// <summary>"GET /api/v2/silences", ... in order.</summary>
    public IReadOnlyList<string> Requests => _requests.ToArray();

    public int Count(string methodAndPath) => _requests.Count(r => r == methodAndPath);

    private static int FreePortOf()
    {
        var l = new TcpListener(IPAddress.Loopback, 0);
        l.Start();
        var p = ((IPEndPoint)l.LocalEndpoint).Port;
        l.Stop();
        return p;
    }

    private async Task LoopAsync()
    {
        while (_listener.IsListening)
        {
            HttpListenerContext context;
            try { context = await _listener.GetContextAsync(); }
            catch (Exception ex) when (ex is HttpListenerException or ObjectDisposedException or InvalidOperationException) { return; }
            _ = Task.Run(async () =>
            {
                try
                {
                    _requests.Enqueue($"{context.Request.HttpMethod} {context.Request.Url!.AbsolutePath}");
                    using var forward = new HttpRequestMessage(new HttpMethod(context.Request.HttpMethod), _target + context.Request.Url.PathAndQuery);
                    if (context.Request.HasEntityBody)
                    {
                        using var ms = new MemoryStream();
                        await context.Request.InputStream.CopyToAsync(ms);
                        forward.Content = new ByteArrayContent(ms.ToArray());
                        forward.Content.Headers.TryAddWithoutValidation("Content-Type", context.Request.ContentType ?? "application/json");
                    }
                    using var answer = await _http.SendAsync(forward);
                    context.Response.StatusCode = (int)answer.StatusCode;
                    if (answer.Content.Headers.ContentType is { } type) context.Response.ContentType = type.ToString();
                    var bytes = await answer.Content.ReadAsByteArrayAsync();
                    await context.Response.OutputStream.WriteAsync(bytes);
                    context.Response.Close();
                }
                catch (Exception ex) when (ex is HttpListenerException or HttpRequestException or ObjectDisposedException or IOException)
                {
                    try { context.Response.Abort(); } catch (ObjectDisposedException) { }
                }
            });
        }
    }

    public void Dispose()
    {
        try { _listener.Stop(); _listener.Close(); } catch (ObjectDisposedException) { }
        _http.Dispose();
    }
}
