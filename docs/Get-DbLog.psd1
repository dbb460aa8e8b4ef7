@{
    Synopsis    = 'Reads a DB instance''s log file line by line, whole or its tail, optionally filtered by a regex.'
    Description = @'
Get-DbLog is the runbook's "aws rds download-db-log-file-portion --log-file-name error/postgresql.log". Without -Tail it reads the whole file from the start with Marker paging until AdditionalDataPending is false; with -Tail N it asks for the last N lines. Lines stream as DbLogLine objects as each portion arrives, so Select-Object -First stops the download early. -Pattern keeps only the lines matching a .NET regular expression (an invalid one is the error LogPatternInvalid). A missing file is AWS's DBLogFileNotFoundFault. Read whole, a line's LineNumber (the LINE column) is its number in the file, also when -Pattern leaves lines out; a tail's lines have none, since RDS returns a file's last lines without saying where in the file they are.
'@
    Parameters  = @{
        LogFileName          = 'The log file, e.g. error/postgresql.log. Binds by property name from Get-DbLogFile''s output; Tab completes the names of the instance''s log files (of -DbInstanceId, else the context''s instance).'
        DbInstanceId         = 'The DB instance. Defaults to the context''s DbInstanceId. Binds by property name.'
        Tail                 = 'Only the last N lines (1 to 100000).'
        Pattern              = 'Only lines matching this regular expression, e.g. ''FATAL|ERROR''.'
        Region               = 'The AWS region. Defaults to the context''s Region, then AWS_REGION/AWS_DEFAULT_REGION, then the profile''s region. -Verbose says which was used.'
        ProfileName          = 'The AWS profile (shared config/credentials files; SSO, assume-role and web identity profiles work). Defaults to the context''s ProfileName, then AWS_PROFILE, then the SDK''s default credential chain.'
        EndpointUrl          = 'An endpoint URL that replaces AWS''s own (the sandbox, a VPC endpoint). Defaults to the context''s endpoint for the service, then AWS_ENDPOINT_URL_<SERVICE>/AWS_ENDPOINT_URL.'
        AllowInsecureEndpoint = 'Accepts an endpoint override on plain http:// to a host that is not this machine (for this command only). Without it such an endpoint is refused (EndpointInsecure): signed requests and their data would cross the network unencrypted. Plain http to localhost, 127.0.0.0/8 and ::1 needs no switch.'
    }
    Examples    = @(
        @{
            Title   = 'Read the end of the PostgreSQL log'
            Code    = 'Get-DbLog error/postgresql.log -Tail 100'
            Remarks = 'The last 100 lines of the PostgreSQL log. RDS says which lines are the last, not where they are in the file, so these lines have no line number.'
        }
        @{
            Title   = 'Find connection failures in the whole log'
            Code    = 'Get-DbLog error/postgresql.log -Pattern ''FATAL|too many connections'' | Select-Object -ExpandProperty Line'
            Remarks = 'Connection failures in the whole log, as plain text. Read whole, each line keeps its number in the file (LineNumber, the LINE column).'
        }
    )
    Links       = @('Get-DbLogFile', 'Test-DbConnection')
}
