namespace RealEstateOps.Engine.Rds;

/// <summary>A VPC security group of a DB instance, with its inbound rules (EC2 DescribeSecurityGroups).</summary>
public sealed class DbSecurityGroup
{
    public string GroupId { get; init; } = "";
    public string? GroupName { get; init; }
    public string? Description { get; init; }
    public string? VpcId { get; init; }
    public IReadOnlyList<DbSecurityRule> InboundRules { get; init; } = Array.Empty<DbSecurityRule>();

    public override string ToString() => GroupId;
}
