using System.Management.Automation;
using RealEstateOps.Completers;
using RealEstateOps.Engine.Rds;

namespace RealEstateOps.Commands.Rds;

/// <summary>
/// The runbook's "connection limit: raise max_connections": ModifyDBParameterGroup on the instance's custom parameter group (or the one
/// named). Refuses AWS's default group (DbParameterGroupIsDefault, with what to do instead), unknown parameters (DbParameterNotFound) and
/// a static parameter applied immediately (DbParameterRequiresReboot); the result says whether the instance now waits for a reboot.
/// </summary>
[Cmdlet(VerbsCommon.Set, "DbParameter", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Medium)]
[OutputType(typeof(DbParameterChangeResult))]
public sealed class SetDbParameterCommand : RdsCommandBase
{
    [Parameter(Mandatory = true, Position = 0)]
    [Alias("ParameterName")]
    [ArgumentCompleter(typeof(DbParameterNameCompleter))]
    public string Name { get; set; } = "";

    [Parameter(Mandatory = true, Position = 1)]
    [Alias("ParameterValue")]
    public string Value { get; set; } = "";

    /// <summary>immediate (dynamic parameters) or pending-reboot (static ones, e.g. max_connections); by default what the parameter allows.</summary>
    [Parameter]
    [ValidateSet("immediate", "pending-reboot")]
    public string? ApplyMethod { get; set; }

    /// <summary>The group to change; by default the instance's.</summary>
    [Parameter]
    [Alias("DBParameterGroupName")]
    [ArgumentCompleter(typeof(DbParameterGroupNameCompleter))]
    public string? ParameterGroupName { get; set; }

    /// <summary>The instance whose group is changed (and whose apply status the result reports); the context's DbInstanceId by default.</summary>
    [Parameter(ValueFromPipelineByPropertyName = true)]
    [Alias("DBInstanceIdentifier")]
    [ArgumentCompleter(typeof(DbInstanceIdCompleter))]
    public string? DbInstanceId { get; set; }

    protected override void ProcessRecordCore()
    {
        var instance = string.IsNullOrEmpty(ParameterGroupName) ? InstanceId(DbInstanceId) : Setting(DbInstanceId, nameof(DbInstanceId), c => c.DbInstanceId)?.Value;
        var plan = Run(ct => Parameters.PlanAsync(new DbParameterSetRequest
        {
            GroupName = ParameterGroupName, DbInstanceId = instance, Name = Name, Value = Value, ApplyMethod = ApplyMethod,
        }, ct));
        WriteVerbose($"{plan.Current.Name} in {plan.GroupName}: {plan.Current.Value ?? "(default)"} now, {plan.Current.ApplyType} parameter, source {plan.Current.Source}.");
        var result = Change(plan.GroupName, $"Set {plan.Current.Name} = {plan.Value} ({plan.ApplyMethod}) in parameter group '{plan.GroupName}'",
            ct => Parameters.ApplyAsync(plan, ct));
        if (result is null) return;
        if (result.PendingReboot) WriteWarning(result.Message);
        WriteObject(result);
    }
}
