@{
    Synopsis    = 'Shows what the database''s connections are doing: in use against max_connections, by state, application and user; long and blocked queries.'
    Description = @'
Get-DbActivity reads pg_stat_activity (with pg_blocking_pids) and the server's limits into one report: client connections in use against max_connections and the slots reserved for superusers (superuser_reserved_connections), the percentage used and how many ordinary slots are left; the connections by state (active, idle, idle in transaction), by application (application_name) and by user; the longest-running active queries; and which session blocks which. -Detail emits the sessions instead, whose ProcessId pipes into Stop-DbQuery.

When every ordinary slot is taken, a normal login fails ("sorry, too many clients already" or "remaining connection slots are reserved"): that is the error DbTooManyConnections, with what to do. With -SuperuserCredential the report is still read, as that superuser on a reserved slot, and says the normal login was refused (LoginRefused, LoginError) with a warning. The connection is resolved as Test-DbConnection resolves it (context DbHost, DbPort, DbName, DbUser, DbPassFile; -Verbose says where each came from).
'@
    Parameters  = @{
        HostName = 'The database host. Defaults to the context''s DbHost. Binds by property name (Address, Host, DbHost), so Get-DbInstance output pipes in.'
        Port = 'The database port. Defaults to the context''s DbPort.'
        Database = 'The database to connect to. Defaults to the context''s DbName.'
        Credential = 'The user name and password. Without it, the context''s DbUser and password file (DbPassFile) are used; the password never goes on the command line.'
        SuperuserCredential = 'A superuser login, used only when the normal login is refused because no ordinary slot is left (superusers may use the reserved ones).'
        Detail = 'Emits the sessions (one DbSession per client connection) instead of the report.'
        Top = 'How many longest-running queries the report lists (default 10).'
        Timeout = 'How long to wait for the server: seconds, or a value such as 500ms, 10s or 1m. The default is 5 seconds.'
    }
    Examples    = @(
        @{
            Title   = 'Check the connection limit'
            Code    = 'Get-DbActivity'
            Remarks = 'Connections in use against max_connections, by state, application and user.'
        }
        @{
            Title   = 'Find the applications holding idle connections'
            Code    = 'Get-DbActivity -Detail | Where-Object State -eq idle | Group-Object Application | Sort-Object Count -Descending'
            Remarks = 'Which applications hold idle connections, most first.'
        }
    )
    Links       = @('Stop-DbQuery', 'Set-DbParameter', 'Test-DbConnection')
}
