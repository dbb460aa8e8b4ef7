using System.Globalization;
using System.Text.Json.Nodes;
using RealEstateOps.Sandbox.Kubernetes;

namespace RealEstateOps.Sandbox.ArgoCd;

/// <summary>
/// The platform as Argo CD deploys it: the manifests of the Deployments and Services the Kubernetes sandbox seeds in
/// real-estate-ai, released as v1.0.0 (older image tags) and v1.1.0 (what runs), the application real-estate-ai with
/// automated sync over them, and its history (v1.0.0 three days ago, v1.1.0 when the platform's objects were made).
/// </summary>
public static class ArgoCdSeed
{
    public const string ApplicationName = "real-estate-ai";
    public const string PreviousRelease = "v1.0.0";
    public const string CurrentRelease = "v1.1.0";

    /// <summary>The seeded platform's manifests, one JSON file per object (k8s/&lt;name&gt;-deployment.json, k8s/&lt;name&gt;-service.json).</summary>
    public static Dictionary<string, JsonObject> CurrentManifests(KubeStore kube)
    {
        var files = new Dictionary<string, JsonObject>(StringComparer.Ordinal);
        lock (kube.Gate)
        {
            foreach (var d in kube.Items(KubeResources.Deployments, KubePlatform.Namespace).Where(PartOfPlatform))
                files[KubeStore.NameOf(d) + "-deployment.json"] = Manifest(d);
            foreach (var s in kube.Items(KubeResources.Services, KubePlatform.Namespace).Where(PartOfPlatform))
            {
                var m = Manifest(s);
                ((JsonObject)m["spec"]!).Remove("clusterIP");
                ((JsonObject)m["spec"]!).Remove("clusterIPs");
                files[KubeStore.NameOf(s) + "-service.json"] = m;
            }
        }
        return files;
    }

    private static bool PartOfPlatform(JsonObject o) => KubeStore.Labels(o).TryGetValue("app.kubernetes.io/part-of", out var v) && v == "real-estate-ai";

    private static JsonObject Manifest(JsonObject live) => new()
    {
        ["apiVersion"] = live["apiVersion"]!.DeepClone(), ["kind"] = live["kind"]!.DeepClone(),
        ["metadata"] = new JsonObject { ["name"] = KubeStore.NameOf(live), ["labels"] = KubeStore.Meta(live)["labels"]?.DeepClone() },
        ["spec"] = live["spec"]!.DeepClone(),
    };

    /// <summary>The release before: each platform image one patch version back (1.8.2 → 1.8.1; an x.y.0 tag stays).</summary>
    public static Dictionary<string, JsonObject> PreviousManifests(IReadOnlyDictionary<string, JsonObject> current)
    {
        var files = current.ToDictionary(kv => kv.Key, kv => (JsonObject)kv.Value.DeepClone(), StringComparer.Ordinal);
        foreach (var m in files.Values)
            if (m["spec"]?["template"]?["spec"]?["containers"]?[0] is JsonObject first && (string?)first["image"] is { } image && image.StartsWith("real-estate-ai/", StringComparison.Ordinal))
                first["image"] = OnePatchBack(image);
        return files;
    }

    internal static string OnePatchBack(string image)
    {
        var colon = image.LastIndexOf(':');
        var parts = image[(colon + 1)..].Split('.');
        if (colon < 0 || parts.Length != 3 || !int.TryParse(parts[2], NumberStyles.None, CultureInfo.InvariantCulture, out var patch) || patch == 0) return image;
        return image[..(colon + 1)] + parts[0] + "." + parts[1] + "." + (patch - 1).ToString(CultureInfo.InvariantCulture);
    }

    /// <summary>The application and its history: one sync per seeded release that the repository has (ids from 0), the last one deployed.</summary>
    public static async Task<ArgoApplication> ApplicationAsync(ArgoCdStore store, ArgoGitRepository git, DateTimeOffset now, CancellationToken ct)
    {
        var source = new JsonObject { ["repoURL"] = git.Folder, ["path"] = ArgoGitRepository.ManifestPath, ["targetRevision"] = "main" };
        var spec = new JsonObject
        {
            ["source"] = source.DeepClone(),
            ["destination"] = new JsonObject { ["server"] = ArgoCdStore.InClusterServer, ["namespace"] = KubePlatform.Namespace },
            ["project"] = "default",
            ["syncPolicy"] = new JsonObject { ["automated"] = new JsonObject { ["prune"] = false, ["selfHeal"] = false } },
        };
        var app = store.Add(ApplicationName, spec, now - TimeSpan.FromDays(34), new JsonObject { ["app.kubernetes.io/part-of"] = "real-estate-ai" });
        var deployed = new[] { (PreviousRelease, now - TimeSpan.FromDays(3) + TimeSpan.FromMinutes(6), (JsonObject)new JsonObject { ["username"] = "admin" }),
                               (CurrentRelease, now - TimeSpan.FromHours(26), new JsonObject { ["automated"] = true }) };
        foreach (var (tag, at, initiatedBy) in deployed)
        {
            string sha;
            try { sha = await git.ResolveAsync(tag, ct).ConfigureAwait(false); }
            catch (ArgoGitException) { continue; }
            var entry = new JsonObject
            {
                ["revision"] = sha, ["deployedAt"] = ArgoCdJson.Time(at), ["id"] = (long)app.History.Count, ["source"] = source.DeepClone(),
                ["deployStartedAt"] = ArgoCdJson.Time(at - TimeSpan.FromSeconds(41)), ["initiatedBy"] = initiatedBy,
            };
            lock (store.Gate)
            {
                app.History.Add(entry);
                var operation = new JsonObject
                {
                    ["sync"] = new JsonObject { ["revision"] = sha, ["syncStrategy"] = new JsonObject { ["hook"] = new JsonObject() } },
                    ["initiatedBy"] = initiatedBy.DeepClone(), ["retry"] = new JsonObject(),
                };
                app.OperationState = new JsonObject
                {
                    ["operation"] = operation, ["phase"] = "Succeeded", ["message"] = "successfully synced (all tasks run)",
                    ["syncResult"] = new JsonObject { ["resources"] = new JsonArray(), ["revision"] = sha, ["source"] = source.DeepClone() },
                    ["startedAt"] = ArgoCdJson.Time(at - TimeSpan.FromSeconds(41)), ["finishedAt"] = ArgoCdJson.Time(at),
                };
            }
        }
        return app;
    }
}
