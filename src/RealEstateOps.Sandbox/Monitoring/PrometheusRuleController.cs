using System.Text.Json.Nodes;
using RealEstateOps.Sandbox.Kubernetes;

namespace RealEstateOps.Sandbox.Monitoring;

/// <summary>
/// What prometheus-operator and its admission webhook do for PrometheusRule objects (monitoring.coreos.com/v1) in the
/// Kubernetes sandbox: a rule is refused before it is stored unless <c>promtool check rules</c> accepts its groups (422
/// Invalid with promtool's complaint; without promtool, only the shape is checked: spec.groups a list of named groups
/// with rules, each an alert or record with an expr); once stored, its groups are written to Prometheus' rule folder as
/// <c>&lt;namespace&gt;-&lt;name&gt;.yaml</c> and Prometheus reloads; a deleted rule's file is removed, and Prometheus reloads.
/// </summary>
public sealed class PrometheusRuleController : IKubeAdmission
{
    public const string WebhookName = "prometheusrulevalidate.monitoring.coreos.com";
    private readonly SandboxContext _sandbox;
    private readonly Promtool? _promtool;
    private readonly SemaphoreSlim _files = new(1, 1);

    public PrometheusRuleController(SandboxContext sandbox)
    {
        _sandbox = sandbox;
        _promtool = File.Exists(sandbox.Options.PromtoolProgram) ? new Promtool(sandbox.Options.PromtoolProgram) : null;
    }

    public bool Handles(KubeResource resource) => resource == KubeResources.PrometheusRules;

    /// <summary>The rule file of a PrometheusRule: its spec.groups under <c>groups:</c>.</summary>
    public static string RuleFile(JsonObject rule) => YamlText.Of(new JsonObject { ["groups"] = rule["spec"]?["groups"]?.DeepClone() ?? new JsonArray() });

    public static string FileNameOf(JsonObject rule) => PlatformAlertRules.FileName(KubeStore.NamespaceOf(rule) ?? "default", KubeStore.NameOf(rule));

    /// <summary>The rule files of every PrometheusRule in <paramref name="store"/>, by file name: what Prometheus starts with.</summary>
    public static Dictionary<string, string> Files(KubeStore store)
    {
        lock (store.Gate) return store.Items(KubeResources.PrometheusRules).ToDictionary(FileNameOf, RuleFile, StringComparer.Ordinal);
    }

    public async Task ValidateAsync(JsonObject obj, CancellationToken ct)
    {
        var name = (string?)KubeStore.Meta(obj)["name"] ?? "";
        if (ShapeProblem(obj) is { } problem) throw Denied(name, problem);
        if (_promtool is null) return;
        var folder = _sandbox.Monitoring?.Folder ?? _sandbox.Options.StateDir;
        var result = await _promtool.CheckRulesAsync(RuleFile(obj), folder, FileNameOf(obj), ct).ConfigureAwait(false);
        if (!result.Ok) throw Denied(name, result.Output);
    }

    /// <summary>
    /// 422 Invalid, as the operator's validating webhook answers: the message names the webhook and carries promtool's words;
    /// the one cause (field spec.groups) carries them too, which is what kubectl prints ("The PrometheusRule "x" is invalid: ...").
    /// </summary>
    private static KubeApiException Denied(string name, string why)
    {
        var message = $"admission webhook \"{WebhookName}\" denied the request: {why}";
        return new(422, "Invalid", $"PrometheusRule \"{name}\" is invalid: {message}", new JsonObject
        {
            ["name"] = name, ["group"] = "monitoring.coreos.com", ["kind"] = "PrometheusRule",
            ["causes"] = new JsonArray(new JsonObject { ["reason"] = "FieldValueInvalid", ["message"] = message, ["field"] = "spec.groups" }),
        });
    }

    /// <summary>Why the object is not a PrometheusRule with rule groups; null when it is.</summary>
    public static string? ShapeProblem(JsonObject obj)
    {
        if (obj["spec"] is not JsonObject spec) return "spec is missing";
        if (spec["groups"] is not JsonArray groups) return "spec.groups must be a list of rule groups";
        for (var g = 0; g < groups.Count; g++)
        {
            if (groups[g] is not JsonObject group) return $"spec.groups[{g}] must be an object";
            if (group["name"] is not JsonValue groupName || groupName.GetValueKind() != System.Text.Json.JsonValueKind.String || ((string?)groupName)!.Length == 0)
                return $"spec.groups[{g}].name must be a non-empty string";
            if (group["rules"] is not JsonArray rules) return $"spec.groups[{g}].rules must be a list of rules";
            for (var r = 0; r < rules.Count; r++)
            {
                if (rules[r] is not JsonObject rule) return $"spec.groups[{g}].rules[{r}] must be an object";
                var isAlert = rule["alert"] is not null;
                if (isAlert == (rule["record"] is not null)) return $"spec.groups[{g}].rules[{r}] must have exactly one of alert and record";
                if (rule["expr"] is not JsonValue expr || string.IsNullOrWhiteSpace(expr.ToString())) return $"spec.groups[{g}].rules[{r}].expr must be a PromQL expression";
            }
        }
        return null;
    }

    public async Task AppliedAsync(JsonObject obj, CancellationToken ct)
    {
        if (_sandbox.Monitoring is not { } monitoring) return;
        await _files.WaitAsync(ct).ConfigureAwait(false);
        try
        {
            Engine.Common.FileUtil.WriteAtomic(Path.Combine(monitoring.RulesFolder, FileNameOf(obj)), RuleFile(obj), ownerOnly: true);
            await monitoring.ReloadPrometheusAsync(ct).ConfigureAwait(false);
        }
        finally { _files.Release(); }
    }

    public async Task DeletedAsync(JsonObject obj, CancellationToken ct)
    {
        if (_sandbox.Monitoring is not { } monitoring) return;
        await _files.WaitAsync(ct).ConfigureAwait(false);
        try
        {
            File.Delete(Path.Combine(monitoring.RulesFolder, FileNameOf(obj)));
            await monitoring.ReloadPrometheusAsync(ct).ConfigureAwait(false);
        }
        finally { _files.Release(); }
    }
}
