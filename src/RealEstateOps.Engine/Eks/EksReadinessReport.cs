using RealEstateOps.Engine.Common;

namespace RealEstateOps.Engine.Eks;

/// <summary>The whole pre-flight: every verdict, and the worst of them.</summary>
public sealed class EksReadinessReport
{
    public string Cluster { get; init; } = "";
    public string CurrentVersion { get; init; } = "";
    public string TargetVersion { get; init; } = "";
    public EksReadinessCheck[] Checks { get; init; } = Array.Empty<EksReadinessCheck>();
    public EksReadinessResult Result => Checks.Length == 0 ? EksReadinessResult.Pass : Checks.Max(c => c.Result);
    public EksReadinessCheck[] Failed => Checks.Where(c => c.Result == EksReadinessResult.Fail).ToArray();
    public EksReadinessCheck[] Warnings => Checks.Where(c => c.Result == EksReadinessResult.Warn).ToArray();

    /// <summary>EksUpgradeNotReady: which checks fail and what each recommends; nothing was changed.</summary>
    public OpsException NotReadyError(bool isFatal) =>
        new("EksUpgradeNotReady", OpsErrorCategory.InvalidOperation,
            $"Cluster {Cluster} is not ready for {TargetVersion}: {Failed.Length} of {Checks.Length} checks fail: " +
            string.Join(" ", Failed.Select(c => $"[{c.Check} {c.Subject}] {c.Detail}")) + " Nothing was changed.", Cluster, isFatal: isFatal)
        {
            RecommendedAction = string.Join(" ", Failed.Select(c => c.Recommendation).OfType<string>().Distinct()) +
                                $" Then check again with Test-EksUpgradeReadiness -ClusterName {Cluster} -KubernetesVersion {TargetVersion}.",
        };
}
