using System.Management.Automation;
using RealEstateOps.Common;
using RealEstateOps.Completers;
using RealEstateOps.Engine.Alertmanager;
using RealEstateOps.Engine.Common;
using RealEstateOps.Engine.Eks;
using RealEstateOps.Engine.Maintenance;

namespace RealEstateOps.Commands.Eks;

/// <summary>
/// The runbook's "aws eks update-nodegroup-version": EKS replaces the group's nodes with new ones at the version (scale up,
/// cordon and drain the old ones honouring disruption budgets, scale down). Writes the update, or with -Wait the finished one.
/// </summary>
[Maintenance.MaintenanceWindow("Kubernetes")]
[Cmdlet(VerbsData.Update, "EksNodeGroup", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Medium)]
[OutputType(typeof(EksUpdate))]
public sealed class UpdateEksNodeGroupCommand : EksCommandBase
{
    [Parameter(ValueFromPipelineByPropertyName = true)]
    [ArgumentCompleter(typeof(EksClusterNameCompleter))]
    public string? ClusterName { get; set; }

    [Parameter(Position = 0, ValueFromPipelineByPropertyName = true)]
    [Alias("NodeGroupName")]
    [ArgumentCompleter(typeof(EksNodeGroupCompleter))]
    public string? NodeGroup { get; set; }

    /// <summary>The Kubernetes minor ("1.33"); left out, EKS uses the control plane's.</summary>
    [Parameter]
    [ArgumentCompleter(typeof(KubernetesVersionCompleter))]
    public string? KubernetesVersion { get; set; }

    [Parameter] public string? ReleaseVersion { get; set; }

    /// <summary>A version of the group's own launch template (the template's name or id is read from the node group).</summary>
    [Parameter] public string? LaunchTemplateVersion { get; set; }

    /// <summary>EKS's force: evict pods even when a PodDisruptionBudget refuses, instead of failing with PodEvictionFailure.</summary>
    [Parameter] public SwitchParameter ForceEvictPastDisruptionBudget { get; set; }

    /// <summary>Skips the confirmation prompt only (never disruption budgets: that is -ForceEvictPastDisruptionBudget).</summary>
    [Parameter] public SwitchParameter Force { get; set; }

    [Parameter] public SwitchParameter Wait { get; set; }

    /// <summary>With -Wait: silences the cluster's PodRestartingOften and HighErrorRate while the nodes are replaced; expired when the command ends.</summary>
    [Parameter] public SwitchParameter SilenceAlerts { get; set; }

    /// <summary>The Alertmanager for -SilenceAlerts; defaults to the context's ServiceUrls['alertmanager'].</summary>
    [Parameter] public string? AlertmanagerUrl { get; set; }

    [Parameter]
    [Duration]
    public TimeSpan Timeout { get; set; } = TimeSpan.FromHours(2);

    [Parameter] public string? Kubeconfig { get; set; }
    [Parameter] public string? KubeContext { get; set; }

    protected override bool ReadsNodes => Wait;
    protected override string? KubeconfigParameter => Kubeconfig;
    protected override string? KubeContextParameter => KubeContext;

    protected override void ProcessRecordCore()
    {
        var cluster = ClusterNameOf(ClusterName);
        var group = Setting(NodeGroup, "NodeGroup", c => c.NodeGroup)?.Value is { Length: > 0 } g ? g
            : throw new OpsException("EksNodeGroupNotSet", OpsErrorCategory.InvalidArgument,
                "No node group: give -NodeGroup, or set NodeGroup in the context (Set-OpsContext -NodeGroup).", isFatal: true);
        var version = KubernetesVersion is null ? null : Minor(KubernetesVersion);

        // Reads before any change (also under -WhatIf): a node group may not lead its control plane, and a launch template
        // version needs the group's own template.
        var (current, plane) = Run(async ct => (await Eks.GetNodeGroupAsync(cluster, group, false, null, ct).ConfigureAwait(false),
            await Eks.GetClusterAsync(cluster, ct).ConfigureAwait(false)));
        if (version is not null && EksVersion.TryParse(plane.Version, out var cp) && EksVersion.Parse(version) > cp)
            throw new OpsException("EksNodeGroupAhead", OpsErrorCategory.InvalidArgument,
                $"Node group '{group}' cannot go to {version}: the control plane of '{cluster}' is at {plane.Version}, and a kubelet may never lead it. " +
                $"Update the control plane first (Update-EksCluster -KubernetesVersion {version}). Nothing was changed.", $"{cluster}/{group}");
        if (LaunchTemplateVersion is not null && current.LaunchTemplateName is null && current.LaunchTemplateId is null)
            throw new OpsException("EksLaunchTemplateNotSet", OpsErrorCategory.InvalidArgument,
                $"Node group '{group}' was not made from a launch template, so -LaunchTemplateVersion has nothing to apply to. Nothing was changed.", $"{cluster}/{group}");

        var request = new EksNodeGroupVersionUpdate
        {
            ClusterName = cluster, NodeGroupName = group, KubernetesVersion = version, ReleaseVersion = ReleaseVersion,
            LaunchTemplateName = LaunchTemplateVersion is null ? null : current.LaunchTemplateId is null ? current.LaunchTemplateName : null,
            LaunchTemplateId = LaunchTemplateVersion is null ? null : current.LaunchTemplateId,
            LaunchTemplateVersion = LaunchTemplateVersion,
            ForceEvictPastDisruptionBudget = ForceEvictPastDisruptionBudget,
        };
        var to = version ?? ReleaseVersion ?? (LaunchTemplateVersion is null ? plane.Version : $"launch template version {LaunchTemplateVersion}");
        var action = $"Replace the nodes of node group '{group}' ({current.Version}, {current.DesiredSize} node(s), maxUnavailable {current.MaxUnavailableText ?? "1"}) " +
                     $"with nodes at {to}{(ForceEvictPastDisruptionBudget ? ", evicting past disruption budgets" : "")}";
        var target = $"{cluster}/{group}";
        if (SilenceAlerts && !Wait)
            throw new OpsException("SilenceAlertsNeedsWait", OpsErrorCategory.InvalidArgument,
                "-SilenceAlerts silences alerts while the command runs, and without -Wait it ends as soon as the update starts: add -Wait. Nothing was changed.", target, isFatal: true);
        EksUpdate? update = null;
        WithMaintenanceSilence(SilenceAlerts, AlertmanagerUrl, MaintenanceKind.Kubernetes, Timeout,
            () => MaintenanceSilenceScope.ForCluster($"node group {group} of cluster {cluster}", Array.Empty<string>()),
            () => update = Wait
                ? ChangeThenWait(target, action, ct => Eks.UpdateNodeGroupVersionAsync(request, ct), started => WaitForUpdate(started, Timeout), Force)
                : Change(target, action, ct => Eks.UpdateNodeGroupVersionAsync(request, ct), Force));
        if (update is not null) WriteObject(update);
    }
}
