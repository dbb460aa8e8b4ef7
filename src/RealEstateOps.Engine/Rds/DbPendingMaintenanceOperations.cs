using System.Runtime.CompilerServices;
using RealEstateOps.Engine.Common;

namespace RealEstateOps.Engine.Rds;

/// <summary>
/// Pending maintenance of DB instances: <see cref="ListAsync"/> (DescribePendingMaintenanceActions, filtered by db-instance-id, paged
/// with Marker one page at a time as the consumer asks), <see cref="PrepareApplyAsync"/> (reads only: the action is pending for the
/// instance, else DbPendingMaintenanceNotFound, and the opt-in type is one RDS takes) and <see cref="ApplyAsync"/>
/// (ApplyPendingMaintenanceAction with the instance's ARN).
/// </summary>
public sealed class DbPendingMaintenanceOperations
{
    public static readonly IReadOnlyList<string> OptInTypes = new[] { "immediate", "next-maintenance", "undo-opt-in" };

    private readonly IRdsClient _rds;

    public DbPendingMaintenanceOperations(IRdsClient rds) => _rds = rds;

    public async IAsyncEnumerable<DbPendingMaintenanceAction> ListAsync(DbPendingMaintenanceQuery query, [EnumeratorCancellation] CancellationToken ct)
    {
        var exact = query.DbInstanceIds.Where(i => !Wildcard.HasWildcard(i)).ToList();
        var patterns = query.DbInstanceIds.Where(Wildcard.HasWildcard).Select(Wildcard.ToRegex).ToList();
        var filters = exact.Count > 0 && patterns.Count == 0 ? new[] { new RdsFilter("db-instance-id", exact) } : null;
        string? marker = null;
        var seen = new HashSet<string>(StringComparer.Ordinal);
        do
        {
            var page = await _rds.DescribePendingMaintenanceActionsAsync(null, filters, query.PageSize, marker, ct).ConfigureAwait(false);
            foreach (var a in page.Items)
            {
                if (query.Action is { } action && !string.Equals(a.Action, action, StringComparison.OrdinalIgnoreCase)) continue;
                if (filters is null && query.DbInstanceIds.Count > 0 && !exact.Contains(a.DbInstanceId, StringComparer.OrdinalIgnoreCase) && !patterns.Any(p => p.IsMatch(a.DbInstanceId))) continue;
                yield return a;
            }
            marker = RdsOperations.Next(seen, page.Marker, "DescribePendingMaintenanceActions", null);
        } while (!string.IsNullOrEmpty(marker));
    }

    /// <summary>Checks an apply before it is made (reads only): the opt-in type, and that the action is pending for the instance; returns it (with the instance's ARN).</summary>
    public async Task<DbPendingMaintenanceAction> PrepareApplyAsync(string dbInstanceId, string action, string optInType, CancellationToken ct)
    {
        if (!OptInTypes.Contains(optInType, StringComparer.Ordinal))
            throw new OpsException("DbOptInTypeInvalid", OpsErrorCategory.InvalidArgument, $"'{optInType}' is not an opt-in type: use {string.Join(", ", OptInTypes)}.", optInType);
        var page = await _rds.DescribePendingMaintenanceActionsAsync(null, new[] { new RdsFilter("db-instance-id", new[] { dbInstanceId }) }, null, null, ct).ConfigureAwait(false);
        var pending = page.Items.Where(a => string.Equals(a.DbInstanceId, dbInstanceId, StringComparison.OrdinalIgnoreCase)).ToList();
        return pending.FirstOrDefault(a => string.Equals(a.Action, action, StringComparison.OrdinalIgnoreCase))
               ?? throw new OpsException("DbPendingMaintenanceNotFound", OpsErrorCategory.ObjectNotFound,
                   $"{dbInstanceId} has no pending '{action}' action{(pending.Count == 0 ? " (it has none pending)" : $" (pending: {string.Join(", ", pending.Select(a => a.Action))})")}.", dbInstanceId)
               {
                   RecommendedAction = $"List them with Get-DbPendingMaintenance -DbInstanceId {dbInstanceId}.",
               };
    }

    /// <summary>ApplyPendingMaintenanceAction for the action <see cref="PrepareApplyAsync"/> found; returns the action as RDS shows it after (its opt-in), or as it was when RDS no longer lists it.</summary>
    public async Task<DbPendingMaintenanceAction> ApplyAsync(DbPendingMaintenanceAction pending, string optInType, CancellationToken ct)
    {
        var after = await _rds.ApplyPendingMaintenanceActionAsync(pending.ResourceIdentifier, pending.Action, optInType, ct).ConfigureAwait(false);
        return after.FirstOrDefault(a => string.Equals(a.Action, pending.Action, StringComparison.OrdinalIgnoreCase)) ?? pending;
    }
}
