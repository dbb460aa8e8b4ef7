using k8s;
using k8s.KubeConfigModels;
using RealEstateOps.Engine.Aws;
using RealEstateOps.Engine.Kubernetes;

namespace RealEstateOps.Engine.Eks;

/// <summary>
/// Builds the Kubernetes client's configuration from a kubeconfig, standing in for <c>aws eks get-token</c>: when the
/// selected context's user is that exec plugin (<see cref="EksTokenExec"/>) and the target names an AWS context, the
/// exec is not run; the token is minted in-process with the module's credential chain (region from the exec's --region,
/// profile from its --profile or AWS_PROFILE, else the context's) and refreshed before it expires
/// (<see cref="EksTokenProvider"/>). Any other user (tokens, certificates, other exec plugins) is left to the client as written.
/// </summary>
public static class EksTokenCredentials
{
    /// <summary>The client configuration for <paramref name="path"/> and the target's context; says through <see cref="KubeTarget.Note"/> which way the credentials come.</summary>
    public static KubernetesClientConfiguration BuildConfig(string path, KubeTarget target)
    {
        var kubeconfig = KubernetesClientConfiguration.LoadKubeConfig(path);
        var contextName = string.IsNullOrWhiteSpace(target.Context) ? kubeconfig.CurrentContext : target.Context;
        var userName = kubeconfig.Contexts?.FirstOrDefault(c => string.Equals(c.Name, contextName, StringComparison.OrdinalIgnoreCase))?.ContextDetails?.User;
        var user = userName is null ? null : kubeconfig.Users?.FirstOrDefault(u => string.Equals(u.Name, userName, StringComparison.OrdinalIgnoreCase));
        EksTokenProvider? provider = null;
        if (user?.UserCredentials?.ExternalExecution is { } exec)
        {
            var recognised = EksTokenExec.Recognise(exec, out var reason);
            if (recognised is not null && target.AwsContext is { } aws)
            {
                var sts = AwsResolver.Resolve("sts", new AwsParameters(recognised.Region, recognised.Profile), aws);
                provider = new EksTokenProvider(new EksTokenMinter(sts, target.TimeForTests), recognised.ClusterName, target.TimeForTests);
                // The client wants credentials in the user entry; the first token stands in for the exec's answer, the provider for every later one.
                var first = provider.GetTokenAsync(CancellationToken.None).GetAwaiter().GetResult();
                user.UserCredentials.ExternalExecution = null;
                user.UserCredentials.Token = first.Value;
                target.Note?.Invoke(
                    $"Kubernetes credentials: EKS token for cluster '{recognised.ClusterName}' minted in-process for the kubeconfig user '{user.Name}' " +
                    $"(its exec 'aws eks get-token' is not run), signed for sts in {sts.Region.Value} " +
                    $"(from {(recognised.Region is null ? sts.Region.Source : "the exec's --region")}) with credentials from " +
                    $"{sts.CredentialSource.Replace("parameter -ProfileName", "the exec's --profile or AWS_PROFILE", StringComparison.Ordinal)}; " +
                    $"refreshed {Waiting.Waiter.Format(EksToken.Lifetime - EksToken.RefreshMargin)} after each is signed.");
            }
            else
            {
                target.Note?.Invoke($"Kubernetes credentials: the kubeconfig user '{user.Name}' runs its exec plugin '{exec.Command}'" +
                                    (recognised is not null ? " (no AWS context to mint an EKS token with)." : reason is null ? "." : $" ({reason})."));
            }
        }
        var config = KubernetesClientConfiguration.BuildConfigFromConfigObject(kubeconfig, string.IsNullOrWhiteSpace(target.Context) ? null : target.Context);
        if (provider is not null) config.TokenProvider = provider;
        return config;
    }
}
