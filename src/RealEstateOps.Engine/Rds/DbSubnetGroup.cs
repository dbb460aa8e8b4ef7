namespace RealEstateOps.Engine.Rds;

/// <summary>A DB subnet group (DescribeDBSubnetGroups): the subnets, one per availability zone, an instance may be placed in.</summary>
public sealed class DbSubnetGroup
{
    public string Name { get; init; } = "";
    public string? Description { get; init; }
    public string? VpcId { get; init; }
    public string? Status { get; init; }
    public IReadOnlyList<DbSubnet> Subnets { get; init; } = Array.Empty<DbSubnet>();

    public override string ToString() => Name;
}
