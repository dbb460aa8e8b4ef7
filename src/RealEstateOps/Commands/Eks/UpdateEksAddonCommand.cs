using System.Management.Automation;
using RealEstateOps.Common;
using RealEstateOps.Completers;
using RealEstateOps.Engine.Eks;

namespace RealEstateOps.Commands.Eks;

/// <summary>UpdateAddon: an add-on to a version compatible with the cluster's minor (by default that minor's default version).</summary>
[Cmdlet(VerbsData.Update, "EksAddon", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Medium)]
[OutputType(typeof(EksUpdate))]
public sealed class UpdateEksAddonCommand : EksCommandBase
{
    [Parameter(ValueFromPipelineByPropertyName = true)]
    [ArgumentCompleter(typeof(EksClusterNameCompleter))]
    public string? ClusterName { get; set; }

    [Parameter(Mandatory = true, Position = 0, ValueFromPipelineByPropertyName = true)]
    [ArgumentCompleter(typeof(EksAddonNameCompleter))]
    public string AddonName { get; set; } = "";

    /// <summary>The version to install; left out, the default version for -KubernetesVersion.</summary>
    [Parameter] public string? AddonVersion { get; set; }

    /// <summary>The minor the version must suit; left out, the control plane's current one.</summary>
    [Parameter(ValueFromPipelineByPropertyName = true)]
    [ArgumentCompleter(typeof(KubernetesVersionCompleter))]
    public string? KubernetesVersion { get; set; }

    [Parameter]
    [ValidateSet("Overwrite", "None", "Preserve")]
    public string? ResolveConflicts { get; set; }

    /// <summary>Skips the confirmation prompt only.</summary>
    [Parameter] public SwitchParameter Force { get; set; }

    [Parameter] public SwitchParameter Wait { get; set; }

    [Parameter]
    [Duration]
    public TimeSpan Timeout { get; set; } = TimeSpan.FromMinutes(30);

    protected override void ProcessRecordCore()
    {
        var cluster = ClusterNameOf(ClusterName);
        var (installed, minor) = Run(async ct =>
        {
            var addon = await Eks.GetAddonAsync(cluster, AddonName, ct).ConfigureAwait(false);
            var m = KubernetesVersion is null ? (await Eks.GetClusterAsync(cluster, ct).ConfigureAwait(false)).Version : Minor(KubernetesVersion);
            return (addon, m);
        });
        var version = Run(ct => Eks.ResolveAddonVersionAsync(cluster, AddonName, minor, AddonVersion, ct));
        if (AddonVersion is null) WriteVerbose($"AddonVersion: {version} (the default for Kubernetes {minor}).");
        var request = new EksAddonUpdate
        {
            ClusterName = cluster, AddonName = AddonName, AddonVersion = version,
            ResolveConflicts = ResolveConflicts is null ? null : Enum.Parse<EksResolveConflicts>(ResolveConflicts, ignoreCase: true),
        };
        var action = $"Update add-on '{AddonName}' from {installed.AddonVersion} to {version}" + (ResolveConflicts is null ? "" : $" (conflicts: {ResolveConflicts})");
        var target = $"{cluster}/{AddonName}";
        var update = Wait
            ? ChangeThenWait(target, action, ct => Eks.UpdateAddonAsync(request, ct), started => WaitForUpdate(started, Timeout), Force)
            : Change(target, action, ct => Eks.UpdateAddonAsync(request, ct), Force);
        if (update is not null) WriteObject(update);
    }
}
