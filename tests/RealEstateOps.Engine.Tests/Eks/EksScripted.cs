using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using RealEstateOps.Engine.Eks;
using RealEstateOps.Engine.Http;

namespace RealEstateOps.Engine.Tests.Eks;

/// <summary>An EKS endpoint answered from a script, behind the real RetryHandler; it records every request and gives up loudly after 40 so a loop fails the test.</summary>
internal sealed class EksScripted : HttpMessageHandler
{
    private readonly Func<EksScripted.Request, HttpResponseMessage> _answer;

    public EksScripted(Func<Request, HttpResponseMessage> answer) => _answer = answer;

    public sealed record Request(HttpMethod Method, string Path, Dictionary<string, string> Query, JsonObject? Body);

    public List<Request> Requests { get; } = new();

    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken ct)
    {
        var uri = request.RequestUri!;
        var query = uri.Query.TrimStart('?').Split('&', StringSplitOptions.RemoveEmptyEntries).Select(p => p.Split('=', 2))
            .ToDictionary(p => WebUtility.UrlDecode(p[0]), p => WebUtility.UrlDecode(p.Length > 1 ? p[1] : ""));
        var body = request.Content is null ? null : JsonNode.Parse(await request.Content.ReadAsStringAsync(ct)) as JsonObject;
        var r = new Request(request.Method, Uri.UnescapeDataString(uri.AbsolutePath), query, body);
        lock (Requests)
        {
            Requests.Add(r);
            if (Requests.Count > 40) throw new InvalidOperationException("The client kept asking: it loops.");
        }
        return _answer(r);
    }

    public static HttpResponseMessage Json(string json, HttpStatusCode status = HttpStatusCode.OK) =>
        new(status) { Content = new StringContent(json, Encoding.UTF8, "application/json") };

    /// <summary>An error the way EKS sends it: the code in x-amzn-ErrorType, the message in the body.</summary>
    public static HttpResponseMessage Error(HttpStatusCode status, string code, string message)
    {
        var response = Json(new JsonObject { ["message"] = message }.ToJsonString(), status);
        response.Headers.TryAddWithoutValidation("x-amzn-ErrorType", $"{code}:http://internal.amazon.com/coral/com.amazonaws.eks/");
        response.Headers.TryAddWithoutValidation("x-amzn-RequestId", "req-1");
        return response;
    }

    /// <summary>The client over this script, behind the module's RetryHandler with tiny delays.</summary>
    public EksClient Client(int attempts = 3, TimeSpan? timeout = null, long? maxBytes = null)
    {
        var retry = new RetryHandler(new RetryPolicy { MaxAttempts = attempts, BaseDelay = TimeSpan.FromMilliseconds(1), MaxDelay = TimeSpan.FromMilliseconds(5) }, this);
        var http = new HttpClient(retry) { BaseAddress = new Uri("http://eks.test/") };
        if (timeout is { } t) http.Timeout = t;
        return new EksClient(http, ownsHttp: true) { MaxResponseBytes = maxBytes ?? EksClient.DefaultMaxResponseBytes };
    }
}
