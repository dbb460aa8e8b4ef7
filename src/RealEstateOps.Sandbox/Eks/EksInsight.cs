using System.Text.Json.Nodes;

namespace RealEstateOps.Sandbox.Eks;

/// <summary>One upgrade-readiness insight for a target minor: status, reason, recommendation, affected resources and details.</summary>
internal sealed record EksInsight(string Id, string Name, string KubernetesVersion, string Status, string Reason, string Description, string Recommendation,
    IReadOnlyList<(string Uri, string Status, string Reason)> Resources, JsonObject? CategorySpecificSummary, IReadOnlyDictionary<string, string> AdditionalInfo)
{
    public const string Category = "UPGRADE_READINESS";
}
