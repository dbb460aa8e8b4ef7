using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Logging;
using RealEstateOps.Sandbox.Control;
using RealEstateOps.Sandbox.Kubernetes;

namespace RealEstateOps.Sandbox.ArgoCd;

/// <summary>
/// argocd-server's REST API (grpc-gateway over server/application/application.proto, server/session, server/version) for the
/// application real-estate-ai, whose manifests are in a real git repository (<see cref="ArgoGitRepository"/>) and whose
/// resources are the Kubernetes sandbox's objects: version and user info; list and get applications (refresh re-reads git);
/// resource tree and managed resources; sync, rollback, terminate; revision metadata; update and patch. Bearer token (or the
/// argocd.token cookie) of the sandbox. This class only routes: the state is <see cref="ArgoCdStore"/>, the wire format
/// <see cref="ArgoCdJson"/>, the controller <see cref="ArgoSyncController"/>. Routed before the Kubernetes API (which serves
/// /api): only Argo CD's own paths are claimed.
/// </summary>
public sealed class ArgoCdService : ISandboxService
{
    public const string CookieName = "argocd.token";
    private static readonly string[] OwnedPrefixes = { "/api/v1/applications", "/api/v1/session" };
    private readonly KubernetesService _kubernetes;
    private ArgoCdStore _store = null!;
    private ArgoSyncController _controller = null!;
    private readonly TaskCompletionSource _ready = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private string? _startFailure;

    public ArgoCdService(KubernetesService kubernetes) => _kubernetes = kubernetes;

    public string Name => "argocd";

    /// <summary>The state, once mapped (tests reach it).</summary>
    public ArgoCdStore Store => _store;
    public ArgoSyncController Controller => _controller;
    /// <summary>The platform's manifests repository (the application's repoURL), once mapped.</summary>
    public ArgoGitRepository Repository { get; private set; } = null!;
    /// <summary>Completes when the repository and the application are in place (the host has started).</summary>
    public Task Ready => _ready.Task;

    public bool Owns(HttpRequest request)
    {
        var path = request.Path.Value ?? "";
        return path == "/api/version" || OwnedPrefixes.Any(p => path == p || path.StartsWith(p + "/", StringComparison.Ordinal));
    }

    public string OperationOf(HttpRequest request) => (Segments(request), request.Method) switch
    {
        (["version"], _) => "Version",
        (["v1", "session", "userinfo"], _) => "GetUserInfo",
        (["v1", "applications"], "GET") => "ListApplications",
        (["v1", "applications", _], "GET") => "GetApplication",
        (["v1", "applications", _], "PUT") => "UpdateApplication",
        (["v1", "applications", _], "PATCH") => "PatchApplication",
        (["v1", "applications", _, "resource-tree"], _) => "ResourceTree",
        (["v1", "applications", _, "managed-resources"], _) => "ManagedResources",
        (["v1", "applications", _, "sync"], _) => "Sync",
        (["v1", "applications", _, "rollback"], _) => "Rollback",
        (["v1", "applications", _, "operation"], _) => "TerminateOperation",
        (["v1", "applications", _, "revisions", _, "metadata"], _) => "RevisionMetadata",
        _ => request.Method + " " + request.Path,
    };

    public FaultKind ThrottleFault => new(503, "Unavailable");

    public Task WriteErrorAsync(HttpContext context, int status, string code, string message) =>
        ArgoCdJson.WriteErrorAsync(context, new ArgoCdFault(ArgoCdFault.CodeOf(status), message));

    /// <summary>The sandbox's Argo CD token as a bearer token or the argocd.token cookie; else 401 as argocd-server says it.</summary>
    public async Task<bool> AuthenticateAsync(HttpContext context, SandboxContext sandbox)
    {
        var header = context.Request.Headers.Authorization.ToString();
        string? token = header.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase) ? header[7..].Trim() : null;
        if (string.IsNullOrEmpty(token) && context.Request.Cookies.TryGetValue(CookieName, out var cookie)) token = cookie;
        ArgoCdFault? failure = null;
        if (string.IsNullOrEmpty(token)) failure = new ArgoCdFault(ArgoCdFault.Unauthenticated, "no session information");
        else if (!Same(token, sandbox.Options.Secrets.ArgoCdToken)) failure = new ArgoCdFault(ArgoCdFault.Unauthenticated, "invalid session: token signature is invalid");
        if (failure is null) return true;
        if (!context.Response.HasStarted) await ArgoCdJson.WriteErrorAsync(context, failure);
        return false;
    }

    private static bool Same(string a, string b) =>
        b.Length > 0 && CryptographicOperations.FixedTimeEquals(SHA256.HashData(Encoding.UTF8.GetBytes(a)), SHA256.HashData(Encoding.UTF8.GetBytes(b)));

    public void Map(IEndpointRouteBuilder endpoints, SandboxContext sandbox)
    {
        _store = new ArgoCdStore(sandbox.Clock);
        Repository = new ArgoGitRepository(sandbox.Options.StateDir);
        _controller = new ArgoSyncController(_store, Repository, () => _kubernetes.Store);
        var lifetime = endpoints.ServiceProvider.GetRequiredService<IHostApplicationLifetime>();
        var log = endpoints.ServiceProvider.GetService<ILoggerFactory>()?.CreateLogger("Sandbox.ArgoCd");
        // The Kubernetes sandbox seeds its objects when it is mapped (after this service): the repository is made from them
        // once the host has started, before it hands itself to its caller.
        lifetime.ApplicationStarted.Register(() =>
        {
            try
            {
                StartAsync(lifetime.ApplicationStopping).GetAwaiter().GetResult();
                _ready.TrySetResult();
            }
            catch (Exception ex) when (ex is ArgoGitException or IOException or UnauthorizedAccessException or System.ComponentModel.Win32Exception or Engine.Common.OpsException)
            {
                _startFailure = "Argo CD is not available in this sandbox: its git repository could not be made (" + ex.Message + ").";
                log?.LogWarning("{Message}", _startFailure);
                _ready.TrySetException(ex);
            }
        });
        _ = Task.Run(async () =>
        {
            try { await Ready; }
            catch (Exception) { return; }
            using var timer = new PeriodicTimer(TimeSpan.FromMilliseconds(200));
            var ticks = 0;
            try
            {
                while (await timer.WaitForNextTickAsync(lifetime.ApplicationStopping))
                {
                    try { await _controller.TickAsync(compare: ++ticks % 15 == 0, lifetime.ApplicationStopping); }
                    catch (ArgoCdFault ex) { log?.LogWarning("Argo CD controller: {Message}", ex.Message); }
                }
            }
            catch (OperationCanceledException) { }
        });
        endpoints.Map("/api/version", Handle);
        foreach (var prefix in OwnedPrefixes)
        {
            endpoints.Map(prefix, Handle);
            endpoints.Map(prefix + "/{**rest}", Handle);
        }
    }

    private async Task StartAsync(CancellationToken ct)
    {
        var kube = _kubernetes.Store ?? throw new ArgoGitException("the Kubernetes sandbox is not hosted");
        var current = ArgoCdSeed.CurrentManifests(kube);
        var now = _store.Clock.UtcNow;
        await Repository.EnsureAsync(new (string, DateTimeOffset, IReadOnlyDictionary<string, JsonObject>)[]
        {
            (ArgoCdSeed.PreviousRelease, now - TimeSpan.FromDays(3), ArgoCdSeed.PreviousManifests(current)),
            (ArgoCdSeed.CurrentRelease, now - TimeSpan.FromHours(26) - TimeSpan.FromMinutes(12), current),
        }, ct);
        await ArgoCdSeed.ApplicationAsync(_store, Repository, now, ct);
        await _controller.TickAsync(compare: true, ct);
    }

    private static string[] Segments(HttpRequest request) =>
        (request.Path.Value ?? "").Split('/', StringSplitOptions.RemoveEmptyEntries).Skip(1).Select(Uri.UnescapeDataString).ToArray();

    // ------------------------------------------------------------------ dispatch

    private async Task Handle(HttpContext http)
    {
        try
        {
            if (_startFailure is not null) throw new ArgoCdFault(ArgoCdFault.Unavailable, _startFailure);
            await Ready.WaitAsync(http.RequestAborted);
            var q = http.Request.Query;
            var method = http.Request.Method;
            JsonNode body = (Segments(http.Request), method) switch
            {
                (["version"], "GET") => ArgoCdJson.Version(),
                (["v1", "session", "userinfo"], "GET") => ArgoCdJson.UserInfo(),
                (["v1", "applications"], "GET") => List(q),
                (["v1", "applications", var name], "GET") => await GetAsync(name, q, http.RequestAborted),
                (["v1", "applications", var name], "PUT") => Update(name, await ArgoCdJson.BodyAsync(http)),
                (["v1", "applications", var name], "PATCH") => Patch(name, await ArgoCdJson.BodyAsync(http)),
                (["v1", "applications", var name, "resource-tree"], "GET") => ArgoResourceTree.Of(_store.Require(name), _store, _kubernetes.Store!),
                (["v1", "applications", var name, "managed-resources"], "GET") => await ManagedResourcesAsync(name, http.RequestAborted),
                (["v1", "applications", var name, "sync"], "POST") => Sync(name, await ArgoCdJson.BodyAsync(http)),
                (["v1", "applications", var name, "rollback"], "POST") => Rollback(name, await ArgoCdJson.BodyAsync(http)),
                (["v1", "applications", var name, "operation"], "DELETE") => Terminate(name),
                (["v1", "applications", var name, "revisions", var revision, "metadata"], "GET") => await MetadataAsync(name, revision, http.RequestAborted),
                _ => throw new ArgoCdFault(ArgoCdFault.NotFound, "Not Found"),
            };
            await ArgoCdJson.WriteAsync(http, body);
        }
        catch (ArgoCdFault f)
        {
            if (!http.Response.HasStarted) await ArgoCdJson.WriteErrorAsync(http, f);
        }
        catch (OperationCanceledException) when (http.RequestAborted.IsCancellationRequested) { }
    }

    private JsonObject Render(ArgoApplication app)
    {
        lock (_store.Gate) return ArgoCdJson.Application(app, _store.Clock.UtcNow);
    }

    private JsonObject List(IQueryCollection q)
    {
        var names = q["name"].Where(n => !string.IsNullOrEmpty(n)).ToHashSet(StringComparer.Ordinal);
        var projects = q["projects"].Concat(q["project"]).Where(p => !string.IsNullOrEmpty(p)).ToHashSet(StringComparer.Ordinal);
        var selector = q["selector"].ToString();
        var items = new List<JsonObject>();
        long rv = 0;
        foreach (var app in _store.All())
        {
            lock (_store.Gate)
            {
                if (names.Count > 0 && !names.Contains(app.Name)) continue;
                if (projects.Count > 0 && !projects.Contains(app.Project)) continue;
                if (selector.Length > 0 && !Matches(selector, app.Labels)) continue;
                rv = Math.Max(rv, app.ResourceVersion);
            }
            items.Add(Render(app));
        }
        return ArgoCdJson.ApplicationList(items, rv);
    }

    /// <summary>A label selector of equality terms (a=b, a==b, a!=b, a, !a), comma-separated.</summary>
    private static bool Matches(string selector, JsonObject labels)
    {
        foreach (var raw in selector.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            string? Value(string key) => (string?)labels[key.Trim()];
            if (raw.Contains("!=", StringComparison.Ordinal)) { var p = raw.Split("!=", 2); if (Value(p[0]) == p[1].Trim()) return false; }
            else if (raw.Contains('=')) { var p = raw.Replace("==", "=", StringComparison.Ordinal).Split('=', 2); if (Value(p[0]) != p[1].Trim()) return false; }
            else if (raw.StartsWith('!')) { if (Value(raw[1..]) is not null) return false; }
            else if (Value(raw) is null) return false;
        }
        return true;
    }

    private async Task<JsonObject> GetAsync(string name, IQueryCollection q, CancellationToken ct)
    {
        var app = _store.Require(name);
        if (q["refresh"].ToString() is "normal" or "hard" or "true") await _controller.RefreshAsync(app, ct);
        return Render(app);
    }

    private JsonObject Update(string name, JsonObject body)
    {
        var app = _store.Require(name);
        if (body["metadata"]?["name"] is { } n && (string?)n != name) throw ArgoCdFault.Invalid($"application name '{(string?)n}' does not match the path's '{name}'");
        if (body["spec"] is not JsonObject spec) throw ArgoCdFault.Invalid("application spec is missing");
        Apply(app, spec, body["metadata"] as JsonObject);
        return Render(app);
    }

    private JsonObject Patch(string name, JsonObject body)
    {
        var app = _store.Require(name);
        var patchText = (string?)body["patch"] ?? throw ArgoCdFault.Invalid("patch is missing");
        var patchType = (string?)body["patchType"] is { Length: > 0 } t ? t : "json";
        JsonNode patch;
        try { patch = JsonNode.Parse(patchText) ?? throw ArgoCdFault.Invalid("patch is empty"); }
        catch (System.Text.Json.JsonException ex) { throw ArgoCdFault.Invalid("invalid patch: " + ex.Message); }
        var contentType = patchType switch
        {
            "merge" => "application/merge-patch+json",
            "json" => "application/json-patch+json",
            _ => throw ArgoCdFault.Invalid($"Patch type '{patchType}' is not supported"),
        };
        JsonObject current;
        lock (_store.Gate) current = new JsonObject { ["metadata"] = new JsonObject { ["name"] = app.Name, ["labels"] = app.Labels.DeepClone(), ["annotations"] = app.Annotations.DeepClone() }, ["spec"] = app.Spec.DeepClone() };
        JsonObject patched;
        try { patched = KubePatch.Apply(current, contentType, patch); }
        catch (KubeApiException ex) { throw ArgoCdFault.Invalid(ex.Message); }
        Apply(app, patched["spec"] as JsonObject ?? throw ArgoCdFault.Invalid("application spec is missing"), patched["metadata"] as JsonObject);
        return Render(app);
    }

    private void Apply(ArgoApplication app, JsonObject spec, JsonObject? metadata)
    {
        if (spec["source"]?["repoURL"] is null || spec["destination"] is not JsonObject) throw ArgoCdFault.Invalid("application spec for " + app.Name + " is invalid: InvalidSpecError: spec.source.repoURL and spec.destination are required");
        lock (_store.Gate)
        {
            var changed = !JsonNode.DeepEquals(spec, app.Spec);
            app.Spec = (JsonObject)spec.DeepClone();
            if (metadata?["labels"] is JsonObject labels) app.Labels = (JsonObject)labels.DeepClone();
            if (metadata?["annotations"] is JsonObject annotations) app.Annotations = (JsonObject)annotations.DeepClone();
            _store.Touch(app, changed);
        }
    }

    private JsonObject Sync(string name, JsonObject body)
    {
        var app = _store.Require(name);
        var sync = new JsonObject();
        if ((string?)body["revision"] is { Length: > 0 } revision) sync["revision"] = revision;
        if (ArgoCdJson.Bool(body["prune"])) sync["prune"] = true;
        if (ArgoCdJson.Bool(body["dryRun"])) sync["dryRun"] = true;
        sync["syncStrategy"] = body["strategy"] is JsonObject strategy && strategy.Count > 0 ? strategy.DeepClone() : new JsonObject { ["hook"] = new JsonObject() };
        if (body["resources"] is JsonArray { Count: > 0 } resources) sync["resources"] = resources.DeepClone();
        if (body["syncOptions"]?["items"] is JsonArray { Count: > 0 } options) sync["syncOptions"] = options.DeepClone();
        _controller.StartOperation(app, sync, new JsonObject { ["username"] = "admin" });
        return Render(app);
    }

    private JsonObject Rollback(string name, JsonObject body)
    {
        var app = _store.Require(name);
        var id = ArgoCdJson.Int64(body["id"]) ?? 0;
        JsonObject sync;
        lock (_store.Gate)
        {
            if (app.Automated) throw new ArgoCdFault(ArgoCdFault.FailedPrecondition, "rollback cannot be initiated when auto-sync is enabled");
            var entry = app.History.FirstOrDefault(h => ArgoCdJson.Int64(h["id"]) == id)
                        ?? throw ArgoCdFault.Invalid($"application {app.Name} does not have deployment with id {id}");
            sync = new JsonObject { ["revision"] = entry["revision"]!.DeepClone(), ["source"] = entry["source"]?.DeepClone(), ["syncStrategy"] = new JsonObject { ["hook"] = new JsonObject() } };
            if (ArgoCdJson.Bool(body["prune"])) sync["prune"] = true;
            if (ArgoCdJson.Bool(body["dryRun"])) sync["dryRun"] = true;
        }
        _controller.StartOperation(app, sync, new JsonObject { ["username"] = "admin" });
        return Render(app);
    }

    private JsonObject Terminate(string name)
    {
        _controller.Terminate(_store.Require(name));
        return new JsonObject();
    }

    private async Task<JsonObject> MetadataAsync(string name, string revision, CancellationToken ct)
    {
        _store.Require(name);
        try { return ArgoCdJson.RevisionMetadata(await Repository.MetadataAsync(revision, ct)); }
        catch (ArgoGitException ex) { throw new ArgoCdFault(2, "rpc error: code = Unknown desc = " + ex.Message); }
    }

    private async Task<JsonObject> ManagedResourcesAsync(string name, CancellationToken ct)
    {
        var app = _store.Require(name);
        string sha, path, ns;
        lock (_store.Gate) (sha, path, ns) = (app.ComparedRevision ?? "", app.SourcePath, app.DestinationNamespace);
        IReadOnlyList<ArgoManifest> manifests;
        try { manifests = await Repository.ManifestsAsync(sha, path, ct); }
        catch (ArgoGitException ex) { throw new ArgoCdFault(2, ex.Message); }
        return ArgoResourceTree.Managed(manifests, ns, _kubernetes.Store!);
    }
}
