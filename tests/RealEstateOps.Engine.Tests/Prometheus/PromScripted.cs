using System.Net;
using System.Text;
using RealEstateOps.Engine.Common;
using RealEstateOps.Engine.Http;
using RealEstateOps.Engine.Prometheus;

namespace RealEstateOps.Engine.Tests.Prometheus;

/// <summary>A Prometheus answered from a script, behind the client's real pipeline (RetryHandler included); it records every request and gives up loudly after 40 so a loop fails the test.</summary>
internal sealed class PromScripted : HttpMessageHandler
{
    private readonly Func<Request, Task<HttpResponseMessage>> _answer;

    public PromScripted(Func<Request, HttpResponseMessage> answer) => _answer = r => Task.FromResult(answer(r));

    public PromScripted(Func<Request, Task<HttpResponseMessage>> answer) => _answer = answer;

    public sealed record Request(HttpMethod Method, string Path, ILookup<string, string> Parameters, string? Authorization);

    public List<Request> Requests { get; } = new();

    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken ct)
    {
        var uri = request.RequestUri!;
        var raw = uri.Query.TrimStart('?');
        if (request.Content is not null) raw = await request.Content.ReadAsStringAsync(ct);
        var parameters = raw.Split('&', StringSplitOptions.RemoveEmptyEntries).Select(p => p.Split('=', 2))
            .ToLookup(p => WebUtility.UrlDecode(p[0]), p => WebUtility.UrlDecode(p.Length > 1 ? p[1] : ""));
        var r = new Request(request.Method, Uri.UnescapeDataString(uri.AbsolutePath), parameters, request.Headers.Authorization?.ToString());
        lock (Requests)
        {
            Requests.Add(r);
            if (Requests.Count > 40) throw new InvalidOperationException("The client kept asking: it loops.");
        }
        return await _answer(r).WaitAsync(ct);
    }

    public static HttpResponseMessage Json(string json, HttpStatusCode status = HttpStatusCode.OK) =>
        new(status) { Content = new StringContent(json, Encoding.UTF8, "application/json") };

    /// <summary>An error the way Prometheus' API sends it (web/api/v1: status, errorType, error).</summary>
    public static HttpResponseMessage Error(HttpStatusCode status, string errorType, string message) =>
        Json($$"""{"status":"error","errorType":"{{errorType}}","error":{{System.Text.Json.JsonSerializer.Serialize(message)}}}""", status);

    public PromClient Client(string url = "http://prometheus.test:9090/", int attempts = 3, TimeSpan? timeout = null, string? user = null, string? password = null, string? token = null) =>
        PromClient.Create(new PromTarget
        {
            Url = new Uri(url),
            RetryPolicy = new RetryPolicy { MaxAttempts = attempts, BaseDelay = TimeSpan.FromMilliseconds(1), MaxDelay = TimeSpan.FromMilliseconds(5) },
            RequestTimeout = timeout ?? TimeSpan.FromSeconds(30),
            Username = user,
            Password = password,
            BearerToken = token,
            InnerHandlerForTests = this,
        });
}

/// <summary>Collects what an operation reports.</summary>
internal sealed class PromEventLog : IProgress<OpsEvent>
{
    public List<OpsEvent> Events { get; } = new();
    public void Report(OpsEvent value) { lock (Events) Events.Add(value); }
    public IEnumerable<string> Warnings => Events.OfType<OpsNote>().Where(n => n.Level == OpsNoteLevel.Warning).Select(n => n.Message);
}

internal static class PromAsyncLists
{
    public static async Task<List<T>> ToListAsync<T>(this IAsyncEnumerable<T> items)
    {
        var list = new List<T>();
        await foreach (var item in items) list.Add(item);
        return list;
    }

    public static async Task<List<TResult>> ToListAsync<T, TResult>(this IAsyncEnumerable<T> items, Func<T, TResult> select) =>
        (await items.ToListAsync()).Select(select).ToList();
}
