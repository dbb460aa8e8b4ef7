using System.Runtime.CompilerServices;
using RealEstateOps.Engine.Common;

namespace RealEstateOps.Engine.Rds;

/// <summary>
/// The "connection limit -> raise max_connections" resolution on an <see cref="IRdsClient"/>: a parameter group's parameters
/// (streamed page by page), and one parameter changed after checks that name what is wrong: the group is AWS's default
/// (DbParameterGroupIsDefault: create and attach a custom group), the parameter is unknown (DbParameterNotFound) or not
/// modifiable (DbParameterNotModifiable), a static parameter asked to apply immediately (DbParameterRequiresReboot). The result
/// says whether the instance now waits for a reboot (its ParameterApplyStatus).
/// </summary>
public sealed class DbParameterOperations
{
    public const string Immediate = "immediate";
    public const string PendingReboot = "pending-reboot";

    private readonly IRdsClient _rds;

    public DbParameterOperations(IRdsClient rds) => _rds = rds;

    /// <summary>Streams a group's parameters, page by page; the next page is asked for only when the consumer wants the item after the last.</summary>
    public async IAsyncEnumerable<DbParameter> GetParametersAsync(DbParameterQuery query, [EnumeratorCancellation] CancellationToken ct)
    {
        var patterns = query.Names.Select(Wildcard.ToRegex).ToList();
        var group = await GroupOfAsync(query.GroupName, query.DbInstanceId, ct).ConfigureAwait(false);
        string? marker = null;
        var seen = new HashSet<string>(StringComparer.Ordinal);
        do
        {
            var page = await _rds.DescribeDBParametersAsync(group, query.Source, query.PageSize, marker, ct).ConfigureAwait(false);
            foreach (var p in page.Items)
                if (patterns.Count == 0 || patterns.Any(r => r.IsMatch(p.Name))) yield return p;
            marker = page.Marker;
            if (!string.IsNullOrEmpty(marker) && !seen.Add(marker))
                throw new OpsException("RdsPagingLoop", OpsErrorCategory.InvalidResult,
                    $"RDS returned a DescribeDBParameters marker it had already given: paging stopped instead of looping.", group);
        } while (!string.IsNullOrEmpty(marker));
    }

    public async Task<DbParameter?> FindParameterAsync(string groupName, string name, CancellationToken ct)
    {
        await foreach (var p in GetParametersAsync(new DbParameterQuery { GroupName = groupName }, ct).ConfigureAwait(false))
            if (string.Equals(p.Name, name, StringComparison.OrdinalIgnoreCase)) return p;
        return null;
    }

    /// <summary>The group an instance uses (DescribeDBInstances).</summary>
    public async Task<DbInstance> InstanceAsync(string dbInstanceId, CancellationToken ct) =>
        (await _rds.DescribeDBInstancesAsync(dbInstanceId, null, null, ct).ConfigureAwait(false)).Items.FirstOrDefault()
        ?? throw new OpsException("DBInstanceNotFound", OpsErrorCategory.ObjectNotFound, $"DBInstance {dbInstanceId} not found.", dbInstanceId);

    /// <summary>The group given, else the instance's group (DescribeDBInstances).</summary>
    public async Task<string> GroupOfAsync(string? groupName, string? dbInstanceId, CancellationToken ct)
    {
        if (!string.IsNullOrEmpty(groupName)) return groupName;
        if (string.IsNullOrEmpty(dbInstanceId))
            throw new OpsException("DbParameterGroupNotSet", OpsErrorCategory.InvalidArgument,
                "No parameter group: give -ParameterGroupName, or -DbInstanceId (or DbInstanceId in the context) to use the instance's group.");
        var instance = await InstanceAsync(dbInstanceId, ct).ConfigureAwait(false);
        return instance.ParameterGroup ?? throw new OpsException("DbParameterGroupNotSet", OpsErrorCategory.InvalidResult,
            $"RDS reports no parameter group for {instance.DbInstanceId}; give -ParameterGroupName.", instance.DbInstanceId);
    }

    /// <summary>Streams the parameter groups' names (completion), page by page.</summary>
    public async IAsyncEnumerable<DbParameterGroup> GetGroupsAsync([EnumeratorCancellation] CancellationToken ct)
    {
        string? marker = null;
        var seen = new HashSet<string>(StringComparer.Ordinal);
        do
        {
            var page = await _rds.DescribeDBParameterGroupsAsync(null, null, marker, ct).ConfigureAwait(false);
            foreach (var g in page.Items) yield return g;
            marker = page.Marker;
            if (!string.IsNullOrEmpty(marker) && !seen.Add(marker))
                throw new OpsException("RdsPagingLoop", OpsErrorCategory.InvalidResult, "RDS returned a DescribeDBParameterGroups marker it had already given: paging stopped instead of looping.");
        } while (!string.IsNullOrEmpty(marker));
    }

    /// <summary>Checks a change before it is made (reads only): the group, the parameter, its value and when it can apply.</summary>
    public async Task<DbParameterPlan> PlanAsync(DbParameterSetRequest request, CancellationToken ct)
    {
        if (request.ApplyMethod is { } m && m is not (Immediate or PendingReboot))
            throw new OpsException("DbParameterApplyMethodInvalid", OpsErrorCategory.InvalidArgument, $"ApplyMethod '{m}' is not valid: use immediate or pending-reboot.", m);
        var group = await GroupOfAsync(request.GroupName, request.DbInstanceId, ct).ConfigureAwait(false);
        if (DbParameterGroup.IsDefaultName(group))
            throw new OpsException("DbParameterGroupIsDefault", OpsErrorCategory.InvalidOperation,
                $"'{group}' is AWS's default parameter group: it cannot be modified (every instance of its family shares it). " +
                "Create a custom group of the same family, attach it to the instance (ModifyDBInstance -DBParameterGroupName, then a reboot), and set the parameter there.", group)
            {
                RecommendedAction = $"aws rds create-db-parameter-group --db-parameter-group-name <name> --db-parameter-group-family <family of {group}> --description ...; " +
                                    "aws rds modify-db-instance --db-parameter-group-name <name>; then Set-DbParameter -ParameterGroupName <name>.",
            };
        var current = await FindParameterAsync(group, request.Name, ct).ConfigureAwait(false)
            ?? throw new OpsException("DbParameterNotFound", OpsErrorCategory.ObjectNotFound,
                $"Parameter group '{group}' has no parameter '{request.Name}'. List them with Get-DbParameter -ParameterGroupName {group}.", request.Name);
        if (!current.IsModifiable)
            throw new OpsException("DbParameterNotModifiable", OpsErrorCategory.InvalidOperation,
                $"'{current.Name}' cannot be modified in RDS (IsModifiable false).", current);
        if (request.Value.Length == 0)
            throw new OpsException("DbParameterValueInvalid", OpsErrorCategory.InvalidArgument, $"An empty value for '{current.Name}' is not valid.", current);
        if (current.DataType is "integer" && !long.TryParse(request.Value, out _))
            throw new OpsException("DbParameterValueInvalid", OpsErrorCategory.InvalidArgument,
                $"'{current.Name}' takes an integer{(current.AllowedValues is { } range ? $" ({range})" : "")}; '{request.Value}' is not one.", current);
        if (current.DataType is "integer" && current.AllowedValues is { } allowed && allowed.Split('-') is [var lo, var hi]
            && long.TryParse(lo, out var min) && long.TryParse(hi, out var max) && long.TryParse(request.Value, out var v) && (v < min || v > max))
            throw new OpsException("DbParameterValueInvalid", OpsErrorCategory.InvalidArgument,
                $"'{current.Name}' takes a value from {min} to {max}; {v} is outside that range.", current);
        var method = request.ApplyMethod ?? (current.IsStatic ? PendingReboot : Immediate);
        if (current.IsStatic && method == Immediate)
            throw new OpsException("DbParameterRequiresReboot", OpsErrorCategory.InvalidArgument,
                $"'{current.Name}' is a static parameter: it takes effect only after a reboot, so it cannot be applied immediately. " +
                $"Use -ApplyMethod pending-reboot, then Restart-DbInstance.", current)
            { RecommendedAction = $"Set-DbParameter -Name {current.Name} -Value {request.Value} -ApplyMethod pending-reboot; Restart-DbInstance -Wait" };
        return new DbParameterPlan { GroupName = group, DbInstanceId = request.DbInstanceId, Current = current, Value = request.Value, ApplyMethod = method };
    }

    /// <summary>Makes a planned change (ModifyDBParameterGroup), then reads the instance's apply status when an instance is known.</summary>
    public async Task<DbParameterChangeResult> ApplyAsync(DbParameterPlan plan, CancellationToken ct)
    {
        await _rds.ModifyDBParameterGroupAsync(plan.GroupName, new[] { new DbParameterChange(plan.Current.Name, plan.Value, plan.ApplyMethod) }, ct).ConfigureAwait(false);
        string? status = null;
        if (!string.IsNullOrEmpty(plan.DbInstanceId))
        {
            var instance = await InstanceAsync(plan.DbInstanceId, ct).ConfigureAwait(false);
            if (string.Equals(instance.ParameterGroup, plan.GroupName, StringComparison.OrdinalIgnoreCase)) status = instance.ParameterApplyStatus;
        }
        var pending = status == "pending-reboot" || (status is null && plan.ApplyMethod == PendingReboot);
        var on = plan.DbInstanceId is { Length: > 0 } id ? $" on {id}" : "";
        var message = pending
            ? $"{plan.Current.Name} is {plan.Value} in {plan.GroupName} (was {plan.Current.Value ?? "the default"}); it takes effect after a reboot{on}: Restart-DbInstance{(plan.DbInstanceId is { Length: > 0 } i ? " -DbInstanceId " + i : "")}."
            : $"{plan.Current.Name} is {plan.Value} in {plan.GroupName} (was {plan.Current.Value ?? "the default"}); applied immediately{on}.";
        return new DbParameterChangeResult
        {
            GroupName = plan.GroupName, DbInstanceId = plan.DbInstanceId, Name = plan.Current.Name, OldValue = plan.Current.Value, Value = plan.Value,
            ApplyMethod = plan.ApplyMethod, ApplyType = plan.Current.ApplyType, ParameterApplyStatus = status, PendingReboot = pending, Message = message,
        };
    }
}
