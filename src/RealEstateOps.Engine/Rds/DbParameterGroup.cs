namespace RealEstateOps.Engine.Rds;

/// <summary>A DB parameter group (DescribeDBParameterGroups).</summary>
public sealed class DbParameterGroup
{
    public string Name { get; init; } = "";
    /// <summary>postgres15, postgres16, ...</summary>
    public string? Family { get; init; }
    public string? Description { get; init; }
    public string? Arn { get; init; }

    /// <summary>AWS's own group for a family (default.postgres15, ...): it cannot be modified.</summary>
    public bool IsDefault => IsDefaultName(Name);

    public static bool IsDefaultName(string name) => name.StartsWith("default.", StringComparison.OrdinalIgnoreCase);

    public override string ToString() => Name;
}
