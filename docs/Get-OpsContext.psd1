@{
    Synopsis    = 'Shows the active context, named contexts, or all contexts, with where each value comes from.'
    Description = @'
A context is a named set of defaults for every command: AWS region and profile, endpoint overrides, EKS cluster and node group, Kubernetes namespace and kubeconfig, database instance, host, port, name, user and password file, the buckets, and service URLs.

Without parameters, Get-OpsContext returns the active context: the one chosen in this session with Use-OpsContext, else the one named by the REALESTATEOPS_CONTEXT environment variable (for scheduled scripts), else the built-in default, which carries the platform's names from the runbooks. Values a stored context leaves unset come from the built-in default; the Sources property lists every value with its source.
'@
    Parameters  = @{
        Name          = 'Names of contexts to show. Wildcards are allowed. A name that does not exist is an error (OpsContextNotFound) that does not stop the others.'
        ListAvailable = 'Shows every stored context and the built-in default.'
    }
    Examples    = @(
        @{
            Title   = 'Show the active context'
            Code    = 'Get-OpsContext'
            Remarks = 'Shows the active context. The CURRENT column marks it with *.'
        }
        @{
            Title   = 'List every context'
            Code    = 'Get-OpsContext -ListAvailable'
            Remarks = 'Lists all contexts.'
        }
        @{
            Title   = 'See where each setting comes from'
            Code    = '(Get-OpsContext -Name prod).Sources'
            Remarks = 'Lists each setting of the prod context and whether it was set in prod or comes from the built-in default.'
        }
    )
    Links       = @('Set-OpsContext', 'Use-OpsContext', 'Remove-OpsContext')
}
