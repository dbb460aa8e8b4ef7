@{
    Synopsis    = 'Creates or updates the db-credentials secret, as the recovery runbook''s kubectl create secret ... | kubectl apply does.'
    Description = @'
Set-DbConnectionSecret writes the database connection secret (db-credentials by default) with the keys the runbook uses: host, port, user, password and database. It creates the secret, or replaces its data; nothing is written when it already holds the same values (Action Unchanged). The host, port and database bind by property name (Address, Port, DbName) from a piped DB instance, such as the one a restore returns, so the secret names the piped instance's database.

The password travels in -Credential and is never written to the output, verbose stream, errors or the journal. A failed write (KubeForbidden, KubeApiError, KubeApiTimeout, ...) keeps neither the client's request (which holds the secret's data) nor the response in the error record: $Error[0] holds only the status code and a redacted message. With -PassThru it returns what was written (without the password). Afterwards restart the deployments that read it (Restart-Deployment api-service, auth-service -Wait).
'@
    Parameters  = @{
        Name = 'The secret''s name (default db-credentials).'
        HostName = 'The database host. Aliases Host, Address, DbHost, Endpoint; binds by property name from a piped DB instance.'
        Port = 'The database port. Binds by property name; defaults to the context''s DbPort, else 5432.'
        Database = 'The database name. Binds by property name (Database, DbName) from a piped DB instance; defaults to the context''s DbName.'
        Credential = 'The user name and password to store.'
        Namespace = 'The namespace. Defaults to the context''s Namespace (real-estate-ai in the built-in default).'
        PassThru = 'Return the secret as written (never the password).'
        Force = 'Skip the confirmation prompt (never -WhatIf).'
        Kubeconfig = 'The kubeconfig file to read. Defaults to the context''s KubeconfigPath (Start-OpsSandbox sets it to the sandbox''s), else the first file in KUBECONFIG, else ~/.kube/config. Exec credential plugins in it (such as aws eks get-token) keep working.'
        KubeContext = 'The kubeconfig context to use. Defaults to the context''s KubeContext, else the kubeconfig''s current-context.'
    }
    Examples    = @(
        @{
            Title   = 'Point the applications at a database'
            Code    = 'Set-DbConnectionSecret -Host real-estate-ai-db-restored.abc.us-east-1.rds.amazonaws.com -Port 5432 -Database real_estate_ai -Credential $cred -PassThru'
            Remarks = 'Writes the db-credentials secret for a restored database''s endpoint, with the credential asked for once with $cred = Get-Credential real_estate_app.'
        }
        @{
            Title   = 'Point the applications at a piped instance and restart them'
            Code    = '$instance = Get-DbInstance real-estate-ai-db; $instance | Set-DbConnectionSecret -Credential $cred; Restart-Deployment api-service, auth-service -Wait'
            Remarks = 'The recovery runbook''s last steps: the secret takes the piped instance''s Address, Port and DbName (the database the instance holds, e.g. a restored one''s), then the deployments that read it restart.'
        }
    )
    Links       = @('Restart-Deployment', 'Test-DbConnection')
}
