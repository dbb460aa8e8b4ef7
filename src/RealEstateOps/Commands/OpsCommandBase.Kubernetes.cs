using RealEstateOps.Engine.Kubernetes;

namespace RealEstateOps.Commands;

/// <summary>The Kubernetes API for every cmdlet that talks to the cluster (the Kubernetes cmdlets, EKS readiness, Argo CD's rollback check, the triage).</summary>
public abstract partial class OpsCommandBase
{
    /// <summary>
    /// A client of the cluster: kubeconfig, context and namespace from the parameters, else the context (each source goes to
    /// verbose), an EKS token minted in-process for an 'aws eks get-token' user. The caller owns it (dispose it, or hold it in an OwnedClient).
    /// </summary>
    protected KubeClient OpenKube(string? kubeconfig, string? kubeContext, string? ns, TimeSpan? requestTimeout = null)
    {
        var path = Setting(kubeconfig, "Kubeconfig", c => c.KubeconfigPath);
        var context = Setting(kubeContext, "KubeContext", c => c.KubeContext);
        var space = Setting(ns, "Namespace", c => c.Namespace);
        var client = KubeClient.Open(new KubeTarget
        {
            Kubeconfig = path?.Value, Context = context?.Value, Namespace = space?.Value, RequestTimeout = requestTimeout ?? TimeSpan.FromMinutes(2),
            AwsContext = ActiveContext, Note = WriteVerbose,
        });
        WriteVerbose($"Kubernetes: {client.Server} (kubeconfig {client.Kubeconfig}, context '{client.Context}'), namespace '{client.Namespace}'.");
        return client;
    }
}
