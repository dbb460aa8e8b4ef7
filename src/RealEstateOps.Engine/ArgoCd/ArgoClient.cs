using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using RealEstateOps.Engine.Aws;
using RealEstateOps.Engine.Common;
using RealEstateOps.Engine.Http;

namespace RealEstateOps.Engine.ArgoCd;

/// <summary>
/// argocd-server's REST API (the grpc-gateway over server/application/application.proto) with a bearer token, over
/// HttpClient with the shared <see cref="RetryHandler"/>: reads are retried; a sync and a rollback (both POST; each
/// starts a sync every time it is sent) are not replayed after a 5xx or a dropped connection.
/// </summary>
public sealed class ArgoClient : JsonServiceClient
{
    private readonly string? _token;

    public ArgoClient(HttpClient http, bool ownsHttp = false, string? token = null) : base(http, ownsHttp, "Argo CD", "ArgoCd") => _token = token;

    /// <param name="timeout">How long one request may take, retries included, before it is ArgoCdTimeout (default 1 minute).</param>
    public static ArgoClient Create(ArgoTarget target, RetryPolicy? policy = null, Action<HttpRequestMessage, int, string, TimeSpan>? onRetry = null,
        TimeSpan? timeout = null, HttpMessageHandler? inner = null)
    {
        if (inner is null)
        {
            var sockets = new SocketsHttpHandler { PooledConnectionLifetime = TimeSpan.FromMinutes(5), AutomaticDecompression = DecompressionMethods.All };
            if (target.Insecure) sockets.SslOptions.RemoteCertificateValidationCallback = (_, _, _, _) => true;
            inner = sockets;
        }
        var retry = new RetryHandler(policy, inner) { OnRetry = onRetry };
        var http = new HttpClient(retry) { BaseAddress = target.BaseUri, Timeout = timeout ?? TimeSpan.FromMinutes(1) };
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", target.Token);
        http.DefaultRequestHeaders.UserAgent.Add(new ProductInfoHeaderValue("RealEstateOps", "1.0"));
        http.DefaultRequestHeaders.Accept.Add(new MediaTypeWithQualityHeaderValue("application/json"));
        return new ArgoClient(http, ownsHttp: true, target.Token);
    }

    // ---------------------------------------------------------------- endpoints

    /// <summary>GET /api/v1/applications (not paged by Argo CD): the items.</summary>
    public async Task<IReadOnlyList<JsonObject>> ListApplicationsAsync(string? project, CancellationToken ct)
    {
        var o = await Call("list applications", HttpMethod.Get, "api/v1/applications", project is null ? null : "projects=" + Uri.EscapeDataString(project), null, null, ct).ConfigureAwait(false);
        return (o["items"] as JsonArray)?.OfType<JsonObject>().ToList() ?? new List<JsonObject>(); // Argo CD omits items when there are none
    }

    public Task<JsonObject> GetApplicationAsync(string name, string? project, CancellationToken ct, bool refresh = false) =>
        Call("get application", HttpMethod.Get, App(name), Query(("project", project), ("refresh", refresh ? "normal" : null)), null, name, ct);

    public Task<JsonObject> GetResourceTreeAsync(string name, CancellationToken ct) =>
        Call("get resource tree", HttpMethod.Get, App(name) + "/resource-tree", null, null, name, ct);

    /// <summary>GET .../revisions/{revision}/metadata: {author, date, tags[], message}.</summary>
    public Task<JsonObject> GetRevisionMetadataAsync(string name, string revision, CancellationToken ct) =>
        Call("get revision metadata", HttpMethod.Get, App(name) + "/revisions/" + Uri.EscapeDataString(revision) + "/metadata", null, null, name, ct);

    /// <summary>POST .../sync: starts a sync operation; the answer is the application with its operation set.</summary>
    public Task<JsonObject> SyncAsync(string name, JsonObject body, CancellationToken ct) =>
        Call("sync application", HttpMethod.Post, App(name) + "/sync", null, body, name, ct);

    /// <summary>POST .../rollback {id, dryRun, prune} (application.proto's Rollback): starts a sync of that history entry's revision; never replayed.</summary>
    public Task<JsonObject> RollbackAsync(string name, JsonObject body, CancellationToken ct) =>
        Call("roll back application", HttpMethod.Post, App(name) + "/rollback", null, body, name, ct);

    /// <summary>DELETE .../operation: terminates the running operation.</summary>
    public Task<JsonObject> TerminateOperationAsync(string name, CancellationToken ct) =>
        Call("terminate operation", HttpMethod.Delete, App(name) + "/operation", null, null, name, ct);

    /// <summary>PATCH /api/v1/applications/{name} {name, patch, patchType}: a merge patch of the application.</summary>
    public Task<JsonObject> PatchAsync(string name, JsonObject mergePatch, CancellationToken ct) =>
        Call("patch application", HttpMethod.Patch, App(name), null,
            new JsonObject { ["name"] = name, ["patch"] = mergePatch.ToJsonString(), ["patchType"] = "merge" }, name, ct, replay: true);

    // ---------------------------------------------------------------- transport

    private static string App(string name) => "api/v1/applications/" + Uri.EscapeDataString(name);

    private static string? Query(params (string Name, string? Value)[] parameters)
    {
        var given = parameters.Where(p => !string.IsNullOrEmpty(p.Value)).Select(p => $"{p.Name}={Uri.EscapeDataString(p.Value!)}").ToList();
        return given.Count == 0 ? null : string.Join('&', given);
    }

    /// <summary>
    /// The one error funnel. argocd-server's error body <c>{error, code, message}</c> (code: the gRPC status) becomes:
    /// 5 NotFound or 7 PermissionDenied on an application → ArgoApplicationNotFound ("not found or not permitted": Argo CD
    /// answers permission denied for an application that does not exist); 9 FailedPrecondition → ArgoAutoSyncEnabled (the
    /// message names auto-sync), ArgoOperationInProgress (another operation is running), else ArgoFailedPrecondition;
    /// 3 → ArgoInvalidArgument; 16 → ArgoUnauthenticated (fatal). Transport failures are ArgoCdUnreachable and
    /// ArgoCdTimeout; the caller's own cancellation stays an OperationCanceledException. The token is only in the
    /// Authorization header, never in a message.
    /// </summary>
    private async Task<JsonObject> Call(string action, HttpMethod method, string path, string? query, JsonObject? body, string? app, CancellationToken ct, bool? replay = null)
    {
        using var request = new HttpRequestMessage(method, query is null ? path : $"{path}?{query}");
        if (body is not null) request.Content = new StringContent(body.ToJsonString(), Encoding.UTF8, "application/json");
        if (replay == true) RetryHandler.MarkIdempotent(request);
        return await SendAsync(request, action, app, ct, emptyIsObject: true).ConfigureAwait(false); // DELETE .../operation answers {} or nothing
    }

    /// <summary>gRPC code for an HTTP status, as grpc-gateway maps them, when the body has none.</summary>
    private static int GrpcCode(HttpStatusCode status) => (int)status switch
    {
        400 => 3, 401 => 16, 403 => 7, 404 => 5, 409 => 10, 412 => 9, 429 => 8, 501 => 12, 503 => 14, 504 => 4, _ => 2,
    };

    protected override OpsException Failure(HttpStatusCode status, JsonNode? body, string text, string action, object? target)
    {
        var app = target as string;
        var message = Scrub(ArgoJson.Str(body, "message") ?? ArgoJson.Str(body, "error") ?? (body is null && text.Length > 0 ? Shown(text) : null) ?? status.ToString());
        var code = ArgoJson.Long(body, "code") is { } c ? (int)c : GrpcCode(status);
        var where = app is null ? "" : $" '{app}'";
        return code switch
        {
            5 or 7 when app is not null => new OpsException("ArgoApplicationNotFound", OpsErrorCategory.ObjectNotFound,
                $"Argo CD application '{app}' not found or not permitted ({action}: {message}).", app)
            { RecommendedAction = "Check the name with Get-ArgoApplication, and that the token's account may see the application (Argo CD answers 'permission denied' for both)." },
            5 => new OpsException("ArgoNotFound", OpsErrorCategory.ObjectNotFound, $"Argo CD found nothing ({action}): {message}", app),
            7 => new OpsException("ArgoPermissionDenied", OpsErrorCategory.PermissionDenied, $"Argo CD does not permit this account to {action}: {message}", app),
            9 when message.Contains("auto-sync", StringComparison.OrdinalIgnoreCase) || message.Contains("automated", StringComparison.OrdinalIgnoreCase) =>
                new OpsException("ArgoAutoSyncEnabled", OpsErrorCategory.InvalidOperation, $"Argo CD application{where}: {message}", app)
                { RecommendedAction = "Turn automated sync off first: Undo-ArgoApplication -DisableAutoSync (it says how to turn it back on)." },
            9 or 10 when message.Contains("in progress", StringComparison.OrdinalIgnoreCase) =>
                new OpsException("ArgoOperationInProgress", OpsErrorCategory.ResourceBusy, $"Argo CD application{where}: {message}", app)
                { RecommendedAction = "Wait for it (Wait-ArgoApplication) or terminate it (Stop-ArgoOperation)." },
            9 => new OpsException("ArgoFailedPrecondition", OpsErrorCategory.InvalidOperation, $"Argo CD refused to {action}{where}: {message}", app),
            3 => new OpsException("ArgoInvalidArgument", OpsErrorCategory.InvalidArgument, $"Argo CD refused the request ({action}{where}): {message}", app),
            16 => new OpsException("ArgoUnauthenticated", OpsErrorCategory.AuthenticationError, $"Argo CD at {BaseAddress} refused the token ({action}): {message}", app, isFatal: true)
            { RecommendedAction = "Check the token: -TokenFile, ARGOCD_AUTH_TOKEN, the argocd CLI's config file (argocd login), or the context's ArgoCdTokenFile." },
            _ => new OpsException("ArgoCdServerError", OpsErrorCategory.ResourceUnavailable, $"Argo CD answered HTTP {(int)status} (gRPC code {code}) ({action}{where}): {message}", app),
        };
    }

    /// <summary>Removes the token from text the server or the transport produced (it should never be there; this makes sure).</summary>
    protected override string Scrub(string text) => string.IsNullOrEmpty(_token) ? text : text.Replace(_token, Redaction.Mask, StringComparison.Ordinal);

}
