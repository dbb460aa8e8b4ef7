using System.Xml.Linq;

namespace RealEstateOps.Sandbox.Rds;

/// <summary>EC2's Query-protocol wire format (API version 2016-11-15): item lists, the response documents and EC2's error shape.</summary>
internal static class Ec2Xml
{
    public static readonly XNamespace Ns = "http://ec2.amazonaws.com/doc/2016-11-15/";
    private const string Account = "000000000000";

    private static XElement E(string name, params object?[] content) => new(Ns + name, content);

    public static string Response(string action, params object?[] content) =>
        E(action + "Response", E("requestId", Guid.NewGuid().ToString()), content).ToString(SaveOptions.DisableFormatting);

    public static string Error(string code, string message) =>
        new XElement("Response",
            new XElement("Errors", new XElement("Error", new XElement("Code", code), new XElement("Message", message))),
            new XElement("RequestID", Guid.NewGuid().ToString())).ToString(SaveOptions.DisableFormatting);

    private static XElement Tags(string name) => E("tagSet", E("item", E("key", "Name"), E("value", name)));

    private static XElement Rule(NetworkRule r) => E("item",
        E("ipProtocol", r.Protocol),
        r.FromPort is { } from ? E("fromPort", from) : null,
        r.ToPort is { } to ? E("toPort", to) : null,
        E("groups", r.SourceGroups.Select(g => E("item", E("userId", Account), E("groupId", g), r.Description is null ? null : E("description", r.Description)))),
        E("ipRanges", r.Cidrs.Select(c => E("item", E("cidrIp", c), r.Description is null ? null : E("description", r.Description)))),
        E("ipv6Ranges"),
        E("prefixListIds"));

    public static XElement SecurityGroup(NetworkSecurityGroup g) => E("item",
        E("ownerId", Account),
        E("groupId", g.Id),
        E("groupName", g.Name),
        E("groupDescription", g.Description),
        E("vpcId", g.VpcId),
        E("ipPermissions", g.Inbound.Select(Rule)),
        E("ipPermissionsEgress", g.Outbound.Select(Rule)),
        E("securityGroupArn", $"arn:aws:ec2:us-east-1:{Account}:security-group/{g.Id}"));

    public static XElement Subnet(NetworkSubnet s) => E("item",
        E("subnetId", s.Id),
        E("subnetArn", $"arn:aws:ec2:us-east-1:{Account}:subnet/{s.Id}"),
        E("state", "available"),
        E("ownerId", Account),
        E("vpcId", s.VpcId),
        E("cidrBlock", s.CidrBlock),
        E("ipv6CidrBlockAssociationSet"),
        E("availableIpAddressCount", s.AvailableIps),
        E("availabilityZone", s.AvailabilityZone),
        E("availabilityZoneId", "use1-az" + (s.AvailabilityZone[^1] - 'a' + 1)),
        E("defaultForAz", s.VpcId == RdsNetwork.SandboxVpc ? "true" : "false"),
        E("mapPublicIpOnLaunch", s.Name.Contains("public", StringComparison.Ordinal) ? "true" : "false"),
        Tags(s.Name));

    public static XElement Set(string name, IEnumerable<XElement> items) => E(name, items);

    public static XElement NextToken(string token) => E("nextToken", token);
}
