using RealEstateOps.Engine.Common;

namespace RealEstateOps.Engine.Rds;

/// <summary>
/// The runbook's network case: which security groups and subnets a DB instance has. Reads the instance (RDS), its VPC security
/// groups' inbound rules (EC2), its DB subnet group (RDS) and those subnets' CIDR blocks (EC2), and says in plain sentences what
/// admits the instance's port and from where, or that nothing does.
/// </summary>
public sealed class DbNetworkReader
{
    private readonly IRdsClient _rds;
    private readonly Ec2Client _ec2;

    public DbNetworkReader(IRdsClient rds, Ec2Client ec2)
    {
        _rds = rds;
        _ec2 = ec2;
    }

    public async Task<DbSecurityFacts> GetSecurityFactsAsync(string dbInstanceId, CancellationToken ct)
    {
        var instance = (await _rds.DescribeDBInstancesAsync(dbInstanceId, null, null, ct).ConfigureAwait(false)).Items.FirstOrDefault()
                       ?? throw new OpsException("DBInstanceNotFound", OpsErrorCategory.ObjectNotFound, $"DBInstance {dbInstanceId} not found.", dbInstanceId);
        var groups = instance.VpcSecurityGroupIds.Length == 0
            ? Array.Empty<DbSecurityGroup>()
            : await _ec2.DescribeSecurityGroupsAsync(instance.VpcSecurityGroupIds, ct).ConfigureAwait(false);
        IReadOnlyList<DbSubnet> subnets = Array.Empty<DbSubnet>();
        if (!string.IsNullOrEmpty(instance.SubnetGroup))
        {
            var subnetGroup = (await _rds.DescribeDBSubnetGroupsAsync(instance.SubnetGroup, null, null, ct).ConfigureAwait(false)).Items.FirstOrDefault();
            if (subnetGroup is { Subnets.Count: > 0 })
            {
                var details = (await _ec2.DescribeSubnetsAsync(subnetGroup.Subnets.Select(s => s.SubnetId).ToList(), ct).ConfigureAwait(false))
                    .ToDictionary(s => s.SubnetId, StringComparer.Ordinal);
                subnets = subnetGroup.Subnets.Select(s => details.TryGetValue(s.SubnetId, out var d)
                    ? new DbSubnet { SubnetId = s.SubnetId, AvailabilityZone = d.AvailabilityZone ?? s.AvailabilityZone, CidrBlock = d.CidrBlock, VpcId = d.VpcId, Status = d.Status, AvailableIpAddressCount = d.AvailableIpAddressCount }
                    : s).ToList();
            }
        }
        var port = instance.Port ?? 5432;
        var findings = new List<string>();
        var open = false;
        foreach (var g in groups)
        {
            var admitting = g.InboundRules.Where(r => r.Admits(port)).ToList();
            if (admitting.Count == 0)
            {
                findings.Add($"{g.GroupId} ({g.GroupName}) admits nothing on port {port}.");
                continue;
            }
            open = true;
            findings.Add($"{g.GroupId} ({g.GroupName}) admits port {port} from {string.Join(", ", admitting.Select(r => r.Sources).Where(s => s.Length > 0).DefaultIfEmpty("no source"))}.");
        }
        if (groups.Count == 0) findings.Add($"{instance.DbInstanceId} has no VPC security group.");
        if (!open && groups.Count > 0) findings.Add($"No inbound rule of {string.Join(", ", groups.Select(g => g.GroupId))} admits port {port}: clients cannot reach {instance.DbInstanceId}.");
        foreach (var missing in instance.VpcSecurityGroupIds.Except(groups.Select(g => g.GroupId), StringComparer.Ordinal))
            findings.Add($"{missing} is attached to {instance.DbInstanceId} but EC2 does not describe it.");
        if (subnets.Count > 0)
        {
            var zones = subnets.Select(s => s.AvailabilityZone).OfType<string>().Distinct(StringComparer.Ordinal).ToList();
            findings.Add($"Subnet group {instance.SubnetGroup}: {subnets.Count} subnets in {zones.Count} availability zones ({string.Join(", ", subnets.Select(s => $"{s.SubnetId} {s.AvailabilityZone} {s.CidrBlock}"))}).");
            if (instance.MultiAZ && zones.Count < 2) findings.Add($"{instance.DbInstanceId} is Multi-AZ but its subnet group spans only {zones.Count} zone.");
        }
        if (instance.PubliclyAccessible) findings.Add($"{instance.DbInstanceId} is publicly accessible.");
        return new DbSecurityFacts
        {
            DbInstanceId = instance.DbInstanceId, VpcId = instance.VpcId, Port = port, PubliclyAccessible = instance.PubliclyAccessible,
            SubnetGroup = instance.SubnetGroup, SecurityGroups = groups, Subnets = subnets, PortOpen = open, Findings = findings,
        };
    }
}
