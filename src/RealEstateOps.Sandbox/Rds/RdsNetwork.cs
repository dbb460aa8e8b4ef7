namespace RealEstateOps.Sandbox.Rds;

internal sealed record NetworkRule(string Protocol, int? FromPort, int? ToPort, string[] Cidrs, string[] SourceGroups, string? Description);

internal sealed record NetworkSecurityGroup(string Id, string Name, string Description, string VpcId, NetworkRule[] Inbound, NetworkRule[] Outbound);

internal sealed record NetworkSubnet(string Id, string VpcId, string AvailabilityZone, string CidrBlock, int AvailableIps, string Name);

internal sealed record NetworkDbSubnetGroup(string Name, string Description, string VpcId, string[] SubnetIds);

/// <summary>
/// The platform's network as EC2 and RDS describe it (read-only): the VPC's security groups (the database's admits the instances' port from the
/// EKS nodes' group and the private CIDR), its private and public subnets in three availability zones, and the DB subnet groups.
/// </summary>
internal sealed class RdsNetwork
{
    public const string PlatformVpc = "vpc-0a1b2c3d4e5f60718";
    public const string SandboxVpc = "vpc-0sandbox00000000";
    private static readonly NetworkRule AllOut = new("-1", null, null, new[] { "0.0.0.0/0" }, Array.Empty<string>(), null);

    /// <summary>The port the instances listen on (the sandbox's PostgreSQL server): the database's group admits it.</summary>
    public int DbPort { get; set; } = 5432;

    public IReadOnlyList<NetworkSecurityGroup> SecurityGroups => new NetworkSecurityGroup[]
    {
        new("sg-0realestatedb0001", "real-estate-ai-db", "PostgreSQL for the Real Estate AI platform", PlatformVpc,
            new[]
            {
                new NetworkRule("tcp", DbPort, DbPort, Array.Empty<string>(), new[] { "sg-0eksnodes00000001" }, "EKS worker nodes"),
                new NetworkRule("tcp", DbPort, DbPort, new[] { "10.0.0.0/16" }, Array.Empty<string>(), "Platform VPC private range"),
            },
            new[] { AllOut }),
        new("sg-0eksnodes00000001", "real-estate-ai-eks-nodes", "EKS managed node groups", PlatformVpc,
            new[]
            {
                new NetworkRule("-1", null, null, Array.Empty<string>(), new[] { "sg-0eksnodes00000001" }, "Node to node"),
                new NetworkRule("tcp", 443, 443, new[] { "10.0.0.0/16" }, Array.Empty<string>(), "Control plane"),
            },
            new[] { AllOut }),
        new("sg-0default00000000", "default", "default VPC security group", SandboxVpc,
            new[] { new NetworkRule("-1", null, null, Array.Empty<string>(), new[] { "sg-0default00000000" }, null) },
            new[] { AllOut }),
    };

    public IReadOnlyList<NetworkSubnet> Subnets { get; } = new NetworkSubnet[]
    {
        new("subnet-0private1a000001", PlatformVpc, "us-east-1a", "10.0.1.0/24", 243, "real-estate-ai-private-1a"),
        new("subnet-0private1b000002", PlatformVpc, "us-east-1b", "10.0.2.0/24", 247, "real-estate-ai-private-1b"),
        new("subnet-0private1c000003", PlatformVpc, "us-east-1c", "10.0.3.0/24", 250, "real-estate-ai-private-1c"),
        new("subnet-0public1a0000004", PlatformVpc, "us-east-1a", "10.0.101.0/24", 251, "real-estate-ai-public-1a"),
        new("subnet-0default1a000005", SandboxVpc, "us-east-1a", "172.31.0.0/20", 4091, "default-1a"),
        new("subnet-0default1b000006", SandboxVpc, "us-east-1b", "172.31.16.0/20", 4091, "default-1b"),
    };

    public IReadOnlyList<NetworkDbSubnetGroup> DbSubnetGroups { get; } = new NetworkDbSubnetGroup[]
    {
        new("default", "default", SandboxVpc, new[] { "subnet-0default1a000005", "subnet-0default1b000006" }),
        new("real-estate-ai-db-subnets", "Private subnets of the platform VPC", PlatformVpc, new[] { "subnet-0private1a000001", "subnet-0private1b000002", "subnet-0private1c000003" }),
    };

    public NetworkSubnet? Subnet(string id) => Subnets.FirstOrDefault(s => s.Id == id);
}
