@{
    Synopsis    = 'Replaces the app''s database credentials after verifying them, and restarts the services that use them.'
    Description = @'
Update-DbConnectionSecret is the incident runbook's "credentials: update secrets" in one step. It first logs in with the NEW credentials at the secret's host and port (or -HostOverride/-Port); when they do not work it is refused with the login's error id (DbAuthenticationFailed for a wrong password) and nothing is changed. Then it writes them to the secret (the same engine as Set-DbConnectionSecret: host, port and database are kept) and restarts the deployments that use it (kubectl rollout restart): by default every deployment of the namespace whose pods read the secret, or those named with -Deployment. A restart that fails is a non-terminating error naming the deployment: its pods use the old credentials until they restart.

It returns a DbSecretUpdateResult (Verified, Secret, Restarted, NotRestarted). It asks for confirmation (ConfirmImpact High), takes -WhatIf and is journaled; -Wait waits for the restarts' rollouts in the same journal entry. The password travels in the PSCredential only: never in output, verbose, errors or the journal.
'@
    Parameters  = @{
        Credential = 'The new user and password.'
        Name = 'The secret. The default is db-credentials.'
        Deployment = 'The deployments to restart. By default those whose pods read the secret (env, envFrom or a volume).'
        HostOverride = 'Verify the login at this host instead of the secret''s (a port-forward or tunnel to the same database).'
        Port = 'Verify the login at this port instead of the secret''s.'
        LoginTimeout = 'How long the verifying login may take: seconds or 5s. The default is 5 seconds.'
        Wait = 'Wait until the restarts'' rollouts complete.'
        Timeout = 'How long -Wait waits for each rollout: seconds or 90s, 10m. The default is 10 minutes.'
        Force = 'Skip the confirmation prompt (never -WhatIf).'
        Namespace = 'The namespace. Defaults to the context''s Namespace (real-estate-ai in the built-in default).'
        Kubeconfig = 'The kubeconfig file to read. Defaults to the context''s KubeconfigPath (Start-OpsSandbox sets it to the sandbox''s), else the first file in KUBECONFIG, else ~/.kube/config. Exec credential plugins in it (such as aws eks get-token) keep working.'
        KubeContext = 'The kubeconfig context to use. Defaults to the context''s KubeContext, else the kubeconfig''s current-context.'
    }
    Examples    = @(
        @{
            Title   = 'Rotate the app''s database password'
            Code    = 'Update-DbConnectionSecret -Credential (Get-Credential real_estate_app) -Wait'
            Remarks = 'Verified first; then the secret, then every deployment that reads it restarts.'
        }
        @{
            Title   = 'Update the credentials and restart only the API'
            Code    = 'Update-DbConnectionSecret -Credential $cred -Deployment api-service -WhatIf'
            Remarks = 'Shows the plan: verify, write, restart api-service only.'
        }
    )
    Links       = @('Test-DbConnectionSecret', 'Set-DbConnectionSecret', 'Restart-Deployment')
}
