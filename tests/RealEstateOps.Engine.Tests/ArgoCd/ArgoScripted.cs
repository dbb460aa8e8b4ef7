using System.Net;
using System.Text;
using RealEstateOps.Engine.ArgoCd;
using RealEstateOps.Engine.Common;
using RealEstateOps.Engine.Http;

namespace RealEstateOps.Engine.Tests.ArgoCd;

/// <summary>An argocd-server stand-in: answers each request with (status, JSON body) from a script and records what was asked.</summary>
internal sealed class ArgoScripted : HttpMessageHandler
{
    public const string Token = "argo-test-token-0123456789abcdef";
    private readonly Func<HttpRequestMessage, string?, (HttpStatusCode Status, string Body)> _answer;

    public ArgoScripted(Func<HttpRequestMessage, string?, (HttpStatusCode, string)> answer) => _answer = answer;

    public List<(string Method, string Path, string? Body, string? Authorization)> Requests { get; } = new();

    public int Count(string method, string pathPart) => Requests.Count(r => r.Method == method && r.Path.Contains(pathPart, StringComparison.Ordinal));

    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        var body = request.Content is null ? null : await request.Content.ReadAsStringAsync(cancellationToken);
        lock (Requests) Requests.Add((request.Method.Method, request.RequestUri!.PathAndQuery, body, request.Headers.Authorization?.ToString()));
        var (status, text) = _answer(request, body);
        return new HttpResponseMessage(status) { Content = new StringContent(text, Encoding.UTF8, "application/json"), RequestMessage = request };
    }

    public ArgoClient Client() =>
        ArgoClient.Create(new ArgoTarget(new Resolved<string>("https://argocd.example.test", "test"), Token, "test"),
            new RetryPolicy { MaxAttempts = 3, BaseDelay = TimeSpan.FromMilliseconds(1), MaxDelay = TimeSpan.FromMilliseconds(2) }, inner: this);

    public static (HttpStatusCode, string) Error(HttpStatusCode status, int code, string message) =>
        (status, $$"""{"error":{{System.Text.Json.JsonSerializer.Serialize(message)}},"code":{{code}},"message":{{System.Text.Json.JsonSerializer.Serialize(message)}}}""");

    /// <summary>An application as argocd-server returns it (fields in Argo CD's order, most optional ones present).</summary>
    public static string App(string name = "real-estate-ai", bool automated = true, string sync = "Synced", string health = "Healthy",
        string? phase = "Succeeded", string? operation = null, string finishedAt = "2026-12-01T10:00:05Z", string reconciledAt = "2026-12-01T10:00:10Z",
        string syncedRevision = "bbbb2222bbbb2222bbbb2222bbbb2222bbbb2222")
    {
        var policy = automated ? """{"automated": {"prune": false, "selfHeal": false}}""" : "{}";
        var op = operation is null ? "" : "\"operation\": " + operation + ",";
        var state = phase is null ? "" :
            "\"operationState\": {\"operation\": {\"sync\": {}}, \"phase\": \"" + phase + "\", \"message\": \"phase message\", \"startedAt\": \"2026-12-01T10:00:00Z\", " +
            "\"finishedAt\": \"" + finishedAt + "\", \"syncResult\": {\"revision\": \"" + syncedRevision + "\"}},";
        return $$"""
        {
          "metadata": {"name": "{{name}}", "namespace": "argocd"},
          "spec": {
            "source": {"repoURL": "/tmp/platform-manifests.git", "path": "k8s", "targetRevision": "main"},
            "destination": {"server": "https://kubernetes.default.svc", "namespace": "real-estate-ai"},
            "project": "default",
            "syncPolicy": {{policy}}
          },
          {{op}}
          "status": {
            "resources": [
              {"version": "v1", "kind": "Service", "namespace": "real-estate-ai", "name": "api-service", "status": "Synced"},
              {"group": "apps", "version": "v1", "kind": "Deployment", "namespace": "real-estate-ai", "name": "api-service", "status": "{{sync}}"}
            ],
            "sync": {"status": "{{sync}}", "comparedTo": {"source": {} }, "revision": "cccc3333cccc3333cccc3333cccc3333cccc3333"},
            "health": {"status": "{{health}}"},
            "history": [
              {"revision": "aaaa1111aaaa1111aaaa1111aaaa1111aaaa1111", "deployedAt": "2026-11-30T09:00:00Z", "id": 0, "deployStartedAt": "2026-11-30T08:59:50Z", "initiatedBy": {"username": "admin"} },
              {"revision": "bbbb2222bbbb2222bbbb2222bbbb2222bbbb2222", "deployedAt": "2026-12-01T09:00:00Z", "id": 1, "initiatedBy": {"automated": true} },
              {"revision": "cccc3333cccc3333cccc3333cccc3333cccc3333", "deployedAt": "2026-12-01T10:00:00Z", "id": 2, "initiatedBy": {"automated": true} }
            ],
            "reconciledAt": "{{reconciledAt}}",
            {{state}}
            "summary": {"images": ["registry.example/api-service:v1.2.0"]}
          }
        }
        """;
    }

    public const string DegradedTree = """
        {"nodes": [
          {"group": "apps", "version": "v1", "kind": "Deployment", "namespace": "real-estate-ai", "name": "api-service", "health": {"status": "Degraded", "message": "Deployment \"api-service\" exceeded its progress deadline"}},
          {"version": "v1", "kind": "Pod", "namespace": "real-estate-ai", "name": "api-service-7f9-abc", "parentRefs": [{"kind": "ReplicaSet"}], "health": {"status": "Degraded", "message": "ImagePullBackOff"}},
          {"version": "v1", "kind": "Service", "namespace": "real-estate-ai", "name": "api-service", "health": {"status": "Healthy"}}
        ]}
        """;
}
