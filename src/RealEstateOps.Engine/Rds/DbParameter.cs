namespace RealEstateOps.Engine.Rds;

/// <summary>One parameter of a DB parameter group, as DescribeDBParameters reports it.</summary>
public sealed class DbParameter
{
    public string GroupName { get; init; } = "";
    public string Name { get; init; } = "";
    /// <summary>The value set in the group; null when the engine's default applies.</summary>
    public string? Value { get; init; }
    public string? Description { get; init; }
    /// <summary>user (set in this group), system, engine-default.</summary>
    public string? Source { get; init; }
    /// <summary>static (applies after a reboot) or dynamic (applies at once).</summary>
    public string? ApplyType { get; init; }
    public string? DataType { get; init; }
    public string? AllowedValues { get; init; }
    public bool IsModifiable { get; init; }
    public string? ApplyMethod { get; init; }

    public bool IsStatic => string.Equals(ApplyType, "static", StringComparison.OrdinalIgnoreCase);

    public override string ToString() => $"{Name}={Value}";
}
