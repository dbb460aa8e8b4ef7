using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace RealEstateOps.Engine.Eks;

/// <summary>Reading EKS's JSON shapes (camelCase, timestamps as epoch seconds or ISO 8601).</summary>
internal static class EksJson
{
    public static string? Str(JsonObject? o, string name) =>
        o?[name] is JsonValue v && v.TryGetValue<string>(out var s) && s.Length > 0 ? s : null;

    public static int? Int(JsonObject? o, string name)
    {
        if (o?[name] is not JsonValue v) return null;
        if (v.TryGetValue<int>(out var i)) return i;
        if (v.TryGetValue<double>(out var d)) return (int)d;
        return v.TryGetValue<string>(out var s) && int.TryParse(s, NumberStyles.Integer, CultureInfo.InvariantCulture, out var p) ? p : null;
    }

    public static bool Bool(JsonObject? o, string name) => o?[name] is JsonValue v && v.TryGetValue<bool>(out var b) && b;

    public static DateTimeOffset? Time(JsonObject? o, string name)
    {
        if (o?[name] is not JsonValue v) return null;
        if (v.TryGetValue<double>(out var seconds)) return DateTimeOffset.FromUnixTimeMilliseconds((long)Math.Round(seconds * 1000));
        if (v.TryGetValue<string>(out var s))
        {
            if (double.TryParse(s, NumberStyles.Float, CultureInfo.InvariantCulture, out var n)) return DateTimeOffset.FromUnixTimeMilliseconds((long)Math.Round(n * 1000));
            if (DateTimeOffset.TryParse(s, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out var t)) return t;
        }
        return null;
    }

    public static IReadOnlyList<string> Strings(JsonNode? node) =>
        node is JsonArray a ? a.OfType<JsonValue>().Select(v => v.TryGetValue<string>(out var s) ? s : null).OfType<string>().ToList() : Array.Empty<string>();

    public static IEnumerable<JsonObject> Objects(JsonNode? node) => node is JsonArray a ? a.OfType<JsonObject>() : Enumerable.Empty<JsonObject>();

    public static IReadOnlyDictionary<string, string> Map(JsonNode? node)
    {
        var map = new Dictionary<string, string>(StringComparer.Ordinal);
        if (node is JsonObject o)
            foreach (var (k, v) in o)
                if (v is JsonValue value) map[k] = value.TryGetValue<string>(out var s) ? s : value.ToJsonString();
        return map;
    }

    private static IReadOnlyList<EksHealthIssue> Issues(JsonObject? health) =>
        Objects(health?["issues"]).Select(i => new EksHealthIssue { Code = Str(i, "code") ?? "", Message = Str(i, "message") ?? "", ResourceIds = Strings(i["resourceIds"]) }).ToList();

    public static EksCluster Cluster(JsonObject c) => new()
    {
        Name = Str(c, "name") ?? "",
        Arn = Str(c, "arn"),
        CreatedAt = Time(c, "createdAt"),
        Version = Str(c, "version") ?? "",
        Endpoint = Str(c, "endpoint"),
        RoleArn = Str(c, "roleArn"),
        VpcId = Str(c["resourcesVpcConfig"] as JsonObject, "vpcId"),
        Status = Str(c, "status") ?? "",
        CertificateAuthorityData = Str(c["certificateAuthority"] as JsonObject, "data"),
        OidcIssuer = Str((c["identity"] as JsonObject)?["oidc"] as JsonObject, "issuer"),
        PlatformVersion = Str(c, "platformVersion"),
        SupportType = Str(c["upgradePolicy"] as JsonObject, "supportType"),
        HealthIssues = Issues(c["health"] as JsonObject),
        Tags = Map(c["tags"]),
    };

    public static EksNodeGroup NodeGroup(JsonObject g, string clusterName)
    {
        var scaling = g["scalingConfig"] as JsonObject;
        var update = g["updateConfig"] as JsonObject;
        var lt = g["launchTemplate"] as JsonObject;
        return new EksNodeGroup
        {
            ClusterName = Str(g, "clusterName") ?? clusterName,
            NodeGroupName = Str(g, "nodegroupName") ?? "",
            Arn = Str(g, "nodegroupArn"),
            Version = Str(g, "version") ?? "",
            ReleaseVersion = Str(g, "releaseVersion"),
            CreatedAt = Time(g, "createdAt"),
            ModifiedAt = Time(g, "modifiedAt"),
            Status = Str(g, "status") ?? "",
            CapacityType = Str(g, "capacityType"),
            AmiType = Str(g, "amiType"),
            InstanceTypes = Strings(g["instanceTypes"]),
            MinSize = Int(scaling, "minSize"),
            MaxSize = Int(scaling, "maxSize"),
            DesiredSize = Int(scaling, "desiredSize"),
            MaxUnavailable = Int(update, "maxUnavailable"),
            MaxUnavailablePercentage = Int(update, "maxUnavailablePercentage"),
            UpdateStrategy = Str(update, "updateStrategy"),
            LaunchTemplateName = Str(lt, "name"),
            LaunchTemplateId = Str(lt, "id"),
            LaunchTemplateVersion = Str(lt, "version"),
            HealthIssues = Issues(g["health"] as JsonObject),
            Labels = Map(g["labels"]),
        };
    }

    public static EksUpdateStatus UpdateStatus(string? s) => s switch
    {
        "InProgress" => EksUpdateStatus.InProgress,
        "Successful" => EksUpdateStatus.Successful,
        "Failed" => EksUpdateStatus.Failed,
        "Cancelled" => EksUpdateStatus.Cancelled,
        _ => EksUpdateStatus.Unknown,
    };

    public static EksUpdate Update(JsonObject u, string clusterName, string? nodegroupName, string? addonName)
    {
        var parameters = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var p in Objects(u["params"]))
            if (Str(p, "type") is { } type) parameters[type] = Str(p, "value") ?? "";
        return new EksUpdate
        {
            ClusterName = clusterName,
            NodeGroupName = nodegroupName,
            AddonName = addonName,
            UpdateId = Str(u, "id") ?? "",
            Status = UpdateStatus(Str(u, "status")),
            Type = Str(u, "type") ?? "",
            Params = parameters,
            CreatedAt = Time(u, "createdAt"),
            Errors = Objects(u["errors"]).Select(e => new EksUpdateError
            {
                ErrorCode = Str(e, "errorCode") ?? "", ErrorMessage = Str(e, "errorMessage") ?? "", ResourceIds = Strings(e["resourceIds"]),
            }).ToList(),
        };
    }

    public static EksAddon Addon(JsonObject a, string clusterName) => new()
    {
        ClusterName = Str(a, "clusterName") ?? clusterName,
        AddonName = Str(a, "addonName") ?? "",
        AddonVersion = Str(a, "addonVersion") ?? "",
        Status = Str(a, "status") ?? "",
        HealthIssues = Issues(a["health"] as JsonObject),
        Arn = Str(a, "addonArn"),
        CreatedAt = Time(a, "createdAt"),
        ModifiedAt = Time(a, "modifiedAt"),
        ServiceAccountRoleArn = Str(a, "serviceAccountRoleArn"),
        Owner = Str(a, "owner"),
        Publisher = Str(a, "publisher"),
    };

    public static EksAddonCatalogEntry CatalogEntry(JsonObject a) => new()
    {
        AddonName = Str(a, "addonName") ?? "",
        Type = Str(a, "type"),
        Owner = Str(a, "owner"),
        Publisher = Str(a, "publisher"),
        Versions = Objects(a["addonVersions"]).Select(v =>
        {
            var compat = Objects(v["compatibilities"]).ToList();
            return new EksAddonCatalogVersion
            {
                AddonVersion = Str(v, "addonVersion") ?? "",
                ClusterVersions = compat.Select(c => Str(c, "clusterVersion")).OfType<string>().ToList(),
                DefaultFor = compat.Where(c => Bool(c, "defaultVersion")).Select(c => Str(c, "clusterVersion")).OfType<string>().ToList(),
                Architectures = Strings(v["architecture"]),
                RequiresConfiguration = Bool(v, "requiresConfiguration"),
            };
        }).ToList(),
    };

    public static EksInsightStatus InsightStatus(string? s) => s switch
    {
        "PASSING" => EksInsightStatus.Passing,
        "WARNING" => EksInsightStatus.Warning,
        "ERROR" => EksInsightStatus.Error,
        _ => EksInsightStatus.Unknown,
    };

    public static EksInsight Insight(JsonObject i, string clusterName, bool described)
    {
        var status = i["insightStatus"] as JsonObject;
        var summary = i["categorySpecificSummary"] as JsonObject;
        return new EksInsight
        {
            ClusterName = clusterName,
            Id = Str(i, "id") ?? "",
            Name = Str(i, "name") ?? "",
            Category = Str(i, "category") ?? "",
            KubernetesVersion = Str(i, "kubernetesVersion"),
            LastRefreshTime = Time(i, "lastRefreshTime"),
            LastTransitionTime = Time(i, "lastTransitionTime"),
            Description = Str(i, "description"),
            Status = InsightStatus(Str(status, "status")),
            Reason = Str(status, "reason"),
            Recommendation = Str(i, "recommendation"),
            AdditionalInfo = Map(i["additionalInfo"]),
            Resources = Objects(i["resources"]).Select(r => Str(r, "kubernetesResourceUri") ?? Str(r, "arn")).OfType<string>().ToList(),
            Deprecations = Objects(summary?["deprecationDetails"]).Select(d => new EksDeprecation
            {
                Usage = Str(d, "usage") ?? "",
                ReplacedWith = Str(d, "replacedWith"),
                StopServingVersion = Str(d, "stopServingVersion"),
                StartServingReplacementVersion = Str(d, "startServingReplacementVersion"),
                UserAgents = Objects(d["clientStats"]).Select(c => Str(c, "userAgent")).OfType<string>().ToList(),
            }).ToList(),
            IsDescribed = described,
        };
    }
}
