@{
    Synopsis    = 'Shows a DB instance''s security groups (inbound rules) and subnets: the facts of the network case.'
    Description = @'
Get-DbSecurityGroup gathers the facts of the "network: security groups and subnets" case of Database Connection Issues: the DB instance's VPC security groups with their inbound rules (EC2 DescribeSecurityGroups: protocol, ports, CIDR blocks and source security groups) and its DB subnet group's subnets (RDS DescribeDBSubnetGroups, then EC2 DescribeSubnets: availability zone, CIDR block, free addresses).

Findings say in plain sentences which group admits the instance's port and from where, that no rule admits it, that a Multi-AZ instance's subnets span one zone only, or that it is publicly accessible. PortOpen is true when some rule admits the port. A missing instance is DBInstanceNotFound; a group EC2 does not know is InvalidGroup.NotFound.
'@
    Parameters  = @{
        DbInstanceId = 'The DB instance. Defaults to the context''s DbInstanceId. Binds by property name.'
        Region = 'The AWS region. Defaults to the context''s Region, then AWS_REGION/AWS_DEFAULT_REGION, then the profile''s region. -Verbose says which was used.'
        ProfileName = 'The AWS profile (shared config/credentials files; SSO, assume-role and web identity profiles work). Defaults to the context''s ProfileName, then AWS_PROFILE, then the SDK''s default credential chain.'
        EndpointUrl = 'An endpoint URL that replaces AWS''s own (the sandbox, a VPC endpoint). Defaults to the context''s endpoint for the service, then AWS_ENDPOINT_URL_<SERVICE>/AWS_ENDPOINT_URL.'
        AllowInsecureEndpoint = 'Accepts an endpoint override on plain http:// to a host that is not this machine (for this command only). Without it such an endpoint is refused (EndpointInsecure): signed requests and their data would cross the network unencrypted. Plain http to localhost, 127.0.0.0/8 and ::1 needs no switch.'
    }
    Examples    = @(
        @{
            Title   = 'Show the platform database''s network facts'
            Code    = 'Get-DbSecurityGroup'
            Remarks = 'Security groups with their inbound rules, the subnets and the findings.'
        }
        @{
            Title   = 'Only the findings'
            Code    = '(Get-DbSecurityGroup real-estate-ai-db).Findings'
            Remarks = 'Which group admits port 5432 and from where.'
        }
    )
    Links       = @('Get-DbInstance', 'Test-DbConnection', 'Get-DbActivity')
}
