namespace RealEstateOps.Engine.Rds;

/// <summary>
/// The network facts of a DB instance for the runbook's network case: its VPC security groups with their inbound rules, and its
/// DB subnet group's subnets (availability zone, CIDR), with plain-sentence findings (what admits the instance's port, or that nothing does).
/// </summary>
public sealed class DbSecurityFacts
{
    public string DbInstanceId { get; init; } = "";
    public string? VpcId { get; init; }
    public int? Port { get; init; }
    public bool PubliclyAccessible { get; init; }
    public string? SubnetGroup { get; init; }
    public IReadOnlyList<DbSecurityGroup> SecurityGroups { get; init; } = Array.Empty<DbSecurityGroup>();
    public IReadOnlyList<DbSubnet> Subnets { get; init; } = Array.Empty<DbSubnet>();
    /// <summary>Some inbound rule of some group admits the instance's port.</summary>
    public bool PortOpen { get; init; }
    public IReadOnlyList<string> Findings { get; init; } = Array.Empty<string>();

    public override string ToString() => DbInstanceId;
}
