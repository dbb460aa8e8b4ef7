@{
    Synopsis    = 'Cancels a session''s query (pg_cancel_backend) or, with -Terminate, ends the session (pg_terminate_backend).'
    Description = @'
Stop-DbQuery cancels the query a database session is running (pg_cancel_backend: the session stays), or with -Terminate ends the session and its connection (pg_terminate_backend), which frees a connection slot. Process ids come from -ProcessId or from Get-DbActivity -Detail through the pipeline (ProcessId binds by property name).

Each stop is a change: it asks for confirmation (ConfirmImpact High; -Force skips the prompt), -WhatIf signals nothing, and each is journaled. Its own connection is refused (DbQueryStopOwnProcess), a pid that is no client session is DbProcessNotFound, and a session of another role without the right to signal it is DbPermissionDenied. The connection is resolved as Test-DbConnection resolves it.
'@
    Parameters  = @{
        ProcessId = 'The backend process ids (pg_stat_activity.pid). Binds by property name from Get-DbActivity -Detail.'
        Terminate = 'Ends the session (pg_terminate_backend) instead of cancelling its current query.'
        HostName = 'The database host. Defaults to the context''s DbHost. Binds by property name (Address, Host, DbHost), so Get-DbInstance output pipes in.'
        Port = 'The database port. Defaults to the context''s DbPort.'
        Database = 'The database to connect to. Defaults to the context''s DbName.'
        Credential = 'The user name and password. Without it, the context''s DbUser and password file (DbPassFile) are used; the password never goes on the command line.'
        Timeout = 'How long to wait for the server: seconds, or a value such as 500ms, 10s or 1m. The default is 5 seconds.'
        Force = 'Skips the confirmation prompt.'
    }
    Examples    = @(
        @{
            Title   = 'Cancel one long-running query'
            Code    = 'Stop-DbQuery -ProcessId 4242'
            Remarks = 'Cancels the query of process 4242; the session stays.'
        }
        @{
            Title   = 'Free the slots an application holds idle'
            Code    = 'Get-DbActivity -Detail | Where-Object { $_.Application -eq ''api-service'' -and $_.State -eq ''idle'' } | Stop-DbQuery -Terminate -Force'
            Remarks = 'Ends the idle sessions of api-service, each journaled.'
        }
    )
    Links       = @('Get-DbActivity', 'Set-DbParameter')
}
