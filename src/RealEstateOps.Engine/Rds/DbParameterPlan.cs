namespace RealEstateOps.Engine.Rds;

/// <summary>A checked parameter change, before it is made: the group, the parameter as it is now, the new value and when it applies.</summary>
public sealed class DbParameterPlan
{
    public required string GroupName { get; init; }
    public string? DbInstanceId { get; init; }
    public required DbParameter Current { get; init; }
    public required string Value { get; init; }
    /// <summary>immediate or pending-reboot.</summary>
    public required string ApplyMethod { get; init; }

    public override string ToString() => $"{GroupName}: {Current.Name} {Current.Value ?? "(default)"} -> {Value} ({ApplyMethod})";
}
