namespace RealEstateOps.Engine.Rds;

/// <summary>A subnet of an instance's DB subnet group, with what EC2 says of it (CIDR, free addresses).</summary>
public sealed class DbSubnet
{
    public string SubnetId { get; init; } = "";
    public string? AvailabilityZone { get; init; }
    public string? CidrBlock { get; init; }
    public string? VpcId { get; init; }
    /// <summary>RDS's SubnetStatus (Active) or EC2's state (available).</summary>
    public string? Status { get; init; }
    public int? AvailableIpAddressCount { get; init; }

    public override string ToString() => SubnetId;
}
