using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http;
using RealEstateOps.Sandbox.Control;

namespace RealEstateOps.Sandbox.Kubernetes;

/// <summary>
/// Watch responses as an API server sends them: the headers at once (200, chunked, before any event, so a client
/// holds a watcher it can stop even when nothing changes), then one JSON event a line (ADDED, MODIFIED, DELETED,
/// BOOKMARK, ERROR). A watch ends at its <c>timeoutSeconds</c> (a bookmark just before, when bookmarks were
/// allowed), when the client goes, or with a 410 Expired event when its resource version is older than the log.
/// </summary>
public sealed class KubeWatch
{
    private static readonly JsonSerializerOptions Compact = new() { WriteIndented = false };

    /// <summary>How long a watch without <c>timeoutSeconds</c> lasts (an API server picks 30 to 60 minutes).</summary>
    public static readonly TimeSpan DefaultTimeout = TimeSpan.FromMinutes(30);

    /// <summary>How often a quiet watch that allows bookmarks gets one (an API server sends them about once a minute).</summary>
    public static readonly TimeSpan BookmarkInterval = TimeSpan.FromMinutes(1);

    /// <summary>The annotation of the bookmark that ends the initial events of a <c>sendInitialEvents=true</c> watch.</summary>
    public const string InitialEventsEnd = "k8s.io/initial-events-end";

    private readonly KubeStore _store;
    private readonly FaultInjector _faults;
    private readonly RequestCounter _requests;
    private readonly string _service;
    private int _open;

    public KubeWatch(KubeStore store, FaultInjector faults, RequestCounter requests, string service)
    {
        _store = store;
        _faults = faults;
        _requests = requests;
        _service = service;
    }

    /// <summary>Watch responses being written now; one ends when its client goes, at its timeout, or on an error.</summary>
    public int Open => Volatile.Read(ref _open);

    public async Task ServeAsync(HttpContext http, KubeResource r, string? ns)
    {
        var q = http.Request.Query;
        var labels = KubeSelectors.Labels(q["labelSelector"]);
        var fields = KubeSelectors.Fields(q["fieldSelector"]);
        var timeout = DefaultTimeout;
        if (q["timeoutSeconds"] is { Count: > 0 } t)
        {
            if (!long.TryParse(t[0], NumberStyles.None, CultureInfo.InvariantCulture, out var seconds)) throw KubeApiException.BadRequest($"invalid timeoutSeconds: {t[0]}");
            if (seconds > 0) timeout = TimeSpan.FromSeconds(seconds); // 0 is the server's choice, as on an API server
        }
        var bookmarks = Flag(q["allowWatchBookmarks"]);
        var sendInitial = Flag(q["sendInitialEvents"]);
        var asTable = KubeTable.Wanted(http.Request.Headers.Accept.ToString());
        bool Matches(JsonObject o) => (ns is null || KubeStore.NamespaceOf(o) == ns) && labels(o) && fields(o);

        var initial = new List<JsonObject>();
        long rv;
        var start = (string?)q["resourceVersion"];
        lock (_store.Gate)
        {
            // No resource version, "0", or sendInitialEvents: the current objects first, as ADDED events.
            if (string.IsNullOrEmpty(start) || start == "0" || sendInitial)
            {
                initial = _store.Items(r, ns).Where(Matches).Select(o => (JsonObject)o.DeepClone()).ToList();
                rv = _store.ResourceVersion;
            }
            else if (!long.TryParse(start, NumberStyles.None, CultureInfo.InvariantCulture, out rv)) throw KubeApiException.BadRequest($"invalid resource version: {start}");
        }

        Interlocked.Increment(ref _open);
        try
        {
            http.Response.StatusCode = 200;
            http.Response.ContentType = "application/json";
            await http.Response.StartAsync(http.RequestAborted);
            await http.Response.Body.FlushAsync(http.RequestAborted);

            var first = true;
            async Task Send(string type, JsonNode obj)
            {
                if (asTable && type != "ERROR") obj = type == "BOOKMARK" ? TableBookmark(obj) : KubeTable.Build(r, new[] { (JsonObject)obj }, _store.Clock.UtcNow, KubeStore.Meta((JsonObject)obj)["resourceVersion"]?.ToString() ?? "", null, withColumns: first);
                first = false;
                var line = new JsonObject { ["type"] = type, ["object"] = obj }.ToJsonString(Compact) + "\n";
                await http.Response.WriteAsync(line, http.RequestAborted);
                await http.Response.Body.FlushAsync(http.RequestAborted);
            }

            foreach (var o in initial) await Send("ADDED", KubeResources.InVersion(r, o));
            if (sendInitial && bookmarks) await Send("BOOKMARK", Bookmark(r, rv, initialEventsEnd: true));

            using var deadline = CancellationTokenSource.CreateLinkedTokenSource(http.RequestAborted);
            deadline.CancelAfter(timeout);
            var drop = _faults.For(_service).DropRate;
            var nextBookmark = DateTimeOffset.UtcNow + BookmarkInterval;
            while (!deadline.IsCancellationRequested)
            {
                var changed = _store.Changed;
                var events = _store.EventsAfter(rv);
                if (events is null)
                {
                    await Send("ERROR", new KubeApiException(410, "Expired", $"too old resource version: {rv} ({_store.ResourceVersion})").ToStatus());
                    return;
                }
                foreach (var e in events)
                {
                    rv = e.ResourceVersion;
                    if (!KubeResources.Same(e.Resource, r) || !Matches(e.Object)) continue;
                    await Send(e.Type, KubeResources.InVersion(r, e.Object));
                    // Dropped watch connections, when the sandbox is told to drop connections of this service.
                    if (drop > 0 && Random.Shared.NextDouble() < drop) { _requests.CountFault(); http.Abort(); return; }
                }
                if (bookmarks && DateTimeOffset.UtcNow >= nextBookmark)
                {
                    await Send("BOOKMARK", Bookmark(r, rv));
                    nextBookmark = DateTimeOffset.UtcNow + BookmarkInterval;
                }
                if (events.Count == 0)
                {
                    try { await changed.WaitAsync(TimeSpan.FromSeconds(1), deadline.Token); }
                    catch (TimeoutException) { }
                    catch (OperationCanceledException) when (deadline.IsCancellationRequested) { }
                }
            }
            // The watch's time is up (not the client gone): a last bookmark tells the client where to resume.
            if (bookmarks && !http.RequestAborted.IsCancellationRequested) await Send("BOOKMARK", Bookmark(r, rv));
        }
        catch (OperationCanceledException) when (http.RequestAborted.IsCancellationRequested) { }
        catch (IOException) when (http.RequestAborted.IsCancellationRequested) { }
        finally
        {
            Interlocked.Decrement(ref _open);
        }
    }

    private static bool Flag(Microsoft.Extensions.Primitives.StringValues value) => value is { Count: > 0 } v && (v[0] == "true" || v[0] == "1");

    /// <summary>A bookmark: the resource's kind with only a resource version (and, ending the initial events, the annotation).</summary>
    public static JsonObject Bookmark(KubeResource r, long rv, bool initialEventsEnd = false)
    {
        var meta = new JsonObject { ["resourceVersion"] = rv.ToString(CultureInfo.InvariantCulture), ["creationTimestamp"] = null };
        if (initialEventsEnd) meta["annotations"] = new JsonObject { [InitialEventsEnd] = "true" };
        return new JsonObject { ["kind"] = r.Kind, ["apiVersion"] = r.GroupVersion, ["metadata"] = meta };
    }

    private static JsonObject TableBookmark(JsonNode bookmark) => new()
    {
        ["kind"] = "Table",
        ["apiVersion"] = "meta.k8s.io/v1",
        ["metadata"] = bookmark["metadata"]!.DeepClone(),
        ["rows"] = new JsonArray(),
    };
}
