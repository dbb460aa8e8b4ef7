using System.Collections;
using System.Management.Automation;
using RealEstateOps.Common;
using RealEstateOps.Completers;
using RealEstateOps.Engine.Common;
using RealEstateOps.Engine.Aws;
using RealEstateOps.Engine.Context;
using RealEstateOps.Engine.Eks;
using RealEstateOps.Engine.Kubernetes;
using RealEstateOps.Engine.Maintenance;

namespace RealEstateOps.Commands.Context;

/// <summary>Creates or updates a named context: only the settings given change; -Clear unsets some.</summary>
[Cmdlet(VerbsCommon.Set, "OpsContext", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Low)]
[OutputType(typeof(OpsContext))]
public sealed class SetOpsContextCommand : OpsCommandBase
{
    [Parameter(Mandatory = true, Position = 0)]
    [ArgumentCompleter(typeof(ContextNameCompleter))]
    public string Name { get; set; } = "";

    [Parameter] public string? Description { get; set; }
    [Parameter] public string? Region { get; set; }
    [Parameter] public string? ProfileName { get; set; }
    /// <summary>Endpoint overrides by service, e.g. @{ s3 = 'http://127.0.0.1:4566'; rds = '...' }; $null removes one.</summary>
    [Parameter] public Hashtable? Endpoint { get; set; }
    [Parameter] public string? ClusterName { get; set; }
    [Parameter] public string? NodeGroup { get; set; }
    [Parameter] public string? Namespace { get; set; }
    [Parameter] public string? KubeconfigPath { get; set; }
    [Parameter] public string? KubeContext { get; set; }
    [Parameter] public string? DbInstanceId { get; set; }
    [Parameter] public string? DbHost { get; set; }
    [Parameter] public int? DbPort { get; set; }
    [Parameter] public string? DbName { get; set; }
    [Parameter] public string? DbUser { get; set; }
    [Parameter] public string? DbPassFile { get; set; }
    /// <summary>The incident store (PostgreSQL): host, port, database, login and its pgpass-format password file (never a password).</summary>
    [Parameter] public string? IncidentDbHost { get; set; }
    [Parameter] public int? IncidentDbPort { get; set; }
    [Parameter] public string? IncidentDbName { get; set; }
    [Parameter] public string? IncidentDbUser { get; set; }
    [Parameter] public string? IncidentDbPassFile { get; set; }
    /// <summary>The CA bundle for verify-full TLS to a remote database (the RDS global bundle).</summary>
    [Parameter] public string? DbSslRootCert { get; set; }
    [Parameter] public string? AssetsBucket { get; set; }
    [Parameter] public string? BackupsBucket { get; set; }
    [Parameter] public string? DrBucket { get; set; }
    [Parameter] public string? DrRegion { get; set; }
    /// <summary>Test-DbBackupPolicy: the window the instance's automated backups must start in, hh:mm-hh:mm UTC (default 02:00-03:00).</summary>
    [Parameter] public string? BackupWindow { get; set; }
    /// <summary>Test-DbBackupPolicy: the fewest days automated backups must be kept (default 14).</summary>
    [Parameter] [ValidateRange(1, 35)] public int? BackupRetentionDays { get; set; }
    [Parameter] public bool? BackupRequireCopyTags { get; set; }
    [Parameter] public bool? BackupRequireDeletionProtection { get; set; }
    [Parameter] public bool? BackupRequireEncryption { get; set; }
    [Parameter] [ValidateRange(1, 8760)] public int? BackupMaxSnapshotAgeHours { get; set; }
    [Parameter] [ValidateRange(1, 3650)] public int? BackupMaxManualSnapshotAgeDays { get; set; }
    [Parameter] [ValidateRange(1, 3650)] public int? BackupMaxExportAgeDays { get; set; }
    /// <summary>Get-ServiceHealth's error-rate threshold: a service above this percentage of 5xx answers is Unhealthy (default 5).</summary>
    [Parameter] [ValidateRange(0.01, 100.0)] public double? ErrorRateThresholdPercent { get; set; }
    /// <summary>Get-ServiceHealth's latency threshold: a service whose p95 is above this many milliseconds is Degraded (default 1000).</summary>
    [Parameter] [ValidateRange(1, 600000)] public int? LatencyP95ThresholdMs { get; set; }
    /// <summary>Service URLs by name, e.g. @{ argocd = 'https://...'; prometheus = '...' }; $null removes one.</summary>
    [Parameter] public Hashtable? ServiceUrl { get; set; }

    /// <summary>The Langfuse project's public key (pk-lf-...); the secret key is never a parameter: see -LangfuseSecretKeyFile.</summary>
    [Parameter] public string? LangfusePublicKey { get; set; }

    /// <summary>A file holding the Langfuse secret key (one line; it must exist, and should be readable by its owner only).</summary>
    [Parameter] public string? LangfuseSecretKeyFile { get; set; }

    /// <summary>A file holding the Argo CD API token (one line; it must exist, and should be readable by its owner only).</summary>
    [Parameter] public string? ArgoCdTokenFile { get; set; }

    /// <summary>When database changes may be made (Import-Database), e.g. 'Sun 01:00-03:00'; the runbook's window when unset.</summary>
    [Parameter]
    [ArgumentCompleter(typeof(MaintenanceWindowCompleter))]
    public string? DatabaseWindow { get; set; }

    /// <summary>When Kubernetes changes may be made (drains, cordons, node group and cluster upgrades), e.g. 'LastSat 01:00-05:00'.</summary>
    [Parameter]
    [ArgumentCompleter(typeof(MaintenanceWindowCompleter))]
    public string? KubernetesWindow { get; set; }

    /// <summary>When application changes may be made (Restart-Deployment), e.g. 'Tue,Thu 22:00-23:00'.</summary>
    [Parameter]
    [ArgumentCompleter(typeof(MaintenanceWindowCompleter))]
    public string? ApplicationWindow { get; set; }

    /// <summary>$true: window-bound cmdlets refuse outside their kind's window (OutsideMaintenanceWindow); $false: they only say so in verbose.</summary>
    [Parameter] public bool? EnforceMaintenanceWindow { get; set; }

    /// <summary>
    /// Writes a kubeconfig entry for this EKS cluster as 'aws eks update-kubeconfig' does (its endpoint and CA from DescribeCluster,
    /// a user running 'aws eks get-token', which the module's Kubernetes cmdlets mint themselves) into the context's KubeconfigPath,
    /// else KUBECONFIG's first file, else ~/.kube/config, and points the context at it: ClusterName, KubeContext (the cluster's
    /// ARN, or -KubeContext as the entry's alias), KubeconfigPath. AWS region, profile and eks endpoint: those of the context being set.
    /// </summary>
    [Parameter]
    [ArgumentCompleter(typeof(EksClusterNameCompleter))]
    public string? EksCluster { get; set; }

    [Parameter]
    [ArgumentCompleter(typeof(ContextSettingCompleter))]
    public string[]? Clear { get; set; }

    [Parameter] public SwitchParameter Use { get; set; }
    [Parameter] public SwitchParameter PassThru { get; set; }

    protected override void ProcessRecordCore()
    {
        ContextStore.ValidateName(Name);
        var store = new ContextStore(Paths);
        var exists = store.Exists(Name) && File.Exists(store.PathOf(Name));
        var context = exists ? store.LoadStored(Name) : new OpsContext { Name = Name };

        foreach (var setting in Clear ?? Array.Empty<string>())
        {
            try { ContextSettings.Clear(context, setting); }
            catch (ArgumentException ex) { throw new OpsException("OpsContextSettingUnknown", OpsErrorCategory.InvalidArgument, ex.Message, setting); }
        }
        Apply(context);
        ContextStore.Validate(context, null); // before ShouldProcess: a bad value is reported even with -WhatIf, and nothing is written

        var entry = string.IsNullOrWhiteSpace(EksCluster) ? null : PlanKubeconfig(context);
        var action = (exists ? "Update context" : "Create context") +
                     (entry is null ? "" : $" and write kubeconfig {(entry.FileExists ? "" : "(new file) ")}{entry.Path}: context '{entry.ContextName}' for EKS cluster '{entry.ClusterName}' at {entry.Server}");
        var saved = Change(Name, action, () =>
        {
            if (entry is not null) EksKubeconfig.Write(entry);
            store.Save(context);
        });
        if (!saved) return;
        WriteVerbose($"Context '{Name}' saved to {store.PathOf(Name)}.");
        if (Use) SessionContextChoice = Name;
        if (PassThru) WriteObject(ContextView.Of(store, Name, SessionContextChoice));
    }

    private void Apply(OpsContext c)
    {
        var bound = MyInvocation.BoundParameters;
        void Set<T>(string parameter, T value, Action<T> assign) { if (bound.ContainsKey(parameter)) assign(value); }
        Set(nameof(Description), Description, v => c.Description = Blank(v));
        Set(nameof(Region), Region, v => c.Region = Blank(v));
        Set(nameof(ProfileName), ProfileName, v => c.ProfileName = Blank(v));
        Set(nameof(ClusterName), ClusterName, v => c.ClusterName = Blank(v));
        Set(nameof(NodeGroup), NodeGroup, v => c.NodeGroup = Blank(v));
        Set(nameof(Namespace), Namespace, v => c.Namespace = Blank(v));
        Set(nameof(KubeconfigPath), KubeconfigPath, v => c.KubeconfigPath = v is null ? null : GetUnresolvedProviderPathFromPSPath(v));
        Set(nameof(KubeContext), KubeContext, v => c.KubeContext = Blank(v));
        Set(nameof(DbInstanceId), DbInstanceId, v => c.DbInstanceId = Blank(v));
        Set(nameof(DbHost), DbHost, v => c.DbHost = Blank(v));
        Set(nameof(DbPort), DbPort, v => c.DbPort = v);
        Set(nameof(DbName), DbName, v => c.DbName = Blank(v));
        Set(nameof(DbUser), DbUser, v => c.DbUser = Blank(v));
        Set(nameof(DbPassFile), DbPassFile, v => c.DbPassFile = v is null ? null : GetUnresolvedProviderPathFromPSPath(v));
        Set(nameof(IncidentDbHost), IncidentDbHost, v => c.IncidentDbHost = Blank(v));
        Set(nameof(IncidentDbPort), IncidentDbPort, v => c.IncidentDbPort = v);
        Set(nameof(IncidentDbName), IncidentDbName, v => c.IncidentDbName = Blank(v));
        Set(nameof(IncidentDbUser), IncidentDbUser, v => c.IncidentDbUser = Blank(v));
        Set(nameof(IncidentDbPassFile), IncidentDbPassFile, v => c.IncidentDbPassFile = string.IsNullOrWhiteSpace(v) ? null
            : ExistingSecretFile(v, "IncidentDbPassFileNotFound", "incident store password"));
        Set(nameof(DbSslRootCert), DbSslRootCert, v => c.DbSslRootCert = string.IsNullOrWhiteSpace(v) ? null : GetUnresolvedProviderPathFromPSPath(v));
        Set(nameof(AssetsBucket), AssetsBucket, v => c.AssetsBucket = Blank(v));
        Set(nameof(BackupsBucket), BackupsBucket, v => c.BackupsBucket = Blank(v));
        Set(nameof(DrBucket), DrBucket, v => c.DrBucket = Blank(v));
        Set(nameof(DrRegion), DrRegion, v => c.DrRegion = Blank(v));
        Set(nameof(DatabaseWindow), DatabaseWindow, v => c.DatabaseWindow = Window(v, nameof(DatabaseWindow)));
        Set(nameof(KubernetesWindow), KubernetesWindow, v => c.KubernetesWindow = Window(v, nameof(KubernetesWindow)));
        Set(nameof(ApplicationWindow), ApplicationWindow, v => c.ApplicationWindow = Window(v, nameof(ApplicationWindow)));
        Set(nameof(EnforceMaintenanceWindow), EnforceMaintenanceWindow, v => c.EnforceMaintenanceWindow = v);
        Set(nameof(BackupWindow), BackupWindow, v => c.BackupWindow = Blank(v));
        Set(nameof(BackupRetentionDays), BackupRetentionDays, v => c.BackupRetentionDays = v);
        Set(nameof(BackupRequireCopyTags), BackupRequireCopyTags, v => c.BackupRequireCopyTags = v);
        Set(nameof(BackupRequireDeletionProtection), BackupRequireDeletionProtection, v => c.BackupRequireDeletionProtection = v);
        Set(nameof(BackupRequireEncryption), BackupRequireEncryption, v => c.BackupRequireEncryption = v);
        Set(nameof(BackupMaxSnapshotAgeHours), BackupMaxSnapshotAgeHours, v => c.BackupMaxSnapshotAgeHours = v);
        Set(nameof(BackupMaxManualSnapshotAgeDays), BackupMaxManualSnapshotAgeDays, v => c.BackupMaxManualSnapshotAgeDays = v);
        Set(nameof(BackupMaxExportAgeDays), BackupMaxExportAgeDays, v => c.BackupMaxExportAgeDays = v);
        Set(nameof(ErrorRateThresholdPercent), ErrorRateThresholdPercent, v => c.ErrorRateThresholdPercent = v);
        Set(nameof(LatencyP95ThresholdMs), LatencyP95ThresholdMs, v => c.LatencyP95ThresholdMs = v);
        Merge(c.Endpoints, Endpoint);
        Merge(c.ServiceUrls, ServiceUrl);
        Set(nameof(LangfusePublicKey), LangfusePublicKey, v => c.LangfusePublicKey = Blank(v));
        Set(nameof(LangfuseSecretKeyFile), LangfuseSecretKeyFile, v => c.LangfuseSecretKeyFile = SecretKeyFile(v));
        Set(nameof(ArgoCdTokenFile), ArgoCdTokenFile, v => c.ArgoCdTokenFile = ArgoTokenFile(v));
    }

    /// <summary>The Argo CD token file as a full path: it must exist (ArgoCdTokenFileNotFound); a warning when others may read it.</summary>
    private string? ArgoTokenFile(string? v) => string.IsNullOrWhiteSpace(v) ? null : ExistingSecretFile(v, "ArgoCdTokenFileNotFound", "Argo CD token");

    /// <summary>The secret key file as a full path: it must exist (LangfuseSecretKeyFileNotFound); a warning when others may read it.</summary>
    private string? SecretKeyFile(string? v) => string.IsNullOrWhiteSpace(v) ? null : ExistingSecretFile(v, "LangfuseSecretKeyFileNotFound", "Langfuse secret key");

    /// <summary>
    /// DescribeCluster with the AWS settings of the context being set (its region, profile, credentials file and eks endpoint),
    /// the kubeconfig entry to write, and the context pointed at it (before ShouldProcess: -WhatIf says what would be written).
    /// </summary>
    private EksKubeconfigEntry PlanKubeconfig(OpsContext context)
    {
        var active = new ActiveContext(new Resolved<string>(Name, "Set-OpsContext"), context, ContextSettings.Merge(context, OpsContext.BuiltInDefault()));
        var eks = AwsResolver.Resolve("eks", new AwsParameters(), active);
        foreach (var line in eks.Describe()) WriteVerbose(line + ".");
        EksCluster cluster;
        using (var client = EksClient.Create(eks))
            cluster = Run(ct => new EksOperations(client).GetClusterAsync(EksCluster!, ct));
        var path = KubeClient.ResolveKubeconfigPath(context.KubeconfigPath);
        var alias = MyInvocation.BoundParameters.ContainsKey(nameof(KubeContext)) ? Blank(KubeContext) : null;
        var entry = EksKubeconfig.Plan(cluster, eks.Region.Value, context.ProfileName, alias, path);
        context.ClusterName = cluster.Name;
        context.KubeContext = entry.ContextName;
        context.KubeconfigPath = entry.Path;
        ContextStore.Validate(context, null);
        WriteVerbose($"EKS cluster '{cluster.Name}' ({cluster.Status}, Kubernetes {cluster.Version}): {cluster.Endpoint}; kubeconfig context '{entry.ContextName}' in {entry.Path}.");
        return entry;
    }

    private static string? Blank(string? v) => string.IsNullOrWhiteSpace(v) ? null : v;

    /// <summary>A window rule as its canonical text ('tue,thu 22:00-23:00' is stored as 'Tue,Thu 22:00-23:00 UTC'); one that does not parse is MaintenanceWindowSpecInvalid.</summary>
    private static string? Window(string? v, string parameter) =>
        string.IsNullOrWhiteSpace(v) ? null : MaintenanceWindowSpec.Parse(v, $"-{parameter}").Text;

    private static void Merge(Dictionary<string, string> target, Hashtable? changes)
    {
        if (changes is null) return;
        foreach (DictionaryEntry e in changes)
        {
            var key = e.Key.ToString()!;
            var value = e.Value is PSObject p ? p.BaseObject : e.Value;
            if (value is null || value is string { Length: 0 }) target.Remove(key);
            else target[key] = value.ToString()!;
        }
    }
}
