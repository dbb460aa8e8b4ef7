using RealEstateOps.Engine.Common;
using RealEstateOps.Engine.Kubernetes;

namespace RealEstateOps.Engine.Eks;

/// <summary>
/// An EKS update that ended Failed or Cancelled. Its id is the first error code EKS gave (PodEvictionFailure,
/// NodeCreationFailure, ...), else EksUpdateFailed or EksUpdateCancelled; the message lists every error with the resources
/// it names. For PodEvictionFailure, <see cref="BlockingBudgets"/> holds the disruption budgets that refuse the evictions
/// now, pod by pod, as the drain's preview sees them on the node group's cordoned nodes (empty when the cluster could not be read).
/// </summary>
public sealed class EksUpdateFailedException : OpsException
{
    public EksUpdateFailedException(string errorId, string message, EksUpdate update, IReadOnlyList<BudgetBlock> blockingBudgets)
        : base(errorId, OpsErrorCategory.InvalidResult, message, update)
    {
        Update = update;
        BlockingBudgets = blockingBudgets;
    }

    public EksUpdate Update { get; }
    public IReadOnlyList<BudgetBlock> BlockingBudgets { get; }
}
