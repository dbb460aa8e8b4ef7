namespace RealEstateOps.Engine.Rds;

/// <summary>One inbound rule of a VPC security group: a protocol and port range, from CIDR blocks and/or other security groups.</summary>
public sealed class DbSecurityRule
{
    /// <summary>tcp, udp, icmp, or -1 (all).</summary>
    public string Protocol { get; init; } = "";
    public int? FromPort { get; init; }
    public int? ToPort { get; init; }
    public string[] Cidrs { get; init; } = Array.Empty<string>();
    public string[] SourceGroupIds { get; init; } = Array.Empty<string>();
    public string? Description { get; init; }

    /// <summary>True when the rule admits TCP traffic to <paramref name="port"/>.</summary>
    public bool Admits(int port) =>
        Protocol == "-1" || (Protocol is "tcp" or "6" && (FromPort is null || FromPort <= port) && (ToPort is null || port <= ToPort));

    public string Ports => Protocol == "-1" ? "all" : FromPort == ToPort ? $"{FromPort}/{Protocol}" : $"{FromPort}-{ToPort}/{Protocol}";

    public string Sources => string.Join(", ", Cidrs.Concat(SourceGroupIds));

    public override string ToString() => $"{Ports} from {Sources}";
}
