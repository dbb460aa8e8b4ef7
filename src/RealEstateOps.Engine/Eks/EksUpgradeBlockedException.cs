using RealEstateOps.Engine.Common;

namespace RealEstateOps.Engine.Eks;

/// <summary>
/// EKS refused a control-plane update because its upgrade-readiness checks fail (InvalidStateException): the id stays EKS's
/// code, the message lists the failing (ERROR, then WARNING) upgrade insights for the target minor with their recommendation,
/// and <see cref="Insights"/> holds them.
/// </summary>
public sealed class EksUpgradeBlockedException : OpsException
{
    public EksUpgradeBlockedException(OpsException refusal, string message, IReadOnlyList<EksInsight> insights, string cluster)
        : base(refusal.ErrorId, OpsErrorCategory.InvalidOperation, message, cluster, refusal)
    {
        Insights = insights;
    }

    public IReadOnlyList<EksInsight> Insights { get; }
}
