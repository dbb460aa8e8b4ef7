@{
    Synopsis    = 'Lists the parameters of a DB parameter group (the instance''s by default), like aws rds describe-db-parameters.'
    Description = @'
Get-DbParameter lists the parameters of the DB instance's parameter group (by default the context's DbInstanceId, whose group DescribeDBInstances names) or of -ParameterGroupName: name, value, source (user, system, engine-default), apply type (static parameters such as max_connections take effect only after a reboot; dynamic ones at once) and whether RDS lets it be modified.

Pages are asked for only when the pipeline has taken every parameter of the last one, so Get-DbParameter | Select-Object -First 1 makes one DescribeDBParameters request. -Name takes wildcards. A missing group is AWS's DBParameterGroupNotFound, a missing instance DBInstanceNotFound.
'@
    Parameters  = @{
        Name = 'Parameter names; wildcards are allowed (max_conn*). Without it, every parameter.'
        ParameterGroupName = 'The parameter group to list (default.postgres15, real-estate-ai-pg15, ...). Binds by property name.'
        DbInstanceId = 'The instance whose parameter group is listed when no -ParameterGroupName is given. Defaults to the context''s DbInstanceId.'
        Source = 'Only parameters of this source: user (set in the group), system or engine-default.'
        PageSize = 'Parameters per DescribeDBParameters page, 20 to 100 (default 100).'
        Region = 'The AWS region. Defaults to the context''s Region, then AWS_REGION/AWS_DEFAULT_REGION, then the profile''s region. -Verbose says which was used.'
        ProfileName = 'The AWS profile (shared config/credentials files; SSO, assume-role and web identity profiles work). Defaults to the context''s ProfileName, then AWS_PROFILE, then the SDK''s default credential chain.'
        EndpointUrl = 'An endpoint URL that replaces AWS''s own (the sandbox, a VPC endpoint). Defaults to the context''s endpoint for the service, then AWS_ENDPOINT_URL_<SERVICE>/AWS_ENDPOINT_URL.'
        AllowInsecureEndpoint = 'Accepts an endpoint override on plain http:// to a host that is not this machine (for this command only). Without it such an endpoint is refused (EndpointInsecure): signed requests and their data would cross the network unencrypted. Plain http to localhost, 127.0.0.0/8 and ::1 needs no switch.'
    }
    Examples    = @(
        @{
            Title   = 'Show the connection limit of the platform database'
            Code    = 'Get-DbParameter max_connections'
            Remarks = 'max_connections of the instance''s group, with its apply type (static: a change needs a reboot).'
        }
        @{
            Title   = 'List what the custom group sets'
            Code    = 'Get-DbParameter -ParameterGroupName real-estate-ai-pg15 -Source user'
            Remarks = 'The parameters set in the platform''s custom group.'
        }
    )
    Links       = @('Set-DbParameter', 'Restart-DbInstance', 'Get-DbInstance')
}
