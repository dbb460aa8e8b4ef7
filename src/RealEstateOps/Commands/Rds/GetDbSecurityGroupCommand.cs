using System.Management.Automation;
using RealEstateOps.Completers;
using RealEstateOps.Engine.Rds;

namespace RealEstateOps.Commands.Rds;

/// <summary>
/// The runbook's network case: a DB instance's VPC security groups with their inbound rules (EC2 DescribeSecurityGroups) and its DB
/// subnet group's subnets (availability zone, CIDR), with findings: what admits the instance's port and from where, or that nothing does.
/// </summary>
[Cmdlet(VerbsCommon.Get, "DbSecurityGroup")]
[OutputType(typeof(DbSecurityFacts))]
public sealed class GetDbSecurityGroupCommand : RdsCommandBase
{
    [Parameter(Position = 0, ValueFromPipelineByPropertyName = true)]
    [Alias("DBInstanceIdentifier")]
    [ArgumentCompleter(typeof(DbInstanceIdCompleter))]
    public string? DbInstanceId { get; set; }

    protected override void ProcessRecordCore()
    {
        var id = InstanceId(DbInstanceId);
        var network = Network; // opens the EC2 client here, on the pipeline thread (its settings go to verbose)
        WriteObject(Run(ct => network.GetSecurityFactsAsync(id, ct)));
    }
}
