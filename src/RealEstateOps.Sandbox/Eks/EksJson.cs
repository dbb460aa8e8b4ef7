using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http;
using RealEstateOps.Sandbox.Kubernetes;

namespace RealEstateOps.Sandbox.Eks;

/// <summary>
/// EKS's wire format (REST-JSON, API 2017-11-01, as botocore's model describes it): camelCase members, timestamps as epoch
/// seconds, errors as HTTP status + x-amzn-ErrorType header + {"message": ...} body (with clusterName/nodegroupName/addonName).
/// </summary>
internal sealed class EksJson
{
    private static readonly JsonSerializerOptions Compact = new() { WriteIndented = false };
    private readonly EksStore _store;

    public EksJson(EksStore store) => _store = store;

    /// <summary>A timestamp as EKS sends it: epoch seconds with milliseconds.</summary>
    public static JsonNode Time(DateTimeOffset t) => JsonValue.Create(Math.Round(t.ToUnixTimeMilliseconds() / 1000.0, 3));

    public static async Task WriteAsync(HttpContext http, JsonNode body, int status = 200)
    {
        http.Response.StatusCode = status;
        http.Response.ContentType = "application/json";
        await http.Response.WriteAsync(body.ToJsonString(Compact), http.RequestAborted);
    }

    public static Task WriteErrorAsync(HttpContext http, int status, string code, string message, string? cluster = null, string? nodegroup = null, string? addon = null)
    {
        http.Response.Headers["x-amzn-ErrorType"] = code;
        http.Response.Headers["x-amzn-RequestId"] = Guid.NewGuid().ToString();
        var body = new JsonObject { ["message"] = message };
        if (cluster is not null) body["clusterName"] = cluster;
        if (nodegroup is not null) body["nodegroupName"] = nodegroup;
        if (addon is not null) body["addonName"] = addon;
        return WriteAsync(http, body, status);
    }

    public static Task WriteFaultAsync(HttpContext http, EksFault f) => WriteErrorAsync(http, f.Status, f.Code, f.Message, f.ClusterName, f.NodegroupName, f.AddonName);

    private static JsonArray Strings(IEnumerable<string> values) => new(values.Select(v => (JsonNode)v).ToArray());

    public JsonObject Cluster()
    {
        var c = _store.Cluster;
        var (endpoint, pem) = _store.Access();
        return new JsonObject
        {
            ["name"] = c.Name, ["arn"] = c.Arn, ["createdAt"] = Time(c.CreatedAt), ["version"] = c.Version,
            ["endpoint"] = endpoint?.TrimEnd('/'), ["roleArn"] = c.RoleArn,
            ["resourcesVpcConfig"] = new JsonObject
            {
                ["subnetIds"] = Strings(new[] { "subnet-0a1b2c3d4e5f60001", "subnet-0a1b2c3d4e5f60002", "subnet-0a1b2c3d4e5f60003" }),
                ["securityGroupIds"] = Strings(new[] { "sg-0e1d2c3b4a5960001" }), ["clusterSecurityGroupId"] = "sg-0e1d2c3b4a5960002",
                ["vpcId"] = "vpc-0sandbox00000000", ["endpointPublicAccess"] = false, ["endpointPrivateAccess"] = true, ["publicAccessCidrs"] = new JsonArray(),
            },
            ["kubernetesNetworkConfig"] = new JsonObject { ["serviceIpv4Cidr"] = "172.20.0.0/16", ["ipFamily"] = "ipv4" },
            ["logging"] = new JsonObject { ["clusterLogging"] = new JsonArray(new JsonObject { ["types"] = Strings(new[] { "api", "audit", "authenticator", "controllerManager", "scheduler" }), ["enabled"] = false }) },
            ["identity"] = new JsonObject { ["oidc"] = new JsonObject { ["issuer"] = $"https://oidc.eks.{EksStore.Region}.amazonaws.com/id/A3F5C2D16B7E4F809A1B2C3D4E5F6A7B" } },
            ["status"] = _store.ClusterStatus,
            ["certificateAuthority"] = new JsonObject { ["data"] = pem is null ? null : Convert.ToBase64String(System.Text.Encoding.ASCII.GetBytes(pem)) },
            ["platformVersion"] = c.PlatformVersion,
            ["tags"] = new JsonObject { ["Project"] = "real-estate-ai", ["Environment"] = "sandbox" },
            ["id"] = c.Id,
            ["health"] = new JsonObject { ["issues"] = new JsonArray() },
            ["accessConfig"] = new JsonObject { ["bootstrapClusterCreatorAdminPermissions"] = true, ["authenticationMode"] = "API_AND_CONFIG_MAP" },
            ["upgradePolicy"] = new JsonObject { ["supportType"] = "STANDARD" },
        };
    }

    public JsonObject Nodegroup(EksNodegroup ng)
    {
        var nodes = _store.NodesOf(ng.Name);
        var notReady = nodes.Where(n => !((n["status"]?["conditions"] as JsonArray)?.OfType<JsonObject>().Any(c => (string?)c["type"] == "Ready" && (string?)c["status"] == "True") ?? false))
            .Select(KubeStore.NameOf).ToList();
        var issues = new JsonArray();
        if (notReady.Count > 0)
            issues.Add(new JsonObject { ["code"] = "NodeCreationFailure", ["message"] = "Instances failed to join the kubernetes cluster", ["resourceIds"] = Strings(notReady) });
        var updateConfig = new JsonObject();
        if (ng.MaxUnavailablePercentage is { } pct) updateConfig["maxUnavailablePercentage"] = pct; else updateConfig["maxUnavailable"] = ng.MaxUnavailable ?? 1;
        return new JsonObject
        {
            ["nodegroupName"] = ng.Name, ["nodegroupArn"] = ng.Arn, ["clusterName"] = EksStore.ClusterName,
            ["version"] = _store.VersionOf(ng), ["releaseVersion"] = ng.ReleaseVersion,
            ["createdAt"] = Time(ng.CreatedAt), ["modifiedAt"] = Time(ng.ModifiedAt),
            ["status"] = _store.IsUpdating(ng) ? "UPDATING" : notReady.Count > 0 ? "DEGRADED" : "ACTIVE",
            ["capacityType"] = ng.CapacityType,
            ["scalingConfig"] = new JsonObject { ["minSize"] = ng.MinSize, ["maxSize"] = ng.MaxSize, ["desiredSize"] = ng.DesiredSize },
            ["instanceTypes"] = Strings(new[] { ng.InstanceType }),
            ["subnets"] = Strings(new[] { "subnet-0a1b2c3d4e5f60001", "subnet-0a1b2c3d4e5f60002", "subnet-0a1b2c3d4e5f60003" }),
            ["amiType"] = ng.AmiType,
            ["nodeRole"] = $"arn:aws:iam::{EksStore.Account}:role/{EksStore.ClusterName}-node-role",
            ["labels"] = new JsonObject(),
            ["resources"] = new JsonObject { ["autoScalingGroups"] = new JsonArray(new JsonObject { ["name"] = ng.AutoScalingGroup }) },
            ["diskSize"] = ng.DiskSize,
            ["health"] = new JsonObject { ["issues"] = issues },
            ["updateConfig"] = updateConfig,
            ["tags"] = new JsonObject { ["Project"] = "real-estate-ai" },
        };
    }

    public static JsonObject Update(EksUpdate u) => new()
    {
        ["id"] = u.Id, ["status"] = u.Status, ["type"] = u.Type,
        ["params"] = new JsonArray(u.Params.Select(p => (JsonNode)new JsonObject { ["type"] = p.Type, ["value"] = p.Value }).ToArray()),
        ["createdAt"] = Time(u.CreatedAt),
        ["errors"] = new JsonArray(u.Errors.Select(e => (JsonNode)new JsonObject { ["errorCode"] = e.ErrorCode, ["errorMessage"] = e.ErrorMessage, ["resourceIds"] = Strings(e.ResourceIds) }).ToArray()),
    };

    public JsonObject Addon(EksAddon a) => new()
    {
        ["addonName"] = a.Name, ["clusterName"] = EksStore.ClusterName, ["status"] = _store.IsUpdating(a) ? "UPDATING" : "ACTIVE",
        ["addonVersion"] = a.Version, ["health"] = new JsonObject { ["issues"] = new JsonArray() }, ["addonArn"] = a.Arn,
        ["createdAt"] = Time(a.CreatedAt), ["modifiedAt"] = Time(a.ModifiedAt),
        ["serviceAccountRoleArn"] = a.ServiceAccountRoleArn, ["tags"] = new JsonObject(), ["publisher"] = "eks", ["owner"] = "aws",
        ["configurationValues"] = a.ConfigurationValues,
    };

    public static JsonObject AddonInfo(EksAddonInfo info, string? kubernetesVersion) => new()
    {
        ["addonName"] = info.Name, ["type"] = info.Type,
        ["addonVersions"] = new JsonArray(info.Versions.Reverse()
            .Where(v => kubernetesVersion is null || v.ClusterVersions.Contains(kubernetesVersion))
            .Select(v => (JsonNode)new JsonObject
            {
                ["addonVersion"] = v.Version, ["architecture"] = Strings(new[] { "amd64", "arm64" }), ["computeTypes"] = Strings(new[] { "ec2" }),
                ["compatibilities"] = new JsonArray(v.ClusterVersions.Where(c => kubernetesVersion is null || c == kubernetesVersion).Select(c => (JsonNode)new JsonObject
                {
                    ["clusterVersion"] = c, ["platformVersions"] = Strings(new[] { "*" }), ["defaultVersion"] = v.DefaultFor.Contains(c),
                }).ToArray()),
                ["requiresConfiguration"] = false, ["requiresIamPermissions"] = info.Name is "vpc-cni",
            }).ToArray()),
        ["publisher"] = "eks", ["owner"] = "aws", ["marketplaceInformation"] = null, ["defaultNamespace"] = "kube-system",
    };

    public JsonObject InsightSummary(EksInsight i, DateTimeOffset now) => new()
    {
        ["id"] = i.Id, ["name"] = i.Name, ["category"] = EksInsight.Category, ["kubernetesVersion"] = i.KubernetesVersion,
        ["lastRefreshTime"] = Time(now), ["lastTransitionTime"] = Time(_store.InsightTransition(i.Id, i.Status)), ["description"] = i.Description,
        ["insightStatus"] = new JsonObject { ["status"] = i.Status, ["reason"] = i.Reason },
    };

    public JsonObject Insight(EksInsight i, DateTimeOffset now)
    {
        var o = InsightSummary(i, now);
        o["recommendation"] = i.Recommendation;
        o["additionalInfo"] = new JsonObject(i.AdditionalInfo.Select(kv => KeyValuePair.Create(kv.Key, (JsonNode?)kv.Value)));
        o["resources"] = new JsonArray(i.Resources.Select(r => (JsonNode)new JsonObject
        {
            ["insightStatus"] = new JsonObject { ["status"] = r.Status, ["reason"] = r.Reason },
            [r.Uri.StartsWith("arn:", StringComparison.Ordinal) ? "arn" : "kubernetesResourceUri"] = r.Uri,
        }).ToArray());
        o["categorySpecificSummary"] = i.CategorySpecificSummary?.DeepClone() ?? new JsonObject { ["deprecationDetails"] = new JsonArray(), ["addonCompatibilityDetails"] = new JsonArray() };
        return o;
    }
}
