@{
    Synopsis    = 'Creates or updates a named context.'
    Description = @'
Set-OpsContext writes a named context to the contexts folder of the user's configuration (XDG_CONFIG_HOME/realestateops/contexts on Linux). Only the settings given change; the rest keep their stored values, and values never set come from the built-in default. Use -Clear to unset settings.

Every value is checked before anything is written (region names, ports, URLs); a bad value is an error (OpsContextValueInvalid) and the file stays as it was. Files are replaced atomically. A context never holds a password: point DbPassFile at a PostgreSQL password file instead.
'@
    Parameters  = @{
        Name           = 'The context name: 1 to 63 letters, digits, dot, underscore or hyphen, starting with a letter or digit.'
        Description    = 'A free-text description.'
        Region         = 'The AWS region, such as us-east-1.'
        ProfileName    = 'The AWS shared-config profile (credentials, SSO or assume-role) used by AWS commands.'
        Endpoint       = 'Endpoint overrides by service, as a hashtable: @{ s3 = ''http://127.0.0.1:4566''; rds = ''...'' }. A $null value removes that override.'
        ClusterName    = 'The EKS cluster name.'
        NodeGroup      = 'The EKS managed node group name.'
        Namespace      = 'The Kubernetes namespace.'
        KubeconfigPath = 'The kubeconfig file to use.'
        KubeContext    = 'The kubeconfig context to use.'
        DbInstanceId   = 'The RDS DB instance identifier.'
        DbHost         = 'The PostgreSQL host name.'
        DbPort         = 'The PostgreSQL port (1 to 65535).'
        DbName         = 'The PostgreSQL database name.'
        DbUser         = 'The PostgreSQL user name.'
        DbPassFile     = 'A PostgreSQL password file (pgpass format) that holds the password. The context stores only the path.'
        IncidentDbHost = 'The incident store''s PostgreSQL host (New-Incident, Get-Incident, ...). Start-OpsSandbox sets it to the sandbox''s own incident server.'
        IncidentDbPort = 'The incident store''s port (default 5432).'
        IncidentDbName = 'The incident store''s database (default ops); its schema is ops, migrated by the module on first use.'
        IncidentDbUser = 'The incident store''s login (default ops).'
        IncidentDbPassFile = 'A pgpass-format file (0600) with the incident store login''s password; it must exist. The context stores only the path.'
        DbSslRootCert  = 'The CA bundle that proves the database server''s certificate; for RDS, download https://truststore.pki.rds.amazonaws.com/global/global-bundle.pem. A database host that is not this machine is reached with sslmode verify-full against it; without it such a connection is refused (DbSslRootCertMissing) unless PGSSLMODE is set in the environment or -ConnectionString names an SSL Mode. Hosts on this machine use sslmode prefer. An operator''s own PGSSLMODE and PGSSLROOTCERT are never overridden.'
        AssetsBucket   = 'The S3 bucket of documents and images.'
        BackupsBucket  = 'The S3 bucket for database exports.'
        DrBucket       = 'The disaster-recovery replica of the assets bucket.'
        DrRegion       = 'The region of the disaster-recovery bucket.'
        ServiceUrl     = 'Service URLs by name, as a hashtable: @{ argocd = ''https://...''; prometheus = ''...'' }. A $null value removes one.'
        LangfusePublicKey = 'The Langfuse project''s public key (pk-lf-...), the user of the LLM cmdlets'' basic auth (Get-LlmMetric, Get-LlmTrace, ...). Unset: LANGFUSE_PUBLIC_KEY.'
        LangfuseSecretKeyFile = 'A file holding the Langfuse project''s secret key (sk-lf-..., one line). The file must exist; a warning says so when users other than its owner can read it (chmod 600). The key itself is never a parameter and never stored in the context. Unset: LANGFUSE_SECRET_KEY.'
        ArgoCdTokenFile = 'A file holding the Argo CD API token (one line), used with ServiceUrls argocd when neither ARGOCD_SERVER nor the argocd CLI''s config file names a server. The file must exist; a warning says so when users other than its owner can read it (chmod 600). The token itself is never a parameter and never stored in the context.'
        DatabaseWindow    = 'When database changes (Import-Database) may be made, as a rule DAYS HH:MM-HH:MM [ZONE], e.g. ''Sun 01:00-03:00'' (the runbook''s window, the default). Stored in canonical form; a rule that does not parse is MaintenanceWindowSpecInvalid. See Get-MaintenanceWindow.'
        KubernetesWindow  = 'When Kubernetes changes (Invoke-NodeDrain, Disable-NodeScheduling, node group and cluster upgrades) may be made, e.g. ''LastSat 01:00-05:00'' (the default: the last Saturday of each month, 01:00-05:00 UTC).'
        ApplicationWindow = 'When application changes (Restart-Deployment) may be made, e.g. ''Tue,Thu 22:00-23:00'' (the default).'
        EnforceMaintenanceWindow = '$true: the window-bound cmdlets refuse to run outside their kind''s window (OutsideMaintenanceWindow) unless given -IgnoreMaintenanceWindow -Reason; -WhatIf still runs, with a warning. $false (or unset, the default): they run at any time and say in verbose whether the window is open.'
        ErrorRateThresholdPercent = 'Get-ServiceHealth''s error-rate threshold, in percent (0.01 to 100; default 5, the HighErrorRate rule''s 5%): a service whose share of 5xx answers is above it is Unhealthy. -ErrorRateThresholdPercent on Get-ServiceHealth overrides it for one run.'
        BackupWindow = 'Test-DbBackupPolicy''s backup window, hh:mm-hh:mm UTC (default 02:00-03:00, the runbook''s): the instance''s automated backup window must lie inside it.'
        BackupRetentionDays = 'Test-DbBackupPolicy''s retention: the fewest days (1 to 35; default 14, the runbook''s) automated backups must be kept.'
        BackupRequireCopyTags = 'Whether Test-DbBackupPolicy requires the instance to copy its tags to snapshots (default $true; $false makes the point Info).'
        BackupRequireDeletionProtection = 'Whether Test-DbBackupPolicy requires deletion protection on the instance (default $true).'
        BackupRequireEncryption = 'Whether Test-DbBackupPolicy requires encrypted storage (default $true).'
        BackupMaxSnapshotAgeHours = 'The oldest, in hours (1 to 8760; default 26: a day, the window and some slack), the newest automated snapshot may be before Test-DbBackupPolicy fails it.'
        BackupMaxManualSnapshotAgeDays = 'The oldest, in days (1 to 3650), the newest manual snapshot may be; unset (the default), Test-DbBackupPolicy reports its age without judging it.'
        BackupMaxExportAgeDays = 'The oldest, in days (1 to 3650), the newest export in the backups bucket may be; unset (the default), Test-DbBackupPolicy reports its age without judging it.'
        LatencyP95ThresholdMs = 'Get-ServiceHealth''s latency threshold, in milliseconds (1 to 600000; default 1000, the HighLatencyP95 rule''s 1 s): a service whose p95 latency is above it is Degraded. -LatencyP95ThresholdMs on Get-ServiceHealth overrides it for one run.'
        EksCluster     = 'Writes a kubeconfig entry for this EKS cluster as ''aws eks update-kubeconfig'' does, and points the context at it. The cluster''s endpoint and certificate authority come from DescribeCluster, with the AWS region, profile and eks endpoint of the context being set. The entry is a cluster and a user named by the cluster''s ARN (the user runs ''aws --region R eks get-token --cluster-name X --output json'', with AWS_PROFILE when the context names a profile) and a context named by the ARN, or by -KubeContext as an alias, made the current one. It goes into the context''s KubeconfigPath (or -KubeconfigPath), else the first file of KUBECONFIG, else ~/.kube/config: merged into an existing file (entries of the same name replaced, everything else kept), or a new file (0600, in a 0700 folder when that is new too). The context''s ClusterName, KubeContext and KubeconfigPath are set to match. The module''s Kubernetes cmdlets do not run ''aws eks get-token'': they mint the same token themselves (no aws CLI needed), and refresh it before its 15 minutes run out. -WhatIf asks EKS about the cluster but writes nothing. A cluster without an endpoint yet is EksClusterNotReady.'
        Clear          = 'Names of settings to unset (Region, DbHost, Endpoints, ...), so they come from the built-in default again.'
        Use            = 'Also makes the context the active one for this session, as Use-OpsContext does.'
        PassThru       = 'Returns the context as saved.'
    }
    Examples    = @(
        @{
            Title   = 'Create the production context'
            Code    = "Set-OpsContext -Name prod -Region us-east-1 -ProfileName platform-admin -KubeContext arn:aws:eks:us-east-1:123456789012:cluster/real-estate-ai-cluster -DbHost real-estate-ai-db.abc123.us-east-1.rds.amazonaws.com -DbUser ops -DbPassFile ~/.pgpass -DbSslRootCert ~/.postgresql/rds-global-bundle.pem"
            Remarks = 'Creates the prod context (the RDS CA bundle downloaded beforehand from https://truststore.pki.rds.amazonaws.com/global/global-bundle.pem). Cluster, namespace, buckets and the DB instance come from the built-in default.'
        }
        @{
            Title   = 'Change a context and use it'
            Code    = "Set-OpsContext -Name staging -Endpoint @{ s3 = 'https://s3.staging.internal' } -Clear DbHost -Use"
            Remarks = 'Adds an S3 endpoint override to staging, unsets its DbHost, and uses it for this session.'
        }
        @{
            Title   = 'Enforce the maintenance windows, with a later Kubernetes window'
            Code    = "Set-OpsContext -Name windows-demo -EnforceMaintenanceWindow `$true -KubernetesWindow 'LastSat 02:00-06:00' -PassThru | Select-Object -ExpandProperty Sources | Where-Object Setting -Match 'Window'"
            Remarks = 'Creates a context in which the window-bound cmdlets refuse outside their window, with its own Kubernetes window; the Database and Application windows stay the runbook''s (from the built-in default). Use-OpsContext windows-demo makes it active; Get-MaintenanceWindow then shows its windows.'
        }
        @{
            Title   = 'Stricter service-health thresholds'
            Code    = "Set-OpsContext -Name strict-health -ErrorRateThresholdPercent 1 -LatencyP95ThresholdMs 500 -PassThru | Select-Object Name, ErrorRateThresholdPercent, LatencyP95ThresholdMs"
            Remarks = 'Creates a context in which Get-ServiceHealth calls a service Unhealthy above 1% errors and Degraded above a 500 ms p95. Out of range values are refused by the parameters; values stored by hand are checked too (OpsContextValueInvalid).'
        }
        @{
            Title   = 'Point a context at an EKS cluster, as aws eks update-kubeconfig would'
            Code    = "Set-OpsContext -Name sandbox -EksCluster real-estate-ai-cluster -KubeContext eks-sandbox; Get-KubeNode -Verbose"
            Remarks = 'Asks EKS for the cluster''s endpoint and CA, merges an entry for it into the context''s kubeconfig under the alias eks-sandbox (the file''s other contexts stay), and makes the context use it. Get-KubeNode then reaches the cluster with an EKS token minted in-process; its verbose output says so. No aws CLI is needed.'
        }
    )
    Links       = @('Get-OpsContext', 'Use-OpsContext', 'Remove-OpsContext', 'Get-EksCluster', 'Get-KubeNode')
}
