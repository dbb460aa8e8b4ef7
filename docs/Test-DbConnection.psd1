@{
    Synopsis    = 'Tests whether the platform database accepts connections, like pg_isready, and whether we can log in.'
    Description = @'
Test-DbConnection is the runbooks' "pg_isready -h $DB_HOST" step, done through a real login so that it also proves the credentials and the database name. It returns one result with a Status that keeps pg_isready's four meanings: Accepting (the server accepts connections), Rejecting (it answers but rejects them, for example while starting up), NoResponse (refused, unreachable, unknown host or timed out) and NoAttempt (the parameters were invalid). It also reports whether the login succeeded, the server version, the connection latency, and whether pgvector is installed.

When the check fails, the result is still returned and a non-terminating error with a specific id is written as well: DbConnectionRefused, DbHostNotFound, DbHostUnreachable, DbConnectionTimeout, DbConnectionRejected, DbTooManyConnections, DbAuthenticationFailed, DbPasswordMissing, DbDatabaseNotFound, DbPortInvalid, DbHostNotConfigured, DbConnectionStringInvalid, DbSslRootCertMissing, DbSslRootCertNotFound or DbSslModeInvalid.

TLS: a host on this machine (localhost, 127.0.0.0/8, ::1, a Unix socket) is reached with sslmode prefer; any other host with verify-full against the CA bundle named by the context's DbSslRootCert (for RDS, https://truststore.pki.rds.amazonaws.com/global/global-bundle.pem). Without a bundle such a host makes no attempt (DbSslRootCertMissing). The operator's own PGSSLMODE and PGSSLROOTCERT always win, and an SSL Mode written in -ConnectionString is used as written. Use -ErrorAction SilentlyContinue to check the Status only, or -Quiet for a plain $true or $false.

Host, port, database and user default to the active context (DbHost, DbPort, DbName, DbUser); the password comes from -Credential or from the context's password file (DbPassFile), never from the command line. -Verbose says where each value came from.
'@
    Parameters  = @{
        HostName         = 'The server host name or address. Defaults to the context''s DbHost. Binds by property name from piped objects with a HostName, Host, Address or DbHost property, such as a restored DB instance.'
        Port             = 'The server port. Defaults to the context''s DbPort. Binds by property name from piped objects with a Port property.'
        Database         = 'The database to log in to. Defaults to the context''s DbName.'
        Credential       = 'The user name and password. Without it, the context''s DbUser and password file are used.'
        ConnectionString = 'A complete Npgsql connection string instead of the separate parameters. Its password is never written to verbose output, errors or the journal.'
        Timeout          = 'How long to wait for the server: seconds, or a value such as 500ms, 10s or 1m. The default is 3 seconds.'
        Quiet            = 'Returns only $true when the server accepts connections and the login succeeded, else $false, and writes no error.'
    }
    Examples    = @(
        @{
            Title   = 'Test the context''s database'
            Code    = 'Test-DbConnection'
            Remarks = 'Tests the database of the active context and shows a table row with status, version, latency and pgvector.'
        }
        @{
            Title   = 'Test an instance''s endpoint with a credential'
            Code    = 'Get-DbInstance real-estate-ai-db | Test-DbConnection -Credential $cred -Timeout 10s'
            Remarks = 'Tests an instance''s endpoint (Address, Port and DbName bind by property name) with explicit credentials, asked for once with $cred = Get-Credential real_estate_app.'
        }
        @{
            Title   = 'Gate a scheduled script on the database'
            Code    = 'if (-not (Test-DbConnection -Quiet)) { throw ''database down'' }'
            Remarks = 'A scheduled script''s health gate.'
        }
    )
    Links       = @('Get-OpsContext', 'Start-OpsSandbox')
}
