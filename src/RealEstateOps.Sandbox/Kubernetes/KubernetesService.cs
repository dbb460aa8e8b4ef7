using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using RealEstateOps.Sandbox.Control;

namespace RealEstateOps.Sandbox.Kubernetes;

/// <summary>
/// The Kubernetes API as real kubectl and client libraries use it: legacy discovery, get/list (paged with
/// continue tokens, label and field selectors)/watch/create/replace/patch/delete for the served resources,
/// pods' log and eviction subresources (disruption budgets: 429 with the budget's message, 500 for several
/// budgets), metrics.k8s.io, bearer-token users (sandbox-admin, sandbox-readonly for RBAC refusals; their
/// tokens are random for each start, and any other token, or none, gets 401 as from a real API server), and
/// the controllers on a timer. Control endpoints under /_sandbox/kubernetes seed bulk pods for the bench and
/// count the open watches.
/// </summary>
public sealed class KubernetesService : ISandboxService
{
    private static readonly string[] Prefixes = { "/api", "/apis", "/version", "/openapi", "/healthz", "/livez", "/readyz" };
    private static readonly JsonSerializerOptions Compact = new() { WriteIndented = false };

    public string Name => "kubernetes";

    public KubeStore? Store { get; private set; }
    /// <summary>A request for a group/version/resource this API server does not serve (EKS's upgrade insights count deprecated ones).</summary>
    public event Action<KubeApiRequest>? UnservedApiRequested;
    public KubeController? Controller { get; private set; }
    public KubePlatform? Platform { get; private set; }
    /// <summary>The watch responses (and how many are open).</summary>
    public KubeWatch? Watches { get; private set; }
    /// <summary>Admission checks and operators for kinds that need them (PrometheusRule: Monitoring/PrometheusRuleController).</summary>
    public List<IKubeAdmission> Admissions { get; } = new();
    private KubeTelemetry? _telemetry;
    private SandboxContext? _sandbox;

    public bool Owns(HttpRequest request)
    {
        var path = request.Path.Value ?? "";
        if (!Prefixes.Any(p => path == p || path.StartsWith(p + "/", StringComparison.Ordinal))) return false;
        var auth = request.Headers.Authorization.ToString();
        return !auth.StartsWith("AWS4-", StringComparison.Ordinal) && !request.Query.ContainsKey("X-Amz-Credential");
    }

    public string OperationOf(HttpRequest request)
    {
        var q = request.Query;
        var verb = request.Method switch
        {
            "GET" when q["watch"] is { Count: > 0 } w && (w[0] == "true" || w[0] == "1") => "WATCH",
            _ => request.Method,
        };
        var segments = (request.Path.Value ?? "").Split('/', StringSplitOptions.RemoveEmptyEntries).ToList();
        // Collapse names so counts group by operation: GET pods/{name} vs GET pods.
        var rest = segments.Count > 0 && segments[0] == "api" ? segments.Skip(2).ToList() : segments.Skip(3).ToList();
        if (rest.Count >= 2 && rest[0] == "namespaces" && rest.Count > 2) rest = rest.Skip(2).ToList();
        var resource = rest.Count == 0 ? string.Join('/', segments) : rest[0] + (rest.Count > 1 ? "/{name}" : "") + (rest.Count > 2 ? "/" + rest[2] : "");
        return verb + " " + resource;
    }

    public FaultKind ThrottleFault => new(429, "TooManyRequests");

    public Task WriteErrorAsync(HttpContext context, int status, string code, string message) =>
        WriteJson(context, new KubeApiException(status, code, message).ToStatus(), status);

    public void Map(IEndpointRouteBuilder endpoints, SandboxContext sandbox)
    {
        _sandbox = sandbox;
        Store = new KubeStore(sandbox.Clock);
        Controller = new KubeController(Store);
        Platform = new KubePlatform(Store);
        _telemetry = new KubeTelemetry(Store);
        Watches = new KubeWatch(Store, sandbox.Faults, sandbox.Requests, Name);
        Platform.Seed(sandbox.Platform);
        Controller.Tick();
        var stopping = endpoints.ServiceProvider.GetRequiredService<IHostApplicationLifetime>().ApplicationStopping;
        _ = Task.Run(async () =>
        {
            using var timer = new PeriodicTimer(TimeSpan.FromMilliseconds(200));
            try { while (await timer.WaitForNextTickAsync(stopping)) Controller.Tick(); }
            catch (OperationCanceledException) { }
        });

        foreach (var prefix in Prefixes)
        {
            endpoints.Map(prefix, Handle);
            endpoints.Map(prefix + "/{**rest}", Handle);
        }
        var control = endpoints.MapGroup(ControlEndpoints.Prefix + "/kubernetes");
        control.MapPost("/seed/drain", async (HttpRequest request) =>
        {
            var body = await request.ReadFromJsonAsync<JsonObject>() ?? new JsonObject();
            return Results.Json(Platform.SeedDrainBench((string?)body["node"] ?? "bench-node-1", JsonNumbers.Int(body["pods"]) ?? 200, JsonNumbers.Int(body["gracePeriodSeconds"]) ?? 2,
                JsonNumbers.Double(body["budgetReleaseSeconds"]) ?? 10, JsonNumbers.Int(body["guarded"]) ?? 20));
        });
        control.MapGet("/watches", () => Results.Json(new JsonObject { ["open"] = Watches.Open }));
        control.MapPost("/seed/pods", async (HttpRequest request) =>
        {
            var body = await request.ReadFromJsonAsync<JsonObject>() ?? new JsonObject();
            return Results.Json(Platform.SeedListBench((string?)body["namespace"] ?? "bench-list", JsonNumbers.Int(body["pods"]) ?? 5000));
        });
    }

    // ------------------------------------------------------------------ dispatch

    private async Task Handle(HttpContext http)
    {
        try
        {
            var user = Authenticate(http.Request, _sandbox!.Options.Secrets);
            var segments = (http.Request.Path.Value ?? "").Split('/', StringSplitOptions.RemoveEmptyEntries);
            switch (segments)
            {
                case ["version"]:
                    await WriteJson(http, Platform!.ServerVersion.ToJson());
                    return;
                case ["healthz"] or ["livez"] or ["readyz"]:
                    http.Response.ContentType = "text/plain";
                    await http.Response.WriteAsync("ok");
                    return;
                case ["openapi", "v3"]:
                    await WriteJson(http, KubeResources.OpenApiRoot());
                    return;
                case ["openapi", "v3", "api", var v1] when v1 == "v1":
                    await WriteJson(http, KubeResources.OpenApi("", v1));
                    return;
                case ["openapi", "v3", "apis", var g, var v] when KubeResources.Served.Any(r => r.Group == g && r.Version == v):
                    await WriteJson(http, KubeResources.OpenApi(g, v));
                    return;
                case ["openapi", ..]:
                    throw new KubeApiException(404, "NotFound", "the server could not find the requested resource");
                case ["api"]:
                    await WriteJson(http, KubeResources.ApiVersions($"{http.Request.Host}"));
                    return;
                case ["apis"]:
                    await WriteJson(http, KubeResources.GroupList());
                    return;
                case ["api", "v1"]:
                    await WriteJson(http, KubeResources.ResourceList("", "v1"));
                    return;
                case ["apis", var g] when KubeResources.Groups.Contains(g):
                    await WriteJson(http, KubeResources.Group(g));
                    return;
                case ["apis", var g, var v] when KubeResources.Served.Any(r => r.Group == g && r.Version == v):
                    await WriteJson(http, KubeResources.ResourceList(g, v));
                    return;
            }
            string group, version;
            string[] rest;
            if (segments.Length >= 3 && segments[0] == "api") { group = ""; version = segments[1]; rest = segments[2..]; }
            else if (segments.Length >= 4 && segments[0] == "apis") { group = segments[1]; version = segments[2]; rest = segments[3..]; }
            else throw new KubeApiException(404, "NotFound", "the server could not find the requested resource");

            string? ns = null;
            if (rest.Length >= 3 && rest[0] == "namespaces") { ns = rest[1]; rest = rest[2..]; }
            var resource = KubeResources.Find(group, version, rest[0]);
            if (resource is null)
            {
                UnservedApiRequested?.Invoke(new KubeApiRequest(group, version, rest[0], http.Request.Headers.UserAgent.ToString(), _sandbox!.Clock.UtcNow));
                throw new KubeApiException(404, "NotFound", "the server could not find the requested resource");
            }
            var name = rest.Length > 1 ? rest[1] : null;
            var sub = rest.Length > 2 ? rest[2] : null;
            if (resource.Namespaced && ns is null && name is not null) throw new KubeApiException(404, "NotFound", "the server could not find the requested resource");
            if (resource == KubeResources.Services && sub == "proxy" && ns is not null && name is not null && http.Request.Method is "GET" or "HEAD" or "POST")
            {
                // The service proxy (Kubernetes/KubeServiceProxy): answered as the service itself would.
                Authorize(user, HttpMethods.IsPost(http.Request.Method) ? "create" : "get", resource, sub, name, ns);
                await KubeServiceProxy.HandleAsync(http, Store!, _sandbox!, ns, name, string.Join('/', rest.Skip(3)));
                return;
            }

            if (resource == KubeResources.Pods && sub == "exec" && ns is not null && name is not null && http.Request.Method is "GET" or "POST")
            {
                // Exec (Kubernetes/KubePodExec): RBAC's verb is create whichever method carries the upgrade.
                Authorize(user, "create", resource, sub, name, ns);
                await KubePodExec.HandleAsync(http, Store!, _sandbox!, ns, name);
                return;
            }
            if (resource == KubeResources.Deployments && sub == "scale" && ns is not null && name is not null)
            {
                // The scale subresource (autoscaling/v1 Scale, Kubernetes/KubeScale): kubectl scale.
                var scaleVerb = http.Request.Method switch { "GET" => "get", "PUT" => "update", "PATCH" => "patch", _ => throw new KubeApiException(405, "MethodNotAllowed", "the server does not allow this method on the requested resource") };
                Authorize(user, scaleVerb, resource, sub, name, ns);
                var scaleBody = scaleVerb == "get" ? null : JsonNode.Parse(await new StreamReader(http.Request.Body).ReadToEndAsync()) ?? throw KubeApiException.BadRequest("empty body");
                await WriteJson(http, KubeScale.Handle(Store!, ns, name, scaleVerb, scaleBody, http.Request.ContentType ?? "", DryRun(http)));
                return;
            }

            var q = http.Request.Query;
            var watch = q["watch"] is { Count: > 0 } w && (w[0] == "true" || w[0] == "1");
            var verb = http.Request.Method switch
            {
                "GET" => name is null ? (watch ? "watch" : "list") : "get",
                "POST" => "create",
                "PUT" => "update",
                "PATCH" => "patch",
                "DELETE" => name is null ? "deletecollection" : "delete",
                _ => throw new KubeApiException(405, "MethodNotAllowed", $"the server does not allow this method on the requested resource"),
            };
            Authorize(user, verb, resource, sub, name, ns);

            if (!resource.Stored) { await Metrics(http, resource, ns, name); return; }
            if (sub == "log" && resource == KubeResources.Pods && verb == "get") { await Logs(http, ns!, name!); return; }
            if (sub == "eviction" && resource == KubeResources.Pods && verb == "create") { await Evict(http, ns!, name!); return; }
            if (sub is not null && sub != "status") throw new KubeApiException(404, "NotFound", "the server could not find the requested resource");

            switch (verb)
            {
                case "get" when KubeTable.Wanted(http.Request.Headers.Accept.ToString()):
                {
                    JsonObject table;
                    lock (Store!.Gate) table = KubeTable.Build(resource, new[] { Store.Require(resource, ns, name!) }, Store.Clock.UtcNow, Store.ResourceVersion.ToString(CultureInfo.InvariantCulture), null);
                    await WriteJson(http, table);
                    return;
                }
                case "get":
                    await WriteJson(http, KubeResources.InVersion(resource, Copy(Store!.Require(resource, ns, name!))));
                    return;
                case "list":
                    await List(http, resource, ns);
                    return;
                case "watch":
                    await Watches!.ServeAsync(http, resource, ns);
                    return;
                case "create":
                {
                    var body = await ReadBody(http);
                    var meta = KubeStore.Meta(body);
                    if (resource.Namespaced) { if (meta["namespace"] is { } bns && (string?)bns != ns) throw KubeApiException.BadRequest("the namespace of the provided object does not match the namespace sent on the request"); meta["namespace"] = ns; }
                    await AdmitAsync(resource, body, http.RequestAborted);
                    if (DryRun(http)) { await WriteJson(http, body, 201); return; }
                    var created = Copy(Store!.Create(resource, body));
                    await AppliedAsync(resource, created, http.RequestAborted);
                    await WriteJson(http, created, 201);
                    return;
                }
                case "update":
                {
                    var body = await ReadBody(http);
                    if (sub != "status") await AdmitAsync(resource, body, http.RequestAborted);
                    if (DryRun(http)) { await WriteJson(http, body); return; }
                    var replaced = Copy(Store!.Replace(resource, ns, name!, body, statusOnly: sub == "status"));
                    await AppliedAsync(resource, replaced, http.RequestAborted);
                    await WriteJson(http, replaced);
                    return;
                }
                case "patch":
                {
                    var patch = JsonNode.Parse(await new StreamReader(http.Request.Body).ReadToEndAsync()) ?? throw KubeApiException.BadRequest("empty patch");
                    JsonObject result;
                    if (Admission(resource) is not null && sub != "status")
                    {
                        // Admitted before it is stored: the patched object is checked outside the store's lock, then stored
                        // only if nobody changed the object meanwhile (else 409, as for any stale update).
                        JsonObject patched;
                        string? seenVersion;
                        lock (Store!.Gate)
                        {
                            var current = Store.Require(resource, ns, name!);
                            seenVersion = (string?)KubeStore.Meta(current)["resourceVersion"];
                            patched = KubePatch.Apply(current, http.Request.ContentType ?? "", patch);
                        }
                        await AdmitAsync(resource, patched, http.RequestAborted);
                        KubeStore.Meta(patched)["resourceVersion"] = seenVersion;
                        result = KubeResources.InVersion(resource, DryRun(http) ? patched : Copy(Store.Replace(resource, ns, name!, patched)));
                        if (!DryRun(http)) await AppliedAsync(resource, result, http.RequestAborted);
                        await WriteJson(http, result);
                        return;
                    }
                    lock (Store!.Gate)
                    {
                        var current = Store.Require(resource, ns, name!);
                        var patched = KubePatch.Apply(current, http.Request.ContentType ?? "", patch);
                        KubeStore.Meta(patched).Remove("resourceVersion");
                        result = DryRun(http) ? patched : Copy(Store.Replace(resource, ns, name!, patched, statusOnly: sub == "status"));
                    }
                    await WriteJson(http, result);
                    return;
                }
                case "delete":
                {
                    var options = http.Request.ContentLength > 0 || http.Request.Headers.TransferEncoding.Count > 0 ? await ReadBody(http) : new JsonObject();
                    long? grace = q["gracePeriodSeconds"] is { Count: > 0 } g ? long.Parse(g[0]!, CultureInfo.InvariantCulture) : JsonNumbers.Long(options["gracePeriodSeconds"]);
                    JsonObject result;
                    lock (Store!.Gate)
                    {
                        var current = Store.Require(resource, ns, name!);
                        if ((string?)options["preconditions"]?["uid"] is { } uid && uid != KubeStore.UidOf(current))
                            throw KubeApiException.Conflict(resource, name!, $"Precondition failed: UID in precondition: {uid}, UID in object meta: {KubeStore.UidOf(current)}");
                        if (DryRun(http)) result = Copy(current);
                        else if (resource == KubeResources.Pods) { Controller!.Terminate(current, grace); result = Copy(Store.Get(resource, ns, name!) ?? current); }
                        else { Store.Remove(resource, current); result = Copy(current); }
                    }
                    if (!DryRun(http) && resource != KubeResources.Pods && Admission(resource) is { } admission) await admission.DeletedAsync(result, http.RequestAborted);
                    await WriteJson(http, result);
                    return;
                }
                default:
                    throw new KubeApiException(405, "MethodNotAllowed", "the server does not allow this method on the requested resource");
            }
        }
        catch (KubeApiException ex)
        {
            if (!http.Response.HasStarted) await WriteJson(http, ex.ToStatus(), ex.Code);
        }
        catch (JsonException ex)
        {
            if (!http.Response.HasStarted) await WriteJson(http, KubeApiException.BadRequest("the body could not be decoded: " + ex.Message).ToStatus(), 400);
        }
        catch (OperationCanceledException) when (http.RequestAborted.IsCancellationRequested) { }
    }

    private IKubeAdmission? Admission(KubeResource resource) => Admissions.FirstOrDefault(a => a.Handles(resource));

    private Task AdmitAsync(KubeResource resource, JsonObject obj, CancellationToken ct) =>
        Admission(resource) is { } admission ? admission.ValidateAsync(obj, ct) : Task.CompletedTask;

    private Task AppliedAsync(KubeResource resource, JsonObject obj, CancellationToken ct) =>
        Admission(resource) is { } admission ? admission.AppliedAsync(obj, ct) : Task.CompletedTask;

    private static bool DryRun(HttpContext http) => http.Request.Query["dryRun"].Count > 0;

    private static JsonObject Copy(JsonObject o) { lock (o) return (JsonObject)o.DeepClone(); }

    private static async Task<JsonObject> ReadBody(HttpContext http)
    {
        var text = await new StreamReader(http.Request.Body).ReadToEndAsync();
        return JsonNode.Parse(text) as JsonObject ?? throw KubeApiException.BadRequest("the request body must be a JSON object");
    }

    private static async Task WriteJson(HttpContext http, JsonNode body, int status = 200)
    {
        http.Response.StatusCode = status;
        http.Response.ContentType = "application/json";
        await http.Response.WriteAsync(body.ToJsonString(Compact));
    }

    // ------------------------------------------------------------------ users and RBAC

    /// <summary>Paths a real cluster shows anonymous users (the system:public-info-viewer role).</summary>
    private static readonly string[] PublicPaths = { "/version", "/healthz", "/livez", "/readyz" };

    public async Task<bool> AuthenticateAsync(HttpContext context, SandboxContext sandbox)
    {
        try
        {
            Authenticate(context.Request, sandbox.Options.Secrets);
            return true;
        }
        catch (KubeApiException ex)
        {
            context.Response.Headers.WWWAuthenticate = "Bearer realm=\"sandbox-kubernetes\"";
            await WriteJson(context, ex.ToStatus(), ex.Code);
            return false;
        }
    }

    /// <summary>
    /// The user a bearer token names: sandbox-admin or sandbox-readonly, each with a token random for each
    /// start (in the kubeconfig Start-OpsSandbox writes). No token: anonymous, which may only read the
    /// version and health endpoints, as on a real cluster; a wrong token: 401 everywhere.
    /// </summary>
    private static string Authenticate(HttpRequest request, Security.SandboxSecrets secrets)
    {
        var auth = request.Headers.Authorization.ToString();
        if (auth.Length == 0)
        {
            var path = (request.Path.Value ?? "").TrimEnd('/');
            if (PublicPaths.Any(p => path == p || path.StartsWith(p + "/", StringComparison.Ordinal))) return "system:anonymous";
            throw new KubeApiException(401, "Unauthorized", "Unauthorized");
        }
        if (!auth.StartsWith("Bearer ", StringComparison.Ordinal)) throw new KubeApiException(401, "Unauthorized", "Unauthorized");
        var token = auth[7..].Trim();
        // An EKS token (aws eks get-token, or the module's own): a presigned STS URL signed by one of the sandbox's AWS keys for this cluster.
        if (Eks.EksTokenVerifier.IsEksToken(token))
            return new Eks.EksTokenVerifier(secrets, Eks.EksStore.ClusterName).Verify(token).User ?? throw new KubeApiException(401, "Unauthorized", "Unauthorized");
        if (Security.ControlToken.Matches(token, secrets.KubeAdminToken)) return "sandbox-admin";
        if (Security.ControlToken.Matches(token, secrets.KubeReadOnlyToken)) return "sandbox-readonly";
        throw new KubeApiException(401, "Unauthorized", "Unauthorized");
    }

    private static void Authorize(string user, string verb, KubeResource r, string? sub, string? name, string? ns)
    {
        if (user != "sandbox-readonly" || verb is "get" or "list" or "watch") return;
        var what = r.Plural + (sub is null ? "" : "/" + sub);
        throw new KubeApiException(403, "Forbidden",
            $"{what}{(name is null ? "" : $" \"{name}\"")} is forbidden: User \"{user}\" cannot {verb} resource \"{what}\" in API group \"{r.Group}\"" + (ns is null ? " at the cluster scope" : $" in the namespace \"{ns}\""),
            new JsonObject { ["name"] = name, ["group"] = r.Group, ["kind"] = r.Plural });
    }

    // ------------------------------------------------------------------ list

    private async Task List(HttpContext http, KubeResource r, string? ns)
    {
        var q = http.Request.Query;
        var labels = KubeSelectors.Labels(q["labelSelector"]);
        var fields = KubeSelectors.Fields(q["fieldSelector"]);
        var limit = q["limit"] is { Count: > 0 } l && int.TryParse(l[0], out var n) && n > 0 ? n : int.MaxValue;
        string? after = null;
        if (q["continue"] is { Count: > 0 } c && c[0] is { Length: > 0 } token)
        {
            try { after = Encoding.UTF8.GetString(Convert.FromBase64String(token)); }
            catch (FormatException) { throw KubeApiException.BadRequest("continue key is not valid"); }
        }
        var buffer = new MemoryStream();
        lock (Store!.Gate)
        {
            if (KubeTable.Wanted(http.Request.Headers.Accept.ToString()))
            {
                // kubectl get's server-side printing.
                var rows = new List<JsonObject>();
                string? last = null;
                var remaining = false;
                foreach (var (key, item) in Store.ItemsFrom(r, ns, after))
                {
                    if (!labels(item) || !fields(item)) continue;
                    if (rows.Count >= limit) { remaining = true; break; }
                    rows.Add(item);
                    last = key;
                }
                var table = KubeTable.Build(r, rows, Store.Clock.UtcNow, Store.ResourceVersion.ToString(CultureInfo.InvariantCulture),
                    remaining ? Convert.ToBase64String(Encoding.UTF8.GetBytes(last!)) : null);
                using var tableWriter = new Utf8JsonWriter(buffer);
                table.WriteTo(tableWriter);
            }
            else
            {
            using var writer = new Utf8JsonWriter(buffer);
            writer.WriteStartObject();
            writer.WriteString("kind", r.ListKind);
            writer.WriteString("apiVersion", r.GroupVersion);
            var items = new List<JsonObject>();
            string? lastKey = null;
            var more = 0;
            foreach (var (key, item) in Store.ItemsFrom(r, ns, after))
            {
                if (!labels(item) || !fields(item)) continue;
                if (items.Count >= limit) { more++; continue; }
                items.Add(item);
                lastKey = key;
            }
            writer.WriteStartObject("metadata");
            writer.WriteString("resourceVersion", Store.ResourceVersion.ToString(CultureInfo.InvariantCulture));
            if (more > 0)
            {
                writer.WriteString("continue", Convert.ToBase64String(Encoding.UTF8.GetBytes(lastKey!)));
                writer.WriteNumber("remainingItemCount", more);
            }
            writer.WriteEndObject();
            writer.WritePropertyName("items");
            writer.WriteStartArray();
            foreach (var item in items) KubeResources.InVersion(r, item).WriteTo(writer);
            writer.WriteEndArray();
            writer.WriteEndObject();
            }
        }
        http.Response.ContentType = "application/json";
        buffer.Position = 0;
        await buffer.CopyToAsync(http.Response.Body, http.RequestAborted);
    }

    // ------------------------------------------------------------------ subresources

    private async Task Evict(HttpContext http, string ns, string name)
    {
        _sandbox!.Requests.CountObject("kubernetes", "POST pods/{name}/eviction", ns + "/" + name);
        var body = await ReadBody(http);
        long? grace = JsonNumbers.Long(body["deleteOptions"]?["gracePeriodSeconds"]);
        var dryRun = DryRun(http) || body["deleteOptions"]?["dryRun"] is JsonArray { Count: > 0 };
        lock (Store!.Gate)
        {
            var pod = Store.Require(KubeResources.Pods, ns, name);
            if ((string?)body["deleteOptions"]?["preconditions"]?["uid"] is { } uid && uid != KubeStore.UidOf(pod))
                throw KubeApiException.Conflict(KubeResources.Pods, name, "Precondition failed: UID in precondition does not match");
            if (Controller!.EvictionRefusal(pod) is { } refusal) throw refusal;
            if (!dryRun) Controller.Terminate(pod, grace);
        }
        await WriteJson(http, new JsonObject { ["kind"] = "Status", ["apiVersion"] = "v1", ["metadata"] = new JsonObject(), ["status"] = "Success", ["code"] = 201 }, 201);
    }

    private async Task Logs(HttpContext http, string ns, string name)
    {
        var q = http.Request.Query;
        JsonObject pod;
        lock (Store!.Gate) pod = Copy(Store.Require(KubeResources.Pods, ns, name));
        var containers = (pod["spec"]?["containers"] as JsonArray)?.OfType<JsonObject>().Select(c => (string)c["name"]!).ToList() ?? new();
        var container = (string?)q["container"];
        if (string.IsNullOrEmpty(container))
        {
            if (containers.Count != 1)
                throw KubeApiException.BadRequest($"a container name must be specified for pod {name}, choose one of: [{string.Join(' ', containers)}]");
            container = containers[0];
        }
        else if (!containers.Contains(container))
            throw KubeApiException.BadRequest($"container {container} is not valid for pod {name}");
        if ((string?)pod["status"]?["phase"] is null or "Pending" && pod["status"]?["containerStatuses"] is null)
            throw KubeApiException.BadRequest($"container \"{container}\" in pod \"{name}\" is waiting to start: ContainerCreating");
        var previous = (string?)q["previous"] == "true";
        var timestamps = (string?)q["timestamps"] == "true";
        var follow = (string?)q["follow"] == "true";
        var lines = _telemetry!.Lines(pod, container, previous);
        if (q["sinceSeconds"] is { Count: > 0 } ss && long.TryParse(ss[0], out var since))
            lines = lines.Where(l => l.Time >= Store.Clock.UtcNow - TimeSpan.FromSeconds(since)).ToList();
        else if (q["sinceTime"] is { Count: > 0 } st && DateTimeOffset.TryParse(st[0], CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var sinceTime))
            lines = lines.Where(l => l.Time >= sinceTime).ToList();
        if (q["tailLines"] is { Count: > 0 } tl && int.TryParse(tl[0], out var tail) && tail >= 0) lines = lines.TakeLast(tail).ToList();
        http.Response.ContentType = "text/plain";
        var sb = new StringBuilder();
        foreach (var line in lines) sb.Append(KubeTelemetry.Format(line, timestamps));
        if (q["limitBytes"] is { Count: > 0 } lb && int.TryParse(lb[0], out var limitBytes) && sb.Length > limitBytes) sb.Length = limitBytes;
        await http.Response.WriteAsync(sb.ToString(), http.RequestAborted);
        if (!follow || previous) return;
        await http.Response.Body.FlushAsync(http.RequestAborted);
        var last = lines.Count > 0 ? lines[^1].Time : Store.Clock.UtcNow;
        while (!http.RequestAborted.IsCancellationRequested)
        {
            await Task.Delay(TimeSpan.FromMilliseconds(250), http.RequestAborted);
            JsonObject? current;
            lock (Store.Gate) current = Store.Get(KubeResources.Pods, ns, name) is { } p && KubeStore.UidOf(p) == KubeStore.UidOf(pod) ? Copy(p) : null;
            if (current is null || KubeStore.IsTerminating(current)) return;
            var fresh = _telemetry.Lines(current, container, false).Where(l => l.Time > last).ToList();
            if (fresh.Count == 0) continue;
            last = fresh[^1].Time;
            await http.Response.WriteAsync(string.Concat(fresh.Select(l => KubeTelemetry.Format(l, timestamps))), http.RequestAborted);
            await http.Response.Body.FlushAsync(http.RequestAborted);
        }
    }

    private async Task Metrics(HttpContext http, KubeResource r, string? ns, string? name)
    {
        if (r == KubeResources.NodeMetrics)
        {
            if (name is not null)
            {
                JsonObject node;
                lock (Store!.Gate) node = Store.Get(KubeResources.Nodes, null, name) ?? throw new KubeApiException(404, "NotFound", $"nodemetrics.metrics.k8s.io \"{name}\" not found");
                await WriteJson(http, _telemetry!.NodeMetrics(node).Also(o => { o["kind"] = "NodeMetrics"; o["apiVersion"] = "metrics.k8s.io/v1beta1"; }));
                return;
            }
            var labels = KubeSelectors.Labels(http.Request.Query["labelSelector"]);
            var items = _telemetry!.NodeMetricsList().Where(labels);
            await WriteJson(http, new JsonObject { ["kind"] = "NodeMetricsList", ["apiVersion"] = "metrics.k8s.io/v1beta1", ["metadata"] = new JsonObject(), ["items"] = new JsonArray(items.Select(i => (JsonNode)i).ToArray()) });
            return;
        }
        if (name is not null)
        {
            JsonObject pod;
            lock (Store!.Gate) pod = Store.Get(KubeResources.Pods, ns, name) is { } p && (string?)p["status"]?["phase"] == "Running" ? p : throw new KubeApiException(404, "NotFound", $"podmetrics.metrics.k8s.io \"{ns}/{name}\" not found");
            await WriteJson(http, _telemetry!.PodMetrics(pod).Also(o => { o["kind"] = "PodMetrics"; o["apiVersion"] = "metrics.k8s.io/v1beta1"; }));
            return;
        }
        var podLabels = KubeSelectors.Labels(http.Request.Query["labelSelector"]);
        var podItems = _telemetry!.PodMetricsList(ns).Where(podLabels);
        await WriteJson(http, new JsonObject { ["kind"] = "PodMetricsList", ["apiVersion"] = "metrics.k8s.io/v1beta1", ["metadata"] = new JsonObject(), ["items"] = new JsonArray(podItems.Select(i => (JsonNode)i).ToArray()) });
    }
}

internal static class JsonObjectExtensions
{
    public static JsonObject Also(this JsonObject o, Action<JsonObject> change) { change(o); return o; }
}
