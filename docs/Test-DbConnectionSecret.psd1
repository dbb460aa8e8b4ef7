@{
    Synopsis    = 'Verifies the credentials in the app''s database secret by logging in with them.'
    Description = @'
Test-DbConnectionSecret reads the app's database secret (db-credentials, with the keys host, port, user, password and database that Set-DbConnectionSecret writes) and logs in with its credentials through Npgsql, as the pods would. It returns a DbSecretTestResult: Secret, Host, Port, Database, User, ConnectedTo, Succeeded, ServerVersion and, when the login failed, ErrorId and Error: DbAuthenticationFailed (wrong user or password), DbTooManyConnections (every connection slot taken), DbHostUnreachable, DbConnectionRefused, DbHostNotFound, DbConnectionTimeout, DbDatabaseNotFound, or DbSecretIncomplete when the secret lacks a host, user or password. The password is never output, logged or written to verbose. A missing secret is SecretNotFound.

The in-cluster address (an RDS endpoint in a private subnet) may not be reachable from where you run it: -HostOverride and -Port log in elsewhere (a kubectl port-forward, a bastion tunnel) with the same credentials. TLS follows the context's DbSslRootCert, as for Test-DbConnection.
'@
    Parameters  = @{
        Name = 'The secret. The default is db-credentials.'
        HostOverride = 'Log in at this host instead of the secret''s (a port-forward or tunnel to the same database).'
        Port = 'Log in at this port instead of the secret''s.'
        Timeout = 'How long the login may take: seconds or 5s. The default is 5 seconds.'
        Namespace = 'The namespace. Defaults to the context''s Namespace (real-estate-ai in the built-in default).'
        Kubeconfig = 'The kubeconfig file to read. Defaults to the context''s KubeconfigPath (Start-OpsSandbox sets it to the sandbox''s), else the first file in KUBECONFIG, else ~/.kube/config. Exec credential plugins in it (such as aws eks get-token) keep working.'
        KubeContext = 'The kubeconfig context to use. Defaults to the context''s KubeContext, else the kubeconfig''s current-context.'
    }
    Examples    = @(
        @{
            Title   = 'Check that the app''s database credentials work'
            Code    = 'Test-DbConnectionSecret'
            Remarks = 'The incident runbook''s "credentials: verify secrets".'
        }
        @{
            Title   = 'Check them through a port-forward'
            Code    = 'Test-DbConnectionSecret -HostOverride 127.0.0.1 -Port (Get-OpsContext).DbPort | Format-List Succeeded, ConnectedTo, ErrorId, Error'
            Remarks = 'With kubectl port-forward (or a tunnel) listening on that port.'
        }
    )
    Links       = @('Update-DbConnectionSecret', 'Set-DbConnectionSecret', 'Test-DbConnection')
}
