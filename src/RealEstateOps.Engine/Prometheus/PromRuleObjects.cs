using System.Runtime.CompilerServices;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using k8s;
using RealEstateOps.Engine.Common;
using RealEstateOps.Engine.Kubernetes;

namespace RealEstateOps.Engine.Prometheus;

/// <summary>
/// Alert and recording rules kept as PrometheusRule objects (<c>monitoring.coreos.com/v1</c>, <c>prometheusrules</c>), as
/// prometheus-operator reads them: listed rule by rule, and changed by planning first (reads only, so -WhatIf can show the
/// change) and then applying: the object's new rule file is checked with promtool when it is on PATH (AlertRuleInvalid with
/// the parser's message, nothing applied), then created, replaced (only if nobody changed it since it was read) or deleted.
/// A 422 from the cluster (an admission check refusing the rules) is AlertRuleInvalid with the server's message too.
/// Fields this module does not know (keep_firing_for, a group's interval or limit, the object's labels) are kept as they are.
/// </summary>
public sealed partial class PromRuleObjects
{
    public const string ApiGroup = "monitoring.coreos.com";
    public const string ApiVersion = "v1";
    public const string Plural = "prometheusrules";
    public const string Kind = "PrometheusRule";

    private readonly KubeClient _client;
    private readonly PromRuleValidator _validator;

    public PromRuleObjects(KubeClient client, PromRuleValidator? validator = null)
    {
        _client = client;
        _validator = validator ?? new PromRuleValidator();
    }

    // ---------------------------------------------------------------- reading

    /// <summary>The rules of the PrometheusRule objects, one per rule, object by object, page by page (limit + continue).</summary>
    public async IAsyncEnumerable<PromRuleDefinition> ListAsync(PromRuleDefinitionQuery query, [EnumeratorCancellation] CancellationToken ct)
    {
        var names = Patterns(query.Names);
        var groups = Patterns(query.Groups);
        if (query.ObjectName is { } objectName)
        {
            var ns = query.Namespace ?? _client.Namespace;
            var one = await GetAsync(ns, objectName, ct).ConfigureAwait(false);
            foreach (var d in Definitions(one, names, groups, query.Type)) yield return d;
            yield break;
        }
        string? cont = null;
        var seen = new HashSet<string>(StringComparer.Ordinal);
        do
        {
            var token = cont;
            var page = Node(await _client.Call(api => query.Namespace is null
                    ? api.CustomObjects.ListClusterCustomObjectAsync(ApiGroup, ApiVersion, Plural, limit: query.PageSize, continueParameter: token, cancellationToken: ct)
                    : api.CustomObjects.ListNamespacedCustomObjectAsync(ApiGroup, ApiVersion, query.Namespace, Plural, limit: query.PageSize, continueParameter: token, cancellationToken: ct),
                Kind, null, query.Namespace).ConfigureAwait(false));
            foreach (var item in (page?["items"] as JsonArray ?? new JsonArray()).OfType<JsonObject>())
                foreach (var d in Definitions(item, names, groups, query.Type))
                    yield return d;
            cont = PromJson.Str(page?["metadata"], "continue") is { Length: > 0 } next ? next : null;
            if (cont is not null && !seen.Add(cont)) throw KubeErrors.PagingLoop(Kind, query.Namespace, cont, seen.Count);
        } while (cont is not null);
    }

    private async Task<JsonObject> GetAsync(string ns, string name, CancellationToken ct) =>
        Node(await _client.Call(api => api.CustomObjects.GetNamespacedCustomObjectAsync(ApiGroup, ApiVersion, ns, Plural, name, ct), Kind, name, ns).ConfigureAwait(false))
        ?? throw new OpsException("KubeResponseInvalid", OpsErrorCategory.InvalidResult, $"The {Kind} {ns}/{name} answer is not an object.", name);

    private async Task<JsonObject?> TryGetAsync(string ns, string name, CancellationToken ct)
    {
        try { return await GetAsync(ns, name, ct).ConfigureAwait(false); }
        catch (OpsException ex) when (ex.ErrorId == Kind + "NotFound") { return null; }
    }

    private static JsonObject? Node(object? answer) => answer switch
    {
        null => null,
        JsonObject o => o,
        JsonElement e => JsonNode.Parse(e.GetRawText()) as JsonObject,
        _ => JsonSerializer.SerializeToNode(answer) as JsonObject,
    };

    private static IEnumerable<PromRuleDefinition> Definitions(JsonObject item, List<Regex>? names, List<Regex>? groups, PromRuleType? type)
    {
        var meta = item["metadata"];
        var ns = PromJson.Str(meta, "namespace") ?? "";
        var objectName = PromJson.Str(meta, "name") ?? "";
        foreach (var g in Groups(item))
        {
            var group = PromJson.Str(g, "name") ?? "";
            if (groups is not null && !groups.Any(p => p.IsMatch(group))) continue;
            foreach (var r in Rules(g))
            {
                var d = Definition(r, ns, objectName, group);
                if (type is { } t && d.Type != t) continue;
                if (names is not null && !names.Any(p => p.IsMatch(d.Name))) continue;
                yield return d;
            }
        }
    }

    private static PromRuleDefinition Definition(JsonObject r, string ns, string objectName, string group)
    {
        var isAlert = r["alert"] is not null;
        return new PromRuleDefinition
        {
            Namespace = ns,
            ObjectName = objectName,
            Group = group,
            Name = RuleName(r) ?? "",
            Type = isAlert ? PromRuleType.Alerting : PromRuleType.Recording,
            Expression = Scalar(r["expr"]) ?? "",
            For = Scalar(r["for"]),
            Labels = PromJson.Labels(r["labels"]),
            Annotations = PromJson.Labels(r["annotations"]),
            Yaml = PromRuleYaml.Of(r),
        };
    }

    /// <summary>expr may be a string or (written by hand) a number: its text either way.</summary>
    private static string? Scalar(JsonNode? node) => node is JsonValue v ? (v.TryGetValue<string>(out var s) ? s : v.ToJsonString()) : null;

    private static string? RuleName(JsonObject r) => PromJson.Str(r, "alert") ?? PromJson.Str(r, "record");

    private static IEnumerable<JsonObject> Groups(JsonObject item) => (item["spec"]?["groups"] as JsonArray ?? new JsonArray()).OfType<JsonObject>();

    private static IEnumerable<JsonObject> Rules(JsonObject group) => (group["rules"] as JsonArray ?? new JsonArray()).OfType<JsonObject>();

    private static List<Regex>? Patterns(IReadOnlyList<string>? patterns) => patterns is { Count: > 0 } ? patterns.Select(Wildcard.ToRegex).ToList() : null;

    // ---------------------------------------------------------------- planning (reads only)

    [GeneratedRegex(@"^((\d+)(y|w|d|h|m|s|ms))+$")]
    private static partial Regex DurationText();

    [GeneratedRegex(@"^[a-zA-Z_][a-zA-Z0-9_]*$")]
    private static partial Regex LabelName();

    [GeneratedRegex(@"^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$")]
    private static partial Regex ObjectNameRule();

    private static void Check(PromRuleSpec spec, bool isNew)
    {
        if (string.IsNullOrWhiteSpace(spec.Name) || spec.Name.Any(char.IsControl))
            throw new OpsException("AlertRuleNameInvalid", OpsErrorCategory.InvalidArgument, $"'{spec.Name}' is not a rule name: give a non-empty name without control characters.", spec.Name);
        if (isNew && string.IsNullOrWhiteSpace(spec.Expression))
            throw new OpsException("AlertRuleInvalid", OpsErrorCategory.InvalidArgument, $"Rule '{spec.Name}' has no expression: give -Expression.", spec.Name);
        if (spec.Expression is { } e && string.IsNullOrWhiteSpace(e))
            throw new OpsException("AlertRuleInvalid", OpsErrorCategory.InvalidArgument, $"Rule '{spec.Name}': the expression is empty.", spec.Name);
        if (spec.For is { Length: > 0 } f && !DurationText().IsMatch(f))
            throw new OpsException("AlertRuleInvalid", OpsErrorCategory.InvalidArgument,
                $"Rule '{spec.Name}': '{f}' is not a Prometheus duration (such as 30s, 5m, 1h30m).", spec.Name);
        foreach (var key in (spec.Labels?.Keys ?? Enumerable.Empty<string>()).Concat(spec.Annotations?.Keys ?? Enumerable.Empty<string>()))
            if (!LabelName().IsMatch(key))
                throw new OpsException("AlertRuleInvalid", OpsErrorCategory.InvalidArgument,
                    $"Rule '{spec.Name}': '{key}' is not a valid label or annotation name ([a-zA-Z_][a-zA-Z0-9_]*).", spec.Name);
    }

    private static void CheckObjectName(string name)
    {
        if (name.Length is 0 or > 253 || !ObjectNameRule().IsMatch(name))
            throw new OpsException("AlertRuleObjectNameInvalid", OpsErrorCategory.InvalidArgument,
                $"'{name}' is not a Kubernetes object name (lower-case letters, digits, '-' and '.', at most 253).", name);
    }

    /// <summary>New-AlertRule: the rule added to group <paramref name="group"/> of object <paramref name="objectName"/> (created when missing). A rule of that name already in the group is AlertRuleExists.</summary>
    public async Task<PromRuleChange> PlanNewAsync(PromRuleSpec spec, string ns, string objectName, string group, CancellationToken ct)
    {
        Check(spec, isNew: true);
        CheckObjectName(objectName);
        var rule = Apply(new JsonObject(), spec, isNew: true);
        var existing = await TryGetAsync(ns, objectName, ct).ConfigureAwait(false);
        if (existing is null)
        {
            var created = new JsonObject
            {
                ["apiVersion"] = $"{ApiGroup}/{ApiVersion}",
                ["kind"] = Kind,
                ["metadata"] = new JsonObject { ["name"] = objectName, ["namespace"] = ns },
                ["spec"] = new JsonObject { ["groups"] = new JsonArray(new JsonObject { ["name"] = group, ["rules"] = new JsonArray(rule) }) },
            };
            return new PromRuleChange { Kind = PromRuleChangeKind.CreateObject, Namespace = ns, ObjectName = objectName, Group = group, RuleName = spec.Name, After = PromRuleYaml.Of(rule), NewObject = created };
        }
        var copy = (JsonObject)existing.DeepClone();
        var spec0 = copy["spec"] as JsonObject ?? (JsonObject)(copy["spec"] = new JsonObject());
        var groups = spec0["groups"] as JsonArray ?? (JsonArray)(spec0["groups"] = new JsonArray());
        var target = groups.OfType<JsonObject>().FirstOrDefault(g => PromJson.Str(g, "name") == group);
        if (target is null) groups.Add(target = new JsonObject { ["name"] = group, ["rules"] = new JsonArray() });
        var rules = target["rules"] as JsonArray ?? (JsonArray)(target["rules"] = new JsonArray());
        if (rules.OfType<JsonObject>().Any(r => RuleName(r) == spec.Name))
            throw new OpsException("AlertRuleExists", OpsErrorCategory.ResourceExists,
                $"Group '{group}' of {Kind} {ns}/{objectName} already has a rule '{spec.Name}'. Change it with Set-AlertRule.", spec.Name);
        rules.Add(rule);
        return new PromRuleChange
        {
            Kind = PromRuleChangeKind.AddRule, Namespace = ns, ObjectName = objectName, Group = group, RuleName = spec.Name,
            After = PromRuleYaml.Of(rule), NewObject = copy, ResourceVersion = PromJson.Str(existing["metadata"], "resourceVersion"),
        };
    }

    /// <summary>Set-AlertRule: the rule found by name (in the object and group when given) with the spec's values set.</summary>
    public async Task<PromRuleChange> PlanSetAsync(PromRuleSpec spec, string ns, string? objectName, string? group, CancellationToken ct)
    {
        Check(spec, isNew: false);
        var (obj, found, foundGroup) = await FindAsync(spec.Name, ns, objectName, group, ct).ConfigureAwait(false);
        var before = PromRuleYaml.Of(found);
        Apply(found, spec, isNew: false);
        return new PromRuleChange
        {
            Kind = PromRuleChangeKind.UpdateRule, Namespace = ns, ObjectName = PromJson.Str(obj["metadata"], "name") ?? "", Group = foundGroup, RuleName = spec.Name,
            Before = before, After = PromRuleYaml.Of(found), NewObject = obj, ResourceVersion = PromJson.Str(obj["metadata"], "resourceVersion"),
        };
    }

    /// <summary>
    /// Remove-AlertRule: the rule found by name taken out of its group (a group left empty goes too). When it was the object's
    /// last rule the object is deleted, unless <paramref name="keepEmptyObject"/>: an empty PrometheusRule serves nothing.
    /// </summary>
    public async Task<PromRuleChange> PlanRemoveAsync(string name, string ns, string? objectName, string? group, bool keepEmptyObject, CancellationToken ct)
    {
        var (obj, found, foundGroup) = await FindAsync(name, ns, objectName, group, ct).ConfigureAwait(false);
        var before = PromRuleYaml.Of(found);
        var groups = (JsonArray)obj["spec"]!["groups"]!;
        var g = groups.OfType<JsonObject>().First(x => Rules(x).Contains(found));
        ((JsonArray)g["rules"]!).Remove(found);
        if (!Rules(g).Any()) groups.Remove(g);
        var empty = !Groups(obj).SelectMany(Rules).Any();
        var objName = PromJson.Str(obj["metadata"], "name") ?? "";
        return new PromRuleChange
        {
            Kind = empty && !keepEmptyObject ? PromRuleChangeKind.DeleteObject : PromRuleChangeKind.RemoveRule,
            Namespace = ns, ObjectName = objName, Group = foundGroup, RuleName = name, Before = before,
            NewObject = empty && !keepEmptyObject ? null : obj, ResourceVersion = PromJson.Str(obj["metadata"], "resourceVersion"),
        };
    }

    /// <summary>The one rule of that name (alert or record) in the namespace's objects, or in the named object and group; a copy of its object to change.</summary>
    private async Task<(JsonObject Object, JsonObject Rule, string Group)> FindAsync(string name, string ns, string? objectName, string? group, CancellationToken ct)
    {
        var objects = new List<JsonObject>();
        if (objectName is not null) objects.Add(await GetAsync(ns, objectName, ct).ConfigureAwait(false));
        else
        {
            string? cont = null;
            do
            {
                var token = cont;
                var page = Node(await _client.Call(api => api.CustomObjects.ListNamespacedCustomObjectAsync(ApiGroup, ApiVersion, ns, Plural, limit: 500, continueParameter: token, cancellationToken: ct),
                    Kind, null, ns).ConfigureAwait(false));
                objects.AddRange((page?["items"] as JsonArray ?? new JsonArray()).OfType<JsonObject>().Select(o => (JsonObject)o.DeepClone()));
                var next = PromJson.Str(page?["metadata"], "continue");
                cont = next is { Length: > 0 } && next != token ? next : null;
            } while (cont is not null);
        }
        var matches = (from o in objects
                       from g in Groups(o)
                       where @group is null || PromJson.Str(g, "name") == @group
                       from r in Rules(g)
                       where RuleName(r) == name
                       select (Object: o, Rule: r, Group: PromJson.Str(g, "name") ?? "")).ToList();
        var where = $"{(objectName is null ? $"the {Kind} objects of namespace '{ns}'" : $"{Kind} {ns}/{objectName}")}{(group is null ? "" : $", group '{group}'")}";
        if (matches.Count == 0)
            throw new OpsException("AlertRuleNotFound", OpsErrorCategory.ObjectNotFound, $"There is no rule '{name}' in {where}.", name)
            {
                RecommendedAction = "List the rules with Get-AlertRule -Source Cluster -Namespace " + ns + ".",
            };
        if (matches.Count > 1)
            throw new OpsException("AlertRuleAmbiguous", OpsErrorCategory.InvalidArgument,
                $"There are {matches.Count} rules '{name}' in {where}: " +
                string.Join(", ", matches.Select(m => $"{PromJson.Str(m.Object["metadata"], "name")} group '{m.Group}'")) + ". Give -ObjectName and -Group.", name);
        return matches[0];
    }

    /// <summary>Sets the spec's values on a rule object (in the usual key order for a new one).</summary>
    private static JsonObject Apply(JsonObject rule, PromRuleSpec spec, bool isNew)
    {
        if (isNew)
        {
            rule["alert"] = spec.Name;
            rule["expr"] = spec.Expression;
        }
        else if (spec.Expression is { } expr) rule["expr"] = expr;
        if (spec.For is { } f)
        {
            if (f.Length == 0) rule.Remove("for");
            else rule["for"] = f;
        }
        var labels = new Dictionary<string, string?>(StringComparer.Ordinal);
        if (spec.Severity is { } severity) labels["severity"] = severity;
        foreach (var (k, v) in spec.Labels ?? PromJson.NoLabels) labels[k] = v;
        var annotations = new Dictionary<string, string?>(StringComparer.Ordinal);
        if (spec.Summary is { } summary) annotations["summary"] = summary;
        if (spec.Description is { } description) annotations["description"] = description;
        if (spec.RunbookUrl is { } runbook) annotations["runbook_url"] = runbook;
        foreach (var (k, v) in spec.Annotations ?? PromJson.NoLabels) annotations[k] = v;
        Merge(rule, "labels", labels);
        Merge(rule, "annotations", annotations);
        return rule;
    }

    private static void Merge(JsonObject rule, string key, Dictionary<string, string?> values)
    {
        if (values.Count == 0) return;
        var map = rule[key] as JsonObject ?? (JsonObject)(rule[key] = new JsonObject());
        foreach (var (k, v) in values)
        {
            if (string.IsNullOrEmpty(v)) map.Remove(k);
            else map[k] = v;
        }
        if (map.Count == 0) rule.Remove(key);
    }

    // ---------------------------------------------------------------- applying

    /// <summary>
    /// Carries out a planned change: the object's rules checked with promtool first (when on PATH), then created, replaced
    /// (with the resourceVersion read when planning: KubeConflict if it changed since) or deleted. Returns the rule as it
    /// now stands (null when removed).
    /// </summary>
    public async Task<PromRuleDefinition?> ApplyAsync(PromRuleChange change, IProgress<OpsEvent>? events, CancellationToken ct)
    {
        var target = $"{change.Namespace}/{change.ObjectName}";
        if (change.NewObject is { } obj)
        {
            var spec = obj["spec"] as JsonObject ?? new JsonObject();
            await _validator.ValidateAsync(new JsonObject { ["groups"] = (spec["groups"] ?? new JsonArray()).DeepClone() }, change.RuleName, events, ct).ConfigureAwait(false);
        }
        events.Verbose(change.Summary + (change.Kind is PromRuleChangeKind.RemoveRule or PromRuleChangeKind.DeleteObject ? "" : ":\n" + change.Diff));
        try
        {
            JsonObject? written;
            switch (change.Kind)
            {
                case PromRuleChangeKind.CreateObject:
                    written = Node(await _client.Call(api => api.CustomObjects.CreateNamespacedCustomObjectAsync(change.NewObject!, ApiGroup, ApiVersion, change.Namespace, Plural, cancellationToken: ct),
                        Kind, change.ObjectName, change.Namespace).ConfigureAwait(false));
                    break;
                case PromRuleChangeKind.DeleteObject:
                    await _client.Call(api => api.CustomObjects.DeleteNamespacedCustomObjectAsync(ApiGroup, ApiVersion, change.Namespace, Plural, change.ObjectName, cancellationToken: ct),
                        Kind, change.ObjectName, change.Namespace).ConfigureAwait(false);
                    return null;
                default:
                    var body = (JsonObject)change.NewObject!.DeepClone();
                    if (change.ResourceVersion is { } rv && body["metadata"] is JsonObject meta) meta["resourceVersion"] = rv;
                    written = Node(await _client.Call(api => api.CustomObjects.ReplaceNamespacedCustomObjectAsync(body, ApiGroup, ApiVersion, change.Namespace, Plural, change.ObjectName, cancellationToken: ct),
                        Kind, change.ObjectName, change.Namespace).ConfigureAwait(false));
                    break;
            }
            if (change.Kind == PromRuleChangeKind.RemoveRule) return null;
            return Definitions(written ?? change.NewObject!, null, null, null).FirstOrDefault(d => d.Name == change.RuleName && d.Group == change.Group);
        }
        catch (OpsException ex) when (ex.ErrorId == "KubeInvalid")
        {
            throw new OpsException("AlertRuleInvalid", OpsErrorCategory.InvalidArgument, $"The cluster refused the rules of {Kind} {target}: {ex.Message}", change.RuleName, ex)
            {
                RecommendedAction = "Fix the expression (or the duration, label names) and try again; nothing was applied.",
            };
        }
        catch (OpsException ex) when (ex.ErrorId == "KubeConflict")
        {
            throw new OpsException("AlertRuleConflict", OpsErrorCategory.ResourceBusy,
                $"{Kind} {target} was changed by someone else after it was read; nothing was applied. Run the command again. ({ex.Message})", change.RuleName, ex);
        }
    }
}
