using System.Globalization;
using System.Net;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using RealEstateOps.Engine.Aws;
using RealEstateOps.Engine.Common;
using RealEstateOps.Engine.Http;

namespace RealEstateOps.Engine.Eks;

/// <summary>
/// EKS over its REST-JSON protocol (API version 2017-11-01), signed with SigV4 (service <c>eks</c>) and retried by the shared
/// RetryHandler (<see cref="AwsHttp.CreateSignedClient"/>). Reads are GETs (safe to repeat); ListInsights is a read sent as
/// POST and marked safe; the three updates are marked safe too because each carries a clientRequestToken made once per
/// logical update: a repeated attempt gets the update the first one started, never a second update.
/// </summary>
public sealed class EksClient : IEksClient, IDisposable
{
    public const string ApiVersion = "2017-11-01";

    /// <summary>The largest answer read into memory (16 MiB); a larger one is EksResponseTooLarge.</summary>
    public const long DefaultMaxResponseBytes = 16L * 1024 * 1024;

    private readonly HttpClient _http;
    private readonly bool _ownsHttp;
    private int _disposed;

    public EksClient(HttpClient http, bool ownsHttp = false)
    {
        _http = http;
        _ownsHttp = ownsHttp;
    }

    /// <param name="timeout">How long one request may take, retries included, before it is EksTimeout (default 2 minutes).</param>
    public static EksClient Create(AwsTarget target, RetryPolicy? policy = null, Action<HttpRequestMessage, int, string, TimeSpan>? onRetry = null, TimeSpan? timeout = null)
    {
        var http = AwsHttp.CreateSignedClient(target, policy, onRetry);
        http.Timeout = timeout ?? TimeSpan.FromMinutes(2);
        return new EksClient(http, ownsHttp: true);
    }

    /// <summary>The largest answer body read into memory; a larger one is EksResponseTooLarge.</summary>
    public long MaxResponseBytes { get; init; } = DefaultMaxResponseBytes;

    /// <summary>Where requests go (the endpoint override or AWS's regional endpoint).</summary>
    public Uri? BaseAddress => _http.BaseAddress;

    public void Dispose()
    {
        if (Interlocked.Exchange(ref _disposed, 1) == 0 && _ownsHttp) _http.Dispose();
    }

    // ---------------------------------------------------------------- clusters

    public async Task<EksPage<string>> ListClustersAsync(int? maxResults, string? nextToken, CancellationToken ct)
    {
        var o = await Call("ListClusters", HttpMethod.Get, "clusters", Query(("maxResults", Num(maxResults)), ("nextToken", nextToken)), null, null, ct).ConfigureAwait(false);
        return new EksPage<string>(EksJson.Strings(o["clusters"]), EksJson.Str(o, "nextToken"));
    }

    public async Task<EksCluster> DescribeClusterAsync(string name, CancellationToken ct)
    {
        var o = await Call("DescribeCluster", HttpMethod.Get, $"clusters/{Seg(name)}", null, null, name, ct).ConfigureAwait(false);
        return EksJson.Cluster(Required(o, "cluster", "DescribeCluster"));
    }

    public async Task<EksUpdate> UpdateClusterVersionAsync(EksClusterVersionUpdate request, CancellationToken ct)
    {
        var body = new JsonObject { ["version"] = request.KubernetesVersion, ["clientRequestToken"] = request.ClientRequestToken };
        var o = await Call("UpdateClusterVersion", HttpMethod.Post, $"clusters/{Seg(request.ClusterName)}/updates", null, body, request.ClusterName, ct).ConfigureAwait(false);
        return EksJson.Update(Required(o, "update", "UpdateClusterVersion"), request.ClusterName, null, null);
    }

    // ---------------------------------------------------------------- node groups

    public async Task<EksPage<string>> ListNodegroupsAsync(string clusterName, int? maxResults, string? nextToken, CancellationToken ct)
    {
        var o = await Call("ListNodegroups", HttpMethod.Get, $"clusters/{Seg(clusterName)}/node-groups",
            Query(("maxResults", Num(maxResults)), ("nextToken", nextToken)), null, clusterName, ct).ConfigureAwait(false);
        return new EksPage<string>(EksJson.Strings(o["nodegroups"]), EksJson.Str(o, "nextToken"));
    }

    public async Task<EksNodeGroup> DescribeNodegroupAsync(string clusterName, string nodegroupName, CancellationToken ct)
    {
        var o = await Call("DescribeNodegroup", HttpMethod.Get, $"clusters/{Seg(clusterName)}/node-groups/{Seg(nodegroupName)}", null, null,
            $"{clusterName}/{nodegroupName}", ct).ConfigureAwait(false);
        return EksJson.NodeGroup(Required(o, "nodegroup", "DescribeNodegroup"), clusterName);
    }

    public async Task<EksUpdate> UpdateNodegroupVersionAsync(EksNodeGroupVersionUpdate r, CancellationToken ct)
    {
        var body = new JsonObject { ["clientRequestToken"] = r.ClientRequestToken, ["force"] = r.ForceEvictPastDisruptionBudget };
        if (!string.IsNullOrEmpty(r.KubernetesVersion)) body["version"] = r.KubernetesVersion;
        if (!string.IsNullOrEmpty(r.ReleaseVersion)) body["releaseVersion"] = r.ReleaseVersion;
        if (r.LaunchTemplateName is not null || r.LaunchTemplateId is not null || r.LaunchTemplateVersion is not null)
        {
            var lt = new JsonObject();
            if (r.LaunchTemplateName is not null) lt["name"] = r.LaunchTemplateName;
            if (r.LaunchTemplateId is not null) lt["id"] = r.LaunchTemplateId;
            if (r.LaunchTemplateVersion is not null) lt["version"] = r.LaunchTemplateVersion;
            body["launchTemplate"] = lt;
        }
        var target = $"{r.ClusterName}/{r.NodeGroupName}";
        var o = await Call("UpdateNodegroupVersion", HttpMethod.Post, $"clusters/{Seg(r.ClusterName)}/node-groups/{Seg(r.NodeGroupName)}/update-version",
            null, body, target, ct).ConfigureAwait(false);
        return EksJson.Update(Required(o, "update", "UpdateNodegroupVersion"), r.ClusterName, r.NodeGroupName, null);
    }

    // ---------------------------------------------------------------- updates

    public async Task<EksPage<string>> ListUpdatesAsync(string clusterName, string? nodegroupName, string? addonName, int? maxResults, string? nextToken, CancellationToken ct)
    {
        var o = await Call("ListUpdates", HttpMethod.Get, $"clusters/{Seg(clusterName)}/updates",
            Query(("nodegroupName", nodegroupName), ("addonName", addonName), ("maxResults", Num(maxResults)), ("nextToken", nextToken)), null,
            clusterName, ct).ConfigureAwait(false);
        return new EksPage<string>(EksJson.Strings(o["updateIds"]), EksJson.Str(o, "nextToken"));
    }

    public async Task<EksUpdate> DescribeUpdateAsync(string clusterName, string updateId, string? nodegroupName, string? addonName, CancellationToken ct)
    {
        var o = await Call("DescribeUpdate", HttpMethod.Get, $"clusters/{Seg(clusterName)}/updates/{Seg(updateId)}",
            Query(("nodegroupName", nodegroupName), ("addonName", addonName)), null, updateId, ct).ConfigureAwait(false);
        return EksJson.Update(Required(o, "update", "DescribeUpdate"), clusterName, nodegroupName, addonName);
    }

    // ---------------------------------------------------------------- add-ons

    public async Task<EksPage<string>> ListAddonsAsync(string clusterName, int? maxResults, string? nextToken, CancellationToken ct)
    {
        var o = await Call("ListAddons", HttpMethod.Get, $"clusters/{Seg(clusterName)}/addons",
            Query(("maxResults", Num(maxResults)), ("nextToken", nextToken)), null, clusterName, ct).ConfigureAwait(false);
        return new EksPage<string>(EksJson.Strings(o["addons"]), EksJson.Str(o, "nextToken"));
    }

    public async Task<EksAddon> DescribeAddonAsync(string clusterName, string addonName, CancellationToken ct)
    {
        var o = await Call("DescribeAddon", HttpMethod.Get, $"clusters/{Seg(clusterName)}/addons/{Seg(addonName)}", null, null,
            $"{clusterName}/{addonName}", ct).ConfigureAwait(false);
        return EksJson.Addon(Required(o, "addon", "DescribeAddon"), clusterName);
    }

    public async Task<EksPage<EksAddonCatalogEntry>> DescribeAddonVersionsAsync(string? kubernetesVersion, string? addonName, int? maxResults, string? nextToken, CancellationToken ct)
    {
        var o = await Call("DescribeAddonVersions", HttpMethod.Get, "addons/supported-versions",
            Query(("kubernetesVersion", kubernetesVersion), ("addonName", addonName), ("maxResults", Num(maxResults)), ("nextToken", nextToken)), null,
            addonName ?? kubernetesVersion, ct).ConfigureAwait(false);
        return new EksPage<EksAddonCatalogEntry>(EksJson.Objects(o["addons"]).Select(EksJson.CatalogEntry).ToList(), EksJson.Str(o, "nextToken"));
    }

    public async Task<EksUpdate> UpdateAddonAsync(EksAddonUpdate r, CancellationToken ct)
    {
        var body = new JsonObject { ["clientRequestToken"] = r.ClientRequestToken };
        if (!string.IsNullOrEmpty(r.AddonVersion)) body["addonVersion"] = r.AddonVersion;
        if (r.ResolveConflicts is { } rc) body["resolveConflicts"] = rc.ToString().ToUpperInvariant();
        var o = await Call("UpdateAddon", HttpMethod.Post, $"clusters/{Seg(r.ClusterName)}/addons/{Seg(r.AddonName)}/update", null, body,
            $"{r.ClusterName}/{r.AddonName}", ct).ConfigureAwait(false);
        return EksJson.Update(Required(o, "update", "UpdateAddon"), r.ClusterName, null, r.AddonName);
    }

    // ---------------------------------------------------------------- insights

    public async Task<EksPage<EksInsight>> ListInsightsAsync(string clusterName, EksInsightFilter? filter, int? maxResults, string? nextToken, CancellationToken ct)
    {
        var body = new JsonObject();
        if (filter is not null)
        {
            var f = new JsonObject();
            if (filter.Categories.Count > 0) f["categories"] = new JsonArray(filter.Categories.Select(c => (JsonNode?)c).ToArray());
            if (filter.KubernetesVersions.Count > 0) f["kubernetesVersions"] = new JsonArray(filter.KubernetesVersions.Select(v => (JsonNode?)v).ToArray());
            if (filter.Statuses.Count > 0) f["statuses"] = new JsonArray(filter.Statuses.Select(s => (JsonNode?)s.ToString().ToUpperInvariant()).ToArray());
            body["filter"] = f;
        }
        if (maxResults is { } m) body["maxResults"] = m;
        if (!string.IsNullOrEmpty(nextToken)) body["nextToken"] = nextToken;
        var o = await Call("ListInsights", HttpMethod.Post, $"clusters/{Seg(clusterName)}/insights", null, body, clusterName, ct).ConfigureAwait(false);
        return new EksPage<EksInsight>(EksJson.Objects(o["insights"]).Select(i => EksJson.Insight(i, clusterName, described: false)).ToList(), EksJson.Str(o, "nextToken"));
    }

    public async Task<EksInsight> DescribeInsightAsync(string clusterName, string id, CancellationToken ct)
    {
        var o = await Call("DescribeInsight", HttpMethod.Get, $"clusters/{Seg(clusterName)}/insights/{Seg(id)}", null, null, id, ct).ConfigureAwait(false);
        return EksJson.Insight(Required(o, "insight", "DescribeInsight"), clusterName, described: true);
    }

    // ---------------------------------------------------------------- transport

    private static string Seg(string value) => Uri.EscapeDataString(value);

    private static string? Num(int? n) => n?.ToString(CultureInfo.InvariantCulture);

    private static string? Query(params (string Name, string? Value)[] parameters)
    {
        var given = parameters.Where(p => !string.IsNullOrEmpty(p.Value)).Select(p => $"{p.Name}={Uri.EscapeDataString(p.Value!)}").ToList();
        return given.Count == 0 ? null : string.Join('&', given);
    }

    private static JsonObject Required(JsonObject answer, string member, string action) =>
        answer[member] as JsonObject ?? throw new OpsException("EksResponseInvalid", OpsErrorCategory.InvalidResult, $"The {action} answer has no {member}.");

    private OpsException Timeout(string action, object? target, Exception ex) =>
        new("EksTimeout", OpsErrorCategory.OperationTimeout,
            $"EKS did not answer {action} within {(_http.Timeout == System.Threading.Timeout.InfiniteTimeSpan ? "the time allowed" : Waiting.Waiter.Format(_http.Timeout))} " +
            "(retries included); a change may still have been made: check with Get-EksUpdate before repeating it.", target, ExceptionSanitizer.Sanitize(ex));

    private OpsException Unreachable(string action, object? target, Exception ex, bool dropped) =>
        new("EksUnreachable", OpsErrorCategory.ConnectionError,
            dropped ? $"EKS at {_http.BaseAddress} dropped the connection while answering {action}: {ex.Message}"
                    : $"EKS at {_http.BaseAddress} could not be reached ({action}): {ex.Message}", target, ExceptionSanitizer.Sanitize(ex));

    /// <summary>Reads an answer's body, at most <see cref="MaxResponseBytes"/> (EksResponseTooLarge beyond), within the client's timeout.</summary>
    private async Task<string> ReadBodyAsync(HttpResponseMessage response, string action, object? target, CancellationToken ct)
    {
        OpsException TooLarge(long size) => new("EksResponseTooLarge", OpsErrorCategory.LimitsExceeded,
            $"The {action} answer is larger than {MaxResponseBytes / (1024 * 1024.0):0.#} MiB ({size:N0} bytes{(response.Content.Headers.ContentLength is null ? " read so far" : "")}); it was not read.", target);
        if (response.Content.Headers.ContentLength is { } length && length > MaxResponseBytes) throw TooLarge(length);
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(ct);
        if (_http.Timeout != System.Threading.Timeout.InfiniteTimeSpan) timeout.CancelAfter(_http.Timeout);
        var chunk = System.Buffers.ArrayPool<byte>.Shared.Rent(81920);
        try
        {
            await using var stream = await response.Content.ReadAsStreamAsync(timeout.Token).ConfigureAwait(false);
            using var buffer = new MemoryStream();
            int n;
            while ((n = await stream.ReadAsync(chunk.AsMemory(), timeout.Token).ConfigureAwait(false)) > 0)
            {
                if (buffer.Length + n > MaxResponseBytes) throw TooLarge(buffer.Length + n);
                buffer.Write(chunk, 0, n);
            }
            return Encoding.UTF8.GetString(buffer.GetBuffer(), 0, (int)buffer.Length);
        }
        catch (OperationCanceledException ex) when (!ct.IsCancellationRequested)
        {
            throw Timeout(action, target, ex);
        }
        catch (Exception ex) when (!ct.IsCancellationRequested && ex is HttpRequestException or IOException)
        {
            throw Unreachable(action, target, ex, dropped: true);
        }
        finally
        {
            System.Buffers.ArrayPool<byte>.Shared.Return(chunk);
        }
    }

    /// <summary>
    /// The one error funnel: every request goes through here. EKS's own errors (the code from the x-amzn-ErrorType header, else
    /// the body's __type or code; the message from the body's message) become OpsExceptions with EKS's code as id
    /// (<see cref="AwsErrors"/>); a server that cannot be reached or drops the connection is EksUnreachable, one that does not
    /// answer in time EksTimeout, an answer too large EksResponseTooLarge, one that is not JSON EksResponseInvalid; the
    /// caller's own cancellation stays an OperationCanceledException.
    /// </summary>
    private async Task<JsonObject> Call(string action, HttpMethod method, string path, string? query, JsonObject? body, object? target, CancellationToken ct)
    {
        using var request = new HttpRequestMessage(method, query is null ? path : $"{path}?{query}");
        if (body is not null)
            request.Content = new StringContent(body.ToJsonString(), Encoding.UTF8, "application/json");
        // GETs are safe by nature; the POSTs here are a read (ListInsights) or carry a clientRequestToken.
        RetryHandler.MarkIdempotent(request);
        HttpResponseMessage response;
        try
        {
            response = await _http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, ct).ConfigureAwait(false);
        }
        catch (HttpRequestException ex) when (!ct.IsCancellationRequested)
        {
            throw Unreachable(action, target, ex, dropped: false);
        }
        catch (IOException ex) when (!ct.IsCancellationRequested)
        {
            throw Unreachable(action, target, ex, dropped: true);
        }
        catch (Exception ex) when (!ct.IsCancellationRequested && (ex is TimeoutException || ex is OperationCanceledException))
        {
            throw Timeout(action, target, ex);
        }
        using (response)
        {
            var text = await ReadBodyAsync(response, action, target, ct).ConfigureAwait(false);
            JsonNode? parsed = null;
            var isJson = true;
            try { parsed = text.Length == 0 ? new JsonObject() : JsonNode.Parse(text); }
            catch (JsonException) { isJson = false; }
            var requestId = Header(response, "x-amzn-RequestId");
            if (!response.IsSuccessStatusCode)
            {
                var o = parsed as JsonObject;
                var code = ErrorCode(Header(response, "x-amzn-ErrorType")) ?? ErrorCode(EksJson.Str(o, "__type")) ?? ErrorCode(EksJson.Str(o, "code"));
                var message = EksJson.Str(o, "message") ?? EksJson.Str(o, "Message") ?? (isJson ? null : Shown(text));
                throw AwsErrors.From(code, message, response.StatusCode, requestId, target);
            }
            if (!isJson || parsed is not JsonObject result)
                throw new OpsException("EksResponseInvalid", OpsErrorCategory.InvalidResult,
                    $"The {action} answer (HTTP {(int)response.StatusCode}) is not a JSON object: {Shown(text)}", target);
            return result;
        }
    }

    private static string Shown(string text) => text.Length > 200 ? text[..200] + "..." : text;

    private static string? Header(HttpResponseMessage response, string name) =>
        response.Headers.TryGetValues(name, out var values) ? values.FirstOrDefault() : null;

    /// <summary>"ResourceNotFoundException:http://internal..." or "com.amazonaws.eks#ResourceNotFoundException" → "ResourceNotFoundException".</summary>
    internal static string? ErrorCode(string? raw)
    {
        if (string.IsNullOrWhiteSpace(raw)) return null;
        var code = raw.Trim();
        var colon = code.IndexOf(':');
        if (colon >= 0) code = code[..colon];
        var hash = code.LastIndexOf('#');
        if (hash >= 0) code = code[(hash + 1)..];
        return code.Length == 0 ? null : code;
    }
}
