using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.AspNetCore.Routing.Patterns;
using RealEstateOps.Sandbox.Control;
using RealEstateOps.Sandbox.Kubernetes;

namespace RealEstateOps.Sandbox.Eks;

/// <summary>
/// Amazon EKS (REST-JSON, API 2017-11-01, signed for "eks") over the sandbox's Kubernetes API: the cluster
/// real-estate-ai-cluster, its managed node groups (views of the Kubernetes nodes), updates moved forward on the sandbox
/// clock (<see cref="NodeGroupUpdater"/>, <see cref="ClusterUpdater"/>, <see cref="AddonUpdater"/>, <see cref="NodeGroupScaler"/>),
/// the add-on catalogue (<see cref="EksAddonCatalog"/>) and upgrade insights (<see cref="EksInsights"/>). This class only
/// routes: the state is <see cref="EksStore"/>, the wire format <see cref="EksJson"/>. Control endpoints under
/// /_sandbox/eks: the updates' phases, and deprecated-API usage for the insights.
/// </summary>
public sealed class EksService : ISandboxService
{
    private readonly KubernetesService _kubernetes;
    private EksStore _store = null!;
    private EksJson _json = null!;

    public EksService(KubernetesService kubernetes) => _kubernetes = kubernetes;

    public string Name => "eks";

    /// <summary>The state, once mapped (tests reach it to set up situations the API cannot).</summary>
    public EksStore Store => _store;

    public bool Owns(HttpRequest request) =>
        request.Headers.Authorization.ToString().Contains("/eks/aws4_request", StringComparison.Ordinal) ||
        request.Query["X-Amz-Credential"].ToString().Contains("/eks/", StringComparison.Ordinal);

    public string OperationOf(HttpRequest request)
    {
        var s = Segments(request);
        var post = HttpMethods.IsPost(request.Method);
        return s switch
        {
            ["clusters"] => post ? "CreateCluster" : "ListClusters",
            ["clusters", _] => "DescribeCluster",
            ["clusters", _, "updates"] => post ? "UpdateClusterVersion" : "ListUpdates",
            ["clusters", _, "updates", _] => "DescribeUpdate",
            ["clusters", _, "node-groups"] => "ListNodegroups",
            ["clusters", _, "node-groups", _] => "DescribeNodegroup",
            ["clusters", _, "node-groups", _, "update-version"] => "UpdateNodegroupVersion",
            ["clusters", _, "node-groups", _, "update-config"] => "UpdateNodegroupConfig",
            ["clusters", _, "addons"] => "ListAddons",
            ["clusters", _, "addons", _] => "DescribeAddon",
            ["clusters", _, "addons", _, "update"] => "UpdateAddon",
            ["clusters", _, "insights"] => "ListInsights",
            ["clusters", _, "insights", _] => "DescribeInsight",
            ["addons", "supported-versions"] => "DescribeAddonVersions",
            _ => request.Method + " " + request.Path,
        };
    }

    public FaultKind ThrottleFault => new(429, "ThrottlingException");

    /// <summary>Errors in EKS's shape; the fault injector's generic server errors under EKS's names.</summary>
    public Task WriteErrorAsync(HttpContext context, int status, string code, string message)
    {
        code = code switch
        {
            "ServiceUnavailable" => "ServiceUnavailableException",
            "InternalError" => "ServerException",
            "Throttling" => "ThrottlingException",
            _ => code,
        };
        return EksJson.WriteErrorAsync(context, status, code, message);
    }

    /// <summary>A SigV4 signature (service eks) by one of the sandbox's keys; refusals as AWS's REST-JSON services word them.</summary>
    public async Task<bool> AuthenticateAsync(HttpContext context, SandboxContext sandbox)
    {
        var result = await sandbox.SigV4.VerifyAsync(context.Request, context.RequestAborted);
        if (result.Ok) return true;
        var (status, code, message) = result.Failure switch
        {
            Security.SigV4Failure.Missing => (403, "MissingAuthenticationTokenException", "Missing Authentication Token"),
            Security.SigV4Failure.Malformed => (403, "IncompleteSignatureException", result.Message),
            Security.SigV4Failure.MissingDate => (403, "IncompleteSignatureException", "Authorization header requires existence of either a 'X-Amz-Date' or a 'Date' header."),
            Security.SigV4Failure.UnknownAccessKey => (403, "UnrecognizedClientException", "The security token included in the request is invalid."),
            Security.SigV4Failure.Skewed or Security.SigV4Failure.Expired => (403, "InvalidSignatureException", "Signature expired: " + result.Message),
            _ => (403, "InvalidSignatureException", "The request signature we calculated does not match the signature you provided. Check your AWS Secret Access Key and signing method. Consult the service documentation for details."),
        };
        if (!context.Response.HasStarted) await WriteErrorAsync(context, status, code, message);
        return false;
    }

    public void Map(IEndpointRouteBuilder endpoints, SandboxContext sandbox)
    {
        _store = new EksStore(sandbox.Clock, _kubernetes);
        _store.Access = () => (sandbox.KubernetesUrl?.ToString(), sandbox.CertificatePem);
        _json = new EksJson(_store);
        _store.Seed();
        _kubernetes.UnservedApiRequested += _store.RecordApiRequest;
        var stopping = endpoints.ServiceProvider.GetRequiredService<IHostApplicationLifetime>().ApplicationStopping;
        _ = Task.Run(async () =>
        {
            using var timer = new PeriodicTimer(TimeSpan.FromMilliseconds(200));
            try { while (await timer.WaitForNextTickAsync(stopping)) _store.Tick(); }
            catch (OperationCanceledException) { }
        });

        // EKS's paths (/clusters..., /addons/...), for requests signed for eks only: S3 keeps its buckets of those names.
        var owned = new OwnedBy(this);
        foreach (var pattern in new[] { "/{root}", "/{root}/{**rest}" })
            endpoints.Map(RoutePatternFactory.Parse(pattern, null, new { root = owned }), Handle);

        var control = endpoints.MapGroup(ControlEndpoints.Prefix + "/eks");
        control.MapGet("/updates", () => Results.Json(_store.UpdatesState(), SandboxHost.Json));
        control.MapPost("/deprecated-apis", async (HttpRequest request) =>
        {
            DeprecatedApiRequest? body;
            try { body = await request.ReadFromJsonAsync<DeprecatedApiRequest>(SandboxHost.Json); }
            catch (JsonException) { body = null; }
            if (body is null || string.IsNullOrWhiteSpace(body.ApiVersion) || string.IsNullOrWhiteSpace(body.Resource) || !EksReleases.IsMinor(body.StopServingVersion)
                || body.Requests is < 0 or > 10_000)
                return Results.Json(new { code = "InvalidDeprecatedApi", message = "Give apiVersion (group/version), resource, stopServingVersion (1.NN), optionally replacedWith, userAgent and requests (0 to 10000)." }, SandboxHost.Json, statusCode: 400);
            var api = new EksDeprecatedApi(body.ApiVersion, body.Resource, body.StopServingVersion!, body.ReplacedWith ?? "", body.StartServingReplacementVersion ?? "");
            _store.AddDeprecatedApi(api);
            var slash = body.ApiVersion.LastIndexOf('/');
            for (var i = 0; i < body.Requests; i++)
                _store.RecordApiRequest(new KubeApiRequest(slash < 0 ? "" : body.ApiVersion[..slash], body.ApiVersion[(slash + 1)..], body.Resource, body.UserAgent ?? "sandbox-control", sandbox.Clock.UtcNow));
            return Results.Json(new { usage = api.Usage, api.StopServingVersion, recorded = body.Requests }, SandboxHost.Json);
        });
    }

    private sealed record DeprecatedApiRequest(string? ApiVersion, string? Resource, string? StopServingVersion, string? ReplacedWith, string? StartServingReplacementVersion, string? UserAgent, int Requests);

    private sealed class OwnedBy : IRouteConstraint
    {
        private readonly EksService _service;
        public OwnedBy(EksService service) => _service = service;
        public bool Match(HttpContext? httpContext, IRouter? route, string routeKey, RouteValueDictionary values, RouteDirection routeDirection) =>
            httpContext is not null && values[routeKey] is "clusters" or "addons" && _service.Owns(httpContext.Request);
    }

    private static string[] Segments(HttpRequest request) =>
        (request.Path.Value ?? "").Split('/', StringSplitOptions.RemoveEmptyEntries).Select(Uri.UnescapeDataString).ToArray();

    // ------------------------------------------------------------------ dispatch

    private async Task Handle(HttpContext http)
    {
        try
        {
            var q = http.Request.Query;
            var get = HttpMethods.IsGet(http.Request.Method);
            var post = HttpMethods.IsPost(http.Request.Method);
            JsonObject result = Segments(http.Request) switch
            {
                ["clusters"] when get => ListClusters(q),
                ["clusters", var c] when get => new JsonObject { ["cluster"] = Describe(c) },
                ["clusters", var c, "updates"] when post => UpdateClusterVersion(c, await BodyAsync(http)),
                ["clusters", var c, "updates"] when get => ListUpdates(c, q),
                ["clusters", var c, "updates", var id] when get =>
                    new JsonObject { ["update"] = EksJson.Update(_store.RequireUpdate(c, id, Optional(q, "nodegroupName"), Optional(q, "addonName"))) },
                ["clusters", var c, "node-groups"] when get => ListNodegroups(c, q),
                ["clusters", var c, "node-groups", var ng] when get => new JsonObject { ["nodegroup"] = _json.Nodegroup(_store.RequireNodegroup(c, ng)) },
                ["clusters", var c, "node-groups", var ng, "update-version"] when post => UpdateNodegroupVersion(c, ng, await BodyAsync(http)),
                ["clusters", var c, "node-groups", var ng, "update-config"] when post => UpdateNodegroupConfig(c, ng, await BodyAsync(http)),
                ["clusters", var c, "addons"] when get => ListAddons(c, q),
                ["clusters", var c, "addons", var a] when get => new JsonObject { ["addon"] = _json.Addon(_store.RequireAddon(c, a)) },
                ["clusters", var c, "addons", var a, "update"] when post => UpdateAddon(c, a, await BodyAsync(http)),
                ["clusters", var c, "insights"] when post => ListInsights(c, await BodyAsync(http)),
                ["clusters", var c, "insights", var id] when get => DescribeInsight(c, id),
                ["addons", "supported-versions"] when get => DescribeAddonVersions(q),
                _ => throw new EksFault(404, "NotFoundException", $"No operation of this sandbox's EKS matches {http.Request.Method} {http.Request.Path}."),
            };
            await EksJson.WriteAsync(http, result);
        }
        catch (EksFault f)
        {
            if (!http.Response.HasStarted) await EksJson.WriteFaultAsync(http, f);
        }
        catch (OperationCanceledException) when (http.RequestAborted.IsCancellationRequested) { }
    }

    private static async Task<JsonObject> BodyAsync(HttpContext http)
    {
        var text = await new StreamReader(http.Request.Body, Encoding.UTF8).ReadToEndAsync(http.RequestAborted);
        if (string.IsNullOrWhiteSpace(text)) return new JsonObject();
        try { return JsonNode.Parse(text) as JsonObject ?? throw EksFault.InvalidParameter("The request body must be a JSON object."); }
        catch (JsonException ex) { throw new EksFault(400, "SerializationException", "The request body is not valid JSON: " + ex.Message); }
    }

    private static string? Optional(IQueryCollection q, string name) => q[name] is { Count: > 0 } v && !string.IsNullOrEmpty(v[0]) ? v[0] : null;

    private static string? Str(JsonObject body, string name)
    {
        try { return (string?)body[name]; }
        catch (InvalidOperationException) { throw EksFault.InvalidParameter($"{name} must be a string."); }
    }

    private static bool Bool(JsonObject body, string name)
    {
        try { return (bool?)body[name] ?? false; }
        catch (InvalidOperationException) { throw EksFault.InvalidParameter($"{name} must be a boolean."); }
    }

    private static int? Int(JsonNode? node, string name)
    {
        if (node is null) return null;
        try { return (int)node; }
        catch (Exception ex) when (ex is InvalidOperationException or FormatException) { throw EksFault.InvalidParameter($"{name} must be an integer."); }
    }

    /// <summary>A page of a list: maxResults (1 to 100, default 100) items after the offset nextToken carries.</summary>
    private static (List<T> Page, string? NextToken) Page<T>(IReadOnlyList<T> all, string? maxResults, string? nextToken)
    {
        var max = 100;
        if (maxResults is not null && (!int.TryParse(maxResults, NumberStyles.None, CultureInfo.InvariantCulture, out max) || max is < 1 or > 100))
            throw EksFault.InvalidParameter("maxResults must be between 1 and 100.");
        var offset = 0;
        if (nextToken is not null)
        {
            try
            {
                var text = Encoding.UTF8.GetString(Convert.FromBase64String(nextToken));
                if (!text.StartsWith("offset:", StringComparison.Ordinal) || !int.TryParse(text[7..], NumberStyles.None, CultureInfo.InvariantCulture, out offset) || offset > all.Count)
                    throw new FormatException();
            }
            catch (FormatException) { throw EksFault.InvalidParameter("The nextToken is not valid."); }
        }
        var page = all.Skip(offset).Take(max).ToList();
        var next = offset + page.Count < all.Count ? Convert.ToBase64String(Encoding.UTF8.GetBytes("offset:" + (offset + page.Count).ToString(CultureInfo.InvariantCulture))) : null;
        return (page, next);
    }

    private static JsonArray Strings(IEnumerable<string> values) => new(values.Select(v => (JsonNode)v).ToArray());

    private static JsonObject Listed(string member, JsonArray items, string? next)
    {
        var o = new JsonObject { [member] = items };
        if (next is not null) o["nextToken"] = next;
        return o;
    }

    // ------------------------------------------------------------------ operations

    private JsonObject ListClusters(IQueryCollection q)
    {
        var (page, next) = Page(new[] { EksStore.ClusterName }, Optional(q, "maxResults"), Optional(q, "nextToken"));
        return Listed("clusters", Strings(page), next);
    }

    private JsonObject Describe(string cluster)
    {
        lock (_store.Gate)
        {
            _store.RequireCluster(cluster);
            return _json.Cluster();
        }
    }

    private JsonObject ListNodegroups(string cluster, IQueryCollection q)
    {
        _store.RequireCluster(cluster);
        var (page, next) = Page(_store.NodegroupNames, Optional(q, "maxResults"), Optional(q, "nextToken"));
        return Listed("nodegroups", Strings(page), next);
    }

    private JsonObject ListAddons(string cluster, IQueryCollection q)
    {
        _store.RequireCluster(cluster);
        var (page, next) = Page(_store.AddonNames, Optional(q, "maxResults"), Optional(q, "nextToken"));
        return Listed("addons", Strings(page), next);
    }

    private JsonObject ListUpdates(string cluster, IQueryCollection q)
    {
        _store.RequireCluster(cluster);
        var ng = Optional(q, "nodegroupName");
        var addon = Optional(q, "addonName");
        if (ng is not null) _store.RequireNodegroup(cluster, ng);
        if (addon is not null) _store.RequireAddon(cluster, addon);
        var (page, next) = Page(_store.UpdatesOf(ng, addon).Select(u => u.Id).ToList(), Optional(q, "maxResults"), Optional(q, "nextToken"));
        return Listed("updateIds", Strings(page), next);
    }

    private JsonObject DescribeAddonVersions(IQueryCollection q)
    {
        var version = Optional(q, "kubernetesVersion");
        if (version is not null && !EksReleases.IsMinor(version)) throw EksFault.InvalidParameter($"Invalid kubernetesVersion {version}.");
        var name = Optional(q, "addonName");
        var types = q["types"].Where(t => !string.IsNullOrEmpty(t)).ToList();
        var publishers = q["publishers"].Where(t => !string.IsNullOrEmpty(t)).ToList();
        var owners = q["owners"].Where(t => !string.IsNullOrEmpty(t)).ToList();
        var addons = EksAddonCatalog.All
            .Where(a => name is null || a.Name == name)
            .Where(a => types.Count == 0 || types.Contains(a.Type))
            .Where(a => publishers.Count == 0 || publishers.Contains("eks"))
            .Where(a => owners.Count == 0 || owners.Contains("aws"))
            .Where(a => version is null || a.Versions.Any(v => v.ClusterVersions.Contains(version)))
            .ToList();
        var (page, next) = Page(addons, Optional(q, "maxResults"), Optional(q, "nextToken"));
        return Listed("addons", new JsonArray(page.Select(a => (JsonNode)EksJson.AddonInfo(a, version)).ToArray()), next);
    }

    private JsonObject ListInsights(string cluster, JsonObject body)
    {
        _store.RequireCluster(cluster);
        var filter = body["filter"] as JsonObject;
        List<string> Values(string key) => (filter?[key] as JsonArray)?.Select(v => (string?)v).OfType<string>().ToList() ?? new List<string>();
        var categories = Values("categories");
        var versions = Values("kubernetesVersions");
        var statuses = Values("statuses");
        foreach (var c in categories.Where(c => c is not ("UPGRADE_READINESS" or "MISCONFIGURATION")))
            throw EksFault.InvalidParameter($"Invalid category {c}: use UPGRADE_READINESS or MISCONFIGURATION.", cluster);
        foreach (var s in statuses.Where(s => s is not ("PASSING" or "WARNING" or "ERROR" or "UNKNOWN")))
            throw EksFault.InvalidParameter($"Invalid status {s}: use PASSING, WARNING, ERROR or UNKNOWN.", cluster);
        List<EksInsight> insights;
        lock (_store.Gate) insights = EksInsights.For(_store);
        var now = _store.Clock.UtcNow;
        var selected = insights
            .Where(i => categories.Count == 0 || categories.Contains(EksInsight.Category))
            .Where(i => versions.Count == 0 || versions.Contains(i.KubernetesVersion))
            .Where(i => statuses.Count == 0 || statuses.Contains(i.Status))
            .ToList();
        var (page, next) = Page(selected, Int(body["maxResults"], "maxResults")?.ToString(CultureInfo.InvariantCulture), Str(body, "nextToken"));
        return Listed("insights", new JsonArray(page.Select(i => (JsonNode)_json.InsightSummary(i, now)).ToArray()), next);
    }

    private JsonObject DescribeInsight(string cluster, string id)
    {
        _store.RequireCluster(cluster);
        List<EksInsight> insights;
        lock (_store.Gate) insights = EksInsights.For(_store);
        var insight = insights.FirstOrDefault(i => i.Id == id) ?? throw EksFault.NotFound($"No insight found for id: {id}", cluster);
        return new JsonObject { ["insight"] = _json.Insight(insight, _store.Clock.UtcNow) };
    }

    private JsonObject UpdateClusterVersion(string cluster, JsonObject body)
    {
        var version = Str(body, "version") ?? throw EksFault.InvalidParameter("version is required.", cluster);
        var update = _store.UpdateClusterVersion(cluster, version, Bool(body, "force"), Str(body, "clientRequestToken"));
        return new JsonObject { ["update"] = EksJson.Update(update) };
    }

    private JsonObject UpdateNodegroupVersion(string cluster, string ng, JsonObject body)
    {
        var launchTemplate = body["launchTemplate"] is JsonObject { Count: > 0 };
        var update = _store.UpdateNodegroupVersion(cluster, ng, Str(body, "version"), Str(body, "releaseVersion"), launchTemplate, Bool(body, "force"), Str(body, "clientRequestToken"));
        return new JsonObject { ["update"] = EksJson.Update(update) };
    }

    private JsonObject UpdateNodegroupConfig(string cluster, string ng, JsonObject body)
    {
        foreach (var unsupported in new[] { "labels", "taints", "nodeRepairConfig", "warmPoolConfig" })
            if (body[unsupported] is not null) throw EksFault.InvalidParameter($"This sandbox's UpdateNodegroupConfig changes scalingConfig and updateConfig only, not {unsupported}.", cluster, ng);
        var scaling = body["scalingConfig"] as JsonObject;
        var updateConfig = body["updateConfig"] as JsonObject;
        if (updateConfig?["updateStrategy"] is not null) throw EksFault.InvalidParameter("updateStrategy is not supported by this sandbox.", cluster, ng);
        var update = _store.UpdateNodegroupConfig(cluster, ng, Int(scaling?["minSize"], "minSize"), Int(scaling?["maxSize"], "maxSize"), Int(scaling?["desiredSize"], "desiredSize"),
            Int(updateConfig?["maxUnavailable"], "maxUnavailable"), Int(updateConfig?["maxUnavailablePercentage"], "maxUnavailablePercentage"), Str(body, "clientRequestToken"));
        return new JsonObject { ["update"] = EksJson.Update(update) };
    }

    private JsonObject UpdateAddon(string cluster, string addon, JsonObject body)
    {
        if (body["podIdentityAssociations"] is JsonArray { Count: > 0 }) throw EksFault.InvalidParameter("podIdentityAssociations are not supported by this sandbox.", cluster, addon: addon);
        var update = _store.UpdateAddon(cluster, addon, Str(body, "addonVersion"), Str(body, "resolveConflicts"), Str(body, "serviceAccountRoleArn"), Str(body, "configurationValues"), Str(body, "clientRequestToken"));
        return new JsonObject { ["update"] = EksJson.Update(update) };
    }
}
