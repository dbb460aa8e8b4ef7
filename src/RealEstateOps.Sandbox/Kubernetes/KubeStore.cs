using System.Text.Json.Nodes;
using RealEstateOps.Sandbox.Control;

namespace RealEstateOps.Sandbox.Kubernetes;

/// <summary>An API error as the API server reports it: a Status object with code, reason, message and details.</summary>
public sealed class KubeApiException : Exception
{
    public KubeApiException(int code, string reason, string message, JsonObject? details = null) : base(message)
    {
        Code = code;
        Reason = reason;
        Details = details;
    }

    public int Code { get; }
    public string Reason { get; }
    public JsonObject? Details { get; }

    public JsonObject ToStatus() => new()
    {
        ["kind"] = "Status", ["apiVersion"] = "v1", ["metadata"] = new JsonObject(), ["status"] = "Failure",
        ["message"] = Message, ["reason"] = Reason, ["details"] = Details?.DeepClone(), ["code"] = Code,
    };

    public static KubeApiException NotFound(KubeResource r, string name) =>
        new(404, "NotFound", $"{r.Plural}{(r.Group.Length > 0 ? "." + r.Group : "")} \"{name}\" not found",
            new JsonObject { ["name"] = name, ["group"] = r.Group, ["kind"] = r.Plural });

    public static KubeApiException Conflict(KubeResource r, string name, string why) =>
        new(409, "Conflict", $"Operation cannot be fulfilled on {r.Plural} \"{name}\": {why}", new JsonObject { ["name"] = name, ["kind"] = r.Plural });

    public static KubeApiException Invalid(string message) => new(422, "Invalid", message);
    public static KubeApiException BadRequest(string message) => new(400, "BadRequest", message);
}

/// <summary>A change, for watches: type (ADDED, MODIFIED, DELETED), the resource and a snapshot of the object.</summary>
public sealed record KubeEvent(long ResourceVersion, string Type, KubeResource Resource, JsonObject Object);

/// <summary>
/// The cluster's state: objects by resource, namespace and name, a resource-version counter and a bounded
/// log of changes that watches read from. One lock guards everything; callers hold it for compound changes.
/// </summary>
public sealed class KubeStore
{
    private const int EventLogSize = 50_000;
    private readonly Dictionary<string, SortedDictionary<string, JsonObject>> _objects = new();
    private readonly LinkedList<KubeEvent> _events = new();
    private TaskCompletionSource _changed = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private long _rv = 1000;
    private long _uid;

    public KubeStore(SandboxClock clock) => Clock = clock;

    public object Gate { get; } = new();
    public SandboxClock Clock { get; }
    public long ResourceVersion { get { lock (Gate) return _rv; } }

    /// <summary>Completes at the next change (a watch waits on it).</summary>
    public Task Changed { get { lock (Gate) return _changed.Task; } }

    public string Now => Timestamp(Clock.UtcNow);
    public static string Timestamp(DateTimeOffset t) => t.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", System.Globalization.CultureInfo.InvariantCulture);

    private SortedDictionary<string, JsonObject> Table(KubeResource r)
    {
        if (!_objects.TryGetValue(r.Key, out var t)) _objects[r.Key] = t = new SortedDictionary<string, JsonObject>(StringComparer.Ordinal);
        return t;
    }

    private static string KeyOf(string? ns, string name) => (ns ?? "") + "/" + name;

    public JsonObject? Get(KubeResource r, string? ns, string name)
    {
        lock (Gate) return Table(r).TryGetValue(KeyOf(ns, name), out var o) ? o : null;
    }

    public JsonObject Require(KubeResource r, string? ns, string name) => Get(r, ns, name) ?? throw KubeApiException.NotFound(r, name);

    /// <summary>Live objects (not copies) in key order, optionally in one namespace; callers must hold the lock while using them.</summary>
    public IEnumerable<JsonObject> Items(KubeResource r, string? ns = null)
    {
        var table = Table(r);
        if (ns is null) return table.Values;
        var prefix = ns + "/";
        return table.Where(kv => kv.Key.StartsWith(prefix, StringComparison.Ordinal)).Select(kv => kv.Value);
    }

    /// <summary>Items after a key (for continue tokens), in key order.</summary>
    public IEnumerable<(string Key, JsonObject Item)> ItemsFrom(KubeResource r, string? ns, string? afterKey)
    {
        var table = Table(r);
        var prefix = ns is null ? "" : ns + "/";
        foreach (var (key, item) in table)
        {
            if (!key.StartsWith(prefix, StringComparison.Ordinal)) continue;
            if (afterKey is not null && string.CompareOrdinal(key, afterKey) <= 0) continue;
            yield return (key, item);
        }
    }

    public int Count(KubeResource r) { lock (Gate) return Table(r).Count; }

    public JsonObject Create(KubeResource r, JsonObject obj)
    {
        lock (Gate)
        {
            var meta = Meta(obj);
            var ns = r.Namespaced ? (string?)meta["namespace"] : null;
            if (meta["name"] is null && (string?)meta["generateName"] is { } prefix) meta["name"] = prefix + RandomSuffix();
            var name = (string?)meta["name"] ?? throw KubeApiException.Invalid($"{r.Kind} has no metadata.name");
            if (r.Namespaced && ns is null) throw KubeApiException.BadRequest("the namespace of the object is missing");
            if (r.Namespaced && r != KubeResources.Events && Get(KubeResources.Namespaces, null, ns!) is null)
                throw new KubeApiException(404, "NotFound", $"namespaces \"{ns}\" not found", new JsonObject { ["name"] = ns, ["kind"] = "namespaces" });
            var table = Table(r);
            if (table.ContainsKey(KeyOf(ns, name)))
                throw new KubeApiException(409, "AlreadyExists", $"{r.Plural} \"{name}\" already exists", new JsonObject { ["name"] = name, ["kind"] = r.Plural });
            obj["apiVersion"] = r.GroupVersion;
            obj["kind"] = r.Kind;
            meta["uid"] = NewUid();
            meta["creationTimestamp"] = Now;
            if (r.Kind is "Deployment" or "ReplicaSet" or "DaemonSet" or "StatefulSet" or "PodDisruptionBudget") meta["generation"] = 1;
            meta.Remove("resourceVersion");
            Normalize(r, obj);
            table[KeyOf(ns, name)] = obj;
            Record("ADDED", r, obj);
            return obj;
        }
    }

    /// <summary>Replaces an object (PUT, or after a patch); generation moves when the spec changed.</summary>
    public JsonObject Replace(KubeResource r, string? ns, string name, JsonObject obj, bool statusOnly = false)
    {
        lock (Gate)
        {
            var current = Require(r, ns, name);
            var meta = Meta(obj);
            if ((string?)meta["resourceVersion"] is { Length: > 0 } rv && rv != (string?)Meta(current)["resourceVersion"])
                throw KubeApiException.Conflict(r, name, "the object has been modified; please apply your changes to the latest version and try again");
            var curMeta = Meta(current);
            meta["name"] = name;
            if (ns is not null) meta["namespace"] = ns;
            meta["uid"] = curMeta["uid"]?.DeepClone();
            meta["creationTimestamp"] = curMeta["creationTimestamp"]?.DeepClone();
            if (curMeta["deletionTimestamp"] is { } dt) meta["deletionTimestamp"] = dt.DeepClone();
            if (curMeta["ownerReferences"] is { } owners && meta["ownerReferences"] is null) meta["ownerReferences"] = owners.DeepClone();
            obj["apiVersion"] = r.GroupVersion;
            obj["kind"] = r.Kind;
            if (statusOnly) { var copy = (JsonObject)current.DeepClone(); copy["status"] = obj["status"]?.DeepClone(); obj = copy; }
            else if (r.Kind != "Pod" && r.Kind != "Node" && current["status"] is { } status) obj["status"] = status.DeepClone();
            if (curMeta["generation"] is { } gen)
            {
                var changed = !JsonNode.DeepEquals(current["spec"], obj["spec"]);
                Meta(obj)["generation"] = JsonNumbers.Long(gen)!.Value + (changed ? 1 : 0);
            }
            Normalize(r, obj);
            if (JsonNode.DeepEquals(Strip(current), Strip(obj))) return current;
            Table(r)[KeyOf(ns, name)] = obj;
            Record("MODIFIED", r, obj);
            return obj;
        }
    }

    /// <summary>A change made by the controller: only recorded when something differs.</summary>
    public bool Update(KubeResource r, JsonObject current, Action<JsonObject> change)
    {
        lock (Gate)
        {
            var copy = (JsonObject)current.DeepClone();
            change(copy);
            if (JsonNode.DeepEquals(copy, current)) return false;
            var meta = Meta(copy);
            Table(r)[KeyOf((string?)meta["namespace"], (string)meta["name"]!)] = copy;
            Record("MODIFIED", r, copy);
            return true;
        }
    }

    public void Remove(KubeResource r, JsonObject obj)
    {
        lock (Gate)
        {
            var meta = Meta(obj);
            if (Table(r).Remove(KeyOf((string?)meta["namespace"], (string)meta["name"]!), out var removed))
                Record("DELETED", r, removed);
        }
    }

    private static JsonObject Strip(JsonObject o)
    {
        var c = (JsonObject)o.DeepClone();
        Meta(c).Remove("resourceVersion");
        Meta(c).Remove("managedFields");
        return c;
    }

    private static void Normalize(KubeResource r, JsonObject obj)
    {
        if (r == KubeResources.Secrets && obj["stringData"] is JsonObject sd)
        {
            var data = obj["data"] as JsonObject ?? new JsonObject();
            foreach (var (k, v) in sd) data[k] = Convert.ToBase64String(System.Text.Encoding.UTF8.GetBytes((string?)v ?? ""));
            obj["data"] = data;
            obj.Remove("stringData");
        }
        if (r == KubeResources.Secrets && obj["type"] is null) obj["type"] = "Opaque";
    }

    private void Record(string type, KubeResource r, JsonObject obj)
    {
        _rv++;
        Meta(obj)["resourceVersion"] = _rv.ToString(System.Globalization.CultureInfo.InvariantCulture);
        _events.AddLast(new KubeEvent(_rv, type, r, (JsonObject)obj.DeepClone()));
        while (_events.Count > EventLogSize) _events.RemoveFirst();
        var changed = _changed;
        _changed = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        changed.TrySetResult();
    }

    /// <summary>Events after a resource version; null when that version is older than the log keeps (410 Gone).</summary>
    public List<KubeEvent>? EventsAfter(long rv)
    {
        lock (Gate)
        {
            if (_events.First is { } first && first.Value.ResourceVersion > rv + 1 && rv < _rv - _events.Count) return null;
            var result = new List<KubeEvent>();
            for (var node = _events.Last; node is not null && node.Value.ResourceVersion > rv; node = node.Previous) result.Add(node.Value);
            result.Reverse();
            return result;
        }
    }

    public string NewUid()
    {
        var n = Interlocked.Increment(ref _uid);
        return new Guid((int)n, (short)(n >> 32), 0x4000, 0x8f, 0x1e, 0xa1, 0x5a, 0x7d, 0xb0, 0x0c, 0x5e).ToString();
    }

    private static readonly char[] Alphabet = "bcdfghjklmnpqrstvwxz2456789".ToCharArray();
    public static string RandomSuffix(int length = 5) => new(Enumerable.Range(0, length).Select(_ => Alphabet[Random.Shared.Next(Alphabet.Length)]).ToArray());

    public static JsonObject Meta(JsonObject obj) => obj["metadata"] as JsonObject ?? (JsonObject)(obj["metadata"] = new JsonObject());
    public static string NameOf(JsonObject obj) => (string)Meta(obj)["name"]!;
    public static string? NamespaceOf(JsonObject obj) => (string?)Meta(obj)["namespace"];
    public static string UidOf(JsonObject obj) => (string)Meta(obj)["uid"]!;
    public static bool IsTerminating(JsonObject obj) => Meta(obj)["deletionTimestamp"] is not null;

    public static Dictionary<string, string> Labels(JsonObject obj) =>
        (Meta(obj)["labels"] as JsonObject)?.ToDictionary(kv => kv.Key, kv => (string?)kv.Value ?? "") ?? new Dictionary<string, string>();

    public static JsonObject? ControllerOf(JsonObject obj) =>
        (Meta(obj)["ownerReferences"] as JsonArray)?.OfType<JsonObject>().FirstOrDefault(o => (bool?)o["controller"] == true);
}
