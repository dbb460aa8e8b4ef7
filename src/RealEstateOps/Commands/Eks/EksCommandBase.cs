using RealEstateOps.Engine.Common;
using RealEstateOps.Engine.Eks;
using RealEstateOps.Engine.Kubernetes;
using RealEstateOps.Engine.Waiting;

namespace RealEstateOps.Commands.Eks;

/// <summary>
/// Base of the EKS cmdlets: one EKS client per command (region, credentials and endpoint resolved by AwsCommandBase; retries
/// said in verbose output), the cluster's Kubernetes API when a cmdlet reads nodes (kubeconfig and context from the context;
/// a cluster that cannot be reached leaves the nodes out with a warning), the cluster name from -ClusterName or the context,
/// and waits that, when stopped with Ctrl+C, say that the update goes on at AWS and how to resume waiting for it.
/// </summary>
public abstract class EksCommandBase : AwsCommandBase
{
    private readonly OwnedClient<EksClient> _client = new();
    private readonly OwnedClient<KubeClient> _kube = new();
    private EksOperations? _ops;

    /// <summary>Whether this cmdlet reads the node groups' nodes from the cluster (Get-EksNodeGroup, node-group updates and waits).</summary>
    protected virtual bool ReadsNodes => false;

    /// <summary>Whether nodes that cannot be read deserve a warning (Get-EksNodeGroup) rather than a verbose line (waits, where they only refine the progress).</summary>
    protected virtual bool WarnWithoutNodes => false;

    /// <summary>The kubeconfig for the cluster's nodes (cmdlets that read nodes expose -Kubeconfig); null: the context's.</summary>
    protected virtual string? KubeconfigParameter => null;

    /// <summary>The kubeconfig context (cmdlets that read nodes expose -KubeContext); null: the context's.</summary>
    protected virtual string? KubeContextParameter => null;

    protected EksOperations Eks => _ops ??= new EksOperations(
        _client.Get(() => EksClient.Create(Aws("eks"), onRetry: RetryNote("EKS"))),
        ReadsNodes ? OpenKube() : null);

    private KubeClient? OpenKube()
    {
        try
        {
            return RequireKube();
        }
        catch (OpsException ex) when (!ex.IsFatal)
        {
            var message = $"The cluster's nodes cannot be read ({ex.ErrorId}: {ex.Message}); EKS's answers come without them.";
            if (WarnWithoutNodes) WriteWarning(message);
            else WriteVerbose(message);
            return null;
        }
    }

    /// <summary>
    /// The cluster's Kubernetes API (kubeconfig and context from -Kubeconfig/-KubeContext or the context; an EKS token minted
    /// in-process for an 'aws eks get-token' user), for cmdlets that cannot go on without it: an error when it cannot be opened.
    /// </summary>
    protected KubeClient RequireKube() => _kube.Get(() => OpenKube(KubeconfigParameter, KubeContextParameter, null, TimeSpan.FromSeconds(30)));

    /// <summary>Resolves region, credentials and endpoint here, on the pipeline thread (they go to the verbose stream), before any engine work.</summary>
    protected override void BeginProcessingCore() => _ = Eks;

    /// <summary>EKS clients opened by commands and not yet disposed (a diagnostic for leak tests).</summary>
    internal static int OpenClients => OwnedClient<EksClient>.Open;

    /// <summary>Disposed when the pipeline ends, however it ends (see <see cref="OpsCommandBase.Dispose"/>).</summary>
    protected override void ReleaseResources()
    {
        _client.Release();
        _kube.Release();
    }

    /// <summary>The cluster from the parameter or the context (ClusterName).</summary>
    protected string ClusterNameOf(string? given, string parameter = "ClusterName") =>
        Setting(given, parameter, c => c.ClusterName)?.Value is { Length: > 0 } name
            ? name
            : throw new OpsException("EksClusterNameNotSet", OpsErrorCategory.InvalidArgument,
                $"No EKS cluster: give -{parameter}, or set ClusterName in the context (Set-OpsContext -ClusterName).", isFatal: true);

    /// <summary>A Kubernetes minor as typed ("1.33", "v1.33"), normalised; anything else is EksVersionInvalid.</summary>
    protected static string Minor(string given, string parameter = "KubernetesVersion") => EksVersion.Parse(given, "-" + parameter).ToString();

    /// <summary>How to resume waiting for an update, for messages: Wait-EksUpdate with what finds it again.</summary>
    protected static string ResumeCommand(EksUpdate update) =>
        $"Wait-EksUpdate -ClusterName {update.ClusterName}" +
        (update.NodeGroupName is { } g ? $" -NodeGroup {g}" : "") + (update.AddonName is { } a ? $" -AddonName {a}" : "") + $" -UpdateId {update.UpdateId}";

    /// <summary>
    /// Waits for an update through the engine's waiter with Write-Progress (status and phase). Ctrl+C stops the wait at once;
    /// the update itself goes on at AWS: the host is told so, with the command that resumes the wait, and the command ends as
    /// WaitStopped with the same message (a change with -Wait journals it in its one entry).
    /// </summary>
    protected EksUpdate WaitForUpdate(EksUpdate update, TimeSpan timeout) =>
        WaitOnAws(update, (progress, ct) => Eks.WaitUpdateAsync(update, timeout, progress, ct), (elapsed, status) =>
            $"Stopped waiting after {Waiter.Format(elapsed)}: the update is still running on AWS (update {update.UpdateId} of {update.Target}, " +
            $"last status: {status}). Nothing was undone. Resume with {ResumeCommand(update)}");
}
