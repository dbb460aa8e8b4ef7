using System.Management.Automation;
using RealEstateOps.Completers;
using RealEstateOps.Engine.Eks;

namespace RealEstateOps.Commands.Eks;

/// <summary>
/// The runbook's "aws eks describe-addon-versions --kubernetes-version": per add-on, the default and latest version compatible
/// with the minor, the installed version, and whether the installed one is compatible.
/// </summary>
[Cmdlet(VerbsCommon.Get, "EksAddonVersion")]
[OutputType(typeof(EksAddonVersion))]
public sealed class GetEksAddonVersionCommand : EksCommandBase
{
    [Parameter(ValueFromPipelineByPropertyName = true)]
    [ArgumentCompleter(typeof(EksClusterNameCompleter))]
    public string? ClusterName { get; set; }

    /// <summary>The minor to check against; left out, the control plane's current one.</summary>
    [Parameter(Position = 0)]
    [ArgumentCompleter(typeof(KubernetesVersionCompleter))]
    public string? KubernetesVersion { get; set; }

    /// <summary>Add-on names; left out, the installed ones.</summary>
    [Parameter(ValueFromPipelineByPropertyName = true)]
    [ArgumentCompleter(typeof(EksAddonNameCompleter))]
    public string[]? AddonName { get; set; }

    /// <summary>The whole catalogue for the minor, installed or not.</summary>
    [Parameter] public SwitchParameter All { get; set; }

    protected override void ProcessRecordCore()
    {
        var cluster = ClusterNameOf(ClusterName);
        var version = KubernetesVersion is null ? Run(ct => Eks.GetClusterAsync(cluster, ct)).Version : Minor(KubernetesVersion);
        if (KubernetesVersion is null) WriteVerbose($"KubernetesVersion: {version} (the control plane's).");
        var query = new EksAddonVersionQuery { ClusterName = cluster, KubernetesVersion = version, AddonNames = AddonName ?? Array.Empty<string>(), IncludeNotInstalled = All };
        Stream(ct => Eks.GetAddonVersionsAsync(query, ct));
    }
}
