using System.Text.Json.Nodes;

namespace RealEstateOps.Sandbox.Kubernetes;

/// <summary>The three patch types kubectl and client libraries send: JSON merge, strategic merge (lists of named items merged by name) and JSON patch.</summary>
public static class KubePatch
{
    public static JsonObject Apply(JsonObject target, string contentType, JsonNode patch)
    {
        var ct = contentType.Split(';')[0].Trim().ToLowerInvariant();
        var copy = (JsonObject)target.DeepClone();
        switch (ct)
        {
            case "application/merge-patch+json":
                return (JsonObject)Merge(copy, patch, strategic: false)!;
            case "application/strategic-merge-patch+json":
                return (JsonObject)Merge(copy, patch, strategic: true)!;
            case "application/json-patch+json":
                return JsonPatch(copy, patch as JsonArray ?? throw KubeApiException.BadRequest("a JSON patch must be an array of operations"));
            case "application/apply-patch+yaml":
                throw new KubeApiException(415, "UnsupportedMediaType", "server-side apply is not supported by the sandbox; use client-side apply");
            default:
                throw new KubeApiException(415, "UnsupportedMediaType", $"the body of the request was in an unknown format - accepted media types include: application/json-patch+json, application/merge-patch+json, application/strategic-merge-patch+json");
        }
    }

    private static JsonNode? Merge(JsonNode? target, JsonNode? patch, bool strategic)
    {
        if (patch is not JsonObject po) return patch?.DeepClone();
        var to = target as JsonObject ?? new JsonObject();
        foreach (var (key, value) in po)
        {
            if (strategic && key.StartsWith('$')) continue; // directives ($patch, $setElementOrder/..., $retainKeys) are hints we can do without
            if (value is null) { to.Remove(key); continue; }
            var existing = to[key];
            if (strategic && value is JsonArray pa && existing is JsonArray ta && pa.All(i => i is JsonObject) && ta.All(i => i is JsonObject) && MergeKey(pa, ta) is { } mergeKey)
            {
                foreach (var item in pa.OfType<JsonObject>())
                {
                    var id = item[mergeKey]?.ToString();
                    var match = ta.OfType<JsonObject>().FirstOrDefault(t => t[mergeKey]?.ToString() == id);
                    if ((string?)item["$patch"] == "delete") { if (match is not null) ta.Remove(match); continue; }
                    if (match is null) ta.Add(item.DeepClone());
                    else { var merged = Merge(match, item, true); var idx = ta.IndexOf(match); ta[idx] = merged is null ? null : merged.Parent is null ? merged : merged.DeepClone(); }
                }
                continue;
            }
            to[key] = Merge(existing is null ? null : existing.DeepClone(), value, strategic) is { } m ? (m.Parent is null ? m : m.DeepClone()) : null;
        }
        return to;
    }

    private static string? MergeKey(JsonArray patch, JsonArray target)
    {
        foreach (var key in new[] { "name", "containerPort", "port", "type", "ip", "mountPath" })
            if (patch.OfType<JsonObject>().All(o => o.ContainsKey(key) || (string?)o["$patch"] is not null)) return key;
        return null;
    }

    private static JsonObject JsonPatch(JsonObject doc, JsonArray ops)
    {
        foreach (var op in ops.OfType<JsonObject>())
        {
            var kind = (string?)op["op"];
            var path = Pointer((string?)op["path"] ?? "");
            switch (kind)
            {
                case "add":
                case "replace":
                    Set(doc, path, op["value"]?.DeepClone(), kind == "add");
                    break;
                case "remove":
                    Remove(doc, path);
                    break;
                case "test":
                    if (!JsonNode.DeepEquals(Find(doc, path), op["value"])) throw KubeApiException.Invalid($"test operation failed at {op["path"]}");
                    break;
                case "move":
                case "copy":
                    var from = Pointer((string?)op["from"] ?? "");
                    var value = Find(doc, from)?.DeepClone();
                    if (kind == "move") Remove(doc, from);
                    Set(doc, path, value, true);
                    break;
                default:
                    throw KubeApiException.BadRequest($"unknown JSON patch operation '{kind}'");
            }
        }
        return doc;
    }

    private static string[] Pointer(string path) =>
        path.Length == 0 ? Array.Empty<string>() : path.TrimStart('/').Split('/').Select(p => p.Replace("~1", "/").Replace("~0", "~")).ToArray();

    private static JsonNode? Find(JsonNode? node, string[] path)
    {
        foreach (var p in path) node = node is JsonArray a ? (int.TryParse(p, out var i) && i < a.Count ? a[i] : null) : node?[p];
        return node;
    }

    private static void Set(JsonObject doc, string[] path, JsonNode? value, bool add)
    {
        if (path.Length == 0) throw KubeApiException.BadRequest("cannot replace the whole object");
        var parent = Find(doc, path[..^1]);
        var last = path[^1];
        switch (parent)
        {
            case JsonObject o:
                if (!add && !o.ContainsKey(last)) throw KubeApiException.Invalid($"replace operation does not apply: doc is missing key: /{string.Join('/', path)}");
                o[last] = value;
                break;
            case JsonArray a when last == "-":
                a.Add(value);
                break;
            case JsonArray a when int.TryParse(last, out var i):
                if (add) a.Insert(i, value); else a[i] = value;
                break;
            default:
                throw KubeApiException.Invalid($"doc is missing path: /{string.Join('/', path)}");
        }
    }

    private static void Remove(JsonObject doc, string[] path)
    {
        var parent = Find(doc, path[..^1]);
        if (parent is JsonObject o && o.Remove(path[^1])) return;
        if (parent is JsonArray a && int.TryParse(path[^1], out var i) && i < a.Count) { a.RemoveAt(i); return; }
        throw KubeApiException.Invalid($"remove operation does not apply: doc is missing path: /{string.Join('/', path)}");
    }
}
