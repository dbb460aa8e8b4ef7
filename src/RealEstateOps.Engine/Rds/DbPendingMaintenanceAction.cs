namespace RealEstateOps.Engine.Rds;

/// <summary>
/// One pending maintenance action of a DB instance (DescribePendingMaintenanceActions): the action (system-update, db-upgrade, ...),
/// when AWS applies it on its own (AutoAppliedAfterDate: in the first maintenance window after it; ForcedApplyDate: regardless of the
/// window), the opt-in the operator made (OptInStatus: immediate, next-maintenance, undo-opt-in) and the date it takes effect.
/// Pipes into Invoke-DbPendingMaintenance (DbInstanceId, Action).
/// </summary>
public sealed class DbPendingMaintenanceAction
{
    public string DbInstanceId { get; init; } = "";
    /// <summary>The resource's ARN (ApplyPendingMaintenanceAction's ResourceIdentifier).</summary>
    public string ResourceIdentifier { get; init; } = "";
    public string Action { get; init; } = "";
    public string? Description { get; init; }
    public DateTimeOffset? AutoAppliedAfterDate { get; init; }
    public DateTimeOffset? ForcedApplyDate { get; init; }
    public string? OptInStatus { get; init; }
    public DateTimeOffset? CurrentApplyDate { get; init; }

    public override string ToString() => $"{DbInstanceId}: {Action}";
}
