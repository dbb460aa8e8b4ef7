namespace RealEstateOps.Engine.Rds;

/// <summary>What Set-DbParameter did: the parameter's old and new value, and whether the instance now waits for a reboot.</summary>
public sealed class DbParameterChangeResult
{
    public string GroupName { get; init; } = "";
    public string? DbInstanceId { get; init; }
    public string Name { get; init; } = "";
    public string? OldValue { get; init; }
    public string Value { get; init; } = "";
    public string ApplyMethod { get; init; } = "";
    public string? ApplyType { get; init; }
    /// <summary>The instance's ParameterApplyStatus after the change (in-sync, applying, pending-reboot), when an instance is known.</summary>
    public string? ParameterApplyStatus { get; init; }
    /// <summary>The change takes effect only after Restart-DbInstance.</summary>
    public bool PendingReboot { get; init; }
    public string Message { get; init; } = "";

    public override string ToString() => Message;
}
