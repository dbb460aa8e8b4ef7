@{
    Synopsis    = 'Lists a DB instance''s log files.'
    Description = @'
Get-DbLogFile calls DescribeDBLogFiles for a DB instance (by default the context's DbInstanceId) and returns each log file's name, size and last write time. Pipe a file into Get-DbLog to read it.
'@
    Parameters  = @{
        DbInstanceId         = 'The DB instance. Defaults to the context''s DbInstanceId. Binds by property name.'
        FilenameContains     = 'Only log files whose name contains this text.'
        Region               = 'The AWS region. Defaults to the context''s Region, then AWS_REGION/AWS_DEFAULT_REGION, then the profile''s region. -Verbose says which was used.'
        ProfileName          = 'The AWS profile (shared config/credentials files; SSO, assume-role and web identity profiles work). Defaults to the context''s ProfileName, then AWS_PROFILE, then the SDK''s default credential chain.'
        EndpointUrl          = 'An endpoint URL that replaces AWS''s own (the sandbox, a VPC endpoint). Defaults to the context''s endpoint for the service, then AWS_ENDPOINT_URL_<SERVICE>/AWS_ENDPOINT_URL.'
        AllowInsecureEndpoint = 'Accepts an endpoint override on plain http:// to a host that is not this machine (for this command only). Without it such an endpoint is refused (EndpointInsecure): signed requests and their data would cross the network unencrypted. Plain http to localhost, 127.0.0.0/8 and ::1 needs no switch.'
    }
    Examples    = @(
        @{
            Title   = 'List the log files'
            Code    = 'Get-DbLogFile'
            Remarks = 'The log files of the platform database.'
        }
        @{
            Title   = 'Read the end of the newest log file'
            Code    = 'Get-DbLogFile | Sort-Object LastWritten | Select-Object -Last 1 | Get-DbLog -Tail 50'
            Remarks = 'The last 50 lines of the newest log file.'
        }
    )
    Links       = @('Get-DbLog', 'Get-DbInstance')
}
