using System.Management.Automation;
using RealEstateOps.Completers;
using RealEstateOps.Engine.Common;
using RealEstateOps.Engine.Eks;
using RealEstateOps.Engine.Kubernetes;
using RealEstateOps.Engine.Maintenance;

namespace RealEstateOps.Commands.Eks;

/// <summary>
/// The pre-flight of a Kubernetes minor upgrade: one verdict (Pass, Warn, Fail) per check, with what was found and what to do.
/// When a check fails, a non-terminating EksUpgradeNotReady error follows the verdicts, so that a script can stop on it
/// (-ErrorAction Stop) or test $?; -Quiet writes only $true (nothing fails) or $false.
/// </summary>
[Cmdlet(VerbsDiagnostic.Test, "EksUpgradeReadiness")]
[OutputType(typeof(EksReadinessCheck), typeof(bool))]
public sealed class TestEksUpgradeReadinessCommand : EksCommandBase
{

    [Parameter(ValueFromPipelineByPropertyName = true)]
    [ArgumentCompleter(typeof(EksClusterNameCompleter))]
    public string? ClusterName { get; set; }

    /// <summary>The target minor ("1.33"); left out, the next minor (or the control plane's own while node groups still trail it).</summary>
    [Parameter(Position = 0)]
    [ArgumentCompleter(typeof(KubernetesVersionCompleter))]
    public string? KubernetesVersion { get; set; }

    /// <summary>Writes only $true when no check fails, else $false (no verdicts, no error).</summary>
    [Parameter] public SwitchParameter Quiet { get; set; }

    [Parameter] public string? Kubeconfig { get; set; }
    [Parameter] public string? KubeContext { get; set; }

    protected override bool ReadsNodes => true;
    protected override string? KubeconfigParameter => Kubeconfig;
    protected override string? KubeContextParameter => KubeContext;

    protected override void ProcessRecordCore()
    {
        var cluster = ClusterNameOf(ClusterName);
        var version = KubernetesVersion is null ? null : Minor(KubernetesVersion);
        var window = EksReadinessWindow.From(new MaintenanceSchedule(ActiveContext), MaintenanceKind.Kubernetes);
        var kube = RequireKube();
        var checker = new EksReadinessChecker(Eks, kube);
        var report = Run(ct => checker.CheckAsync(new EksReadinessRequest { ClusterName = cluster, TargetVersion = version }, window, Listener, ct));
        if (Quiet)
        {
            WriteObject(report.Result != EksReadinessResult.Fail);
            return;
        }
        foreach (var check in report.Checks) WriteObject(check);
        if (report.Failed.Length > 0)
            WriteOpsError(report.NotReadyError(isFatal: false));
    }

}
