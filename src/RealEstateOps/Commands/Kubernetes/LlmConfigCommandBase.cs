using System.Management.Automation;
using RealEstateOps.Common;
using RealEstateOps.Completers;
using RealEstateOps.Engine.Kubernetes;

namespace RealEstateOps.Commands.Kubernetes;

/// <summary>
/// What the llm-service configuration changes share: where the configuration is (-Namespace, -ConfigMap, -Deployment),
/// and a ShouldProcess'd, journaled change whose -Wait waits for the rolling restart that applies it.
/// </summary>
public abstract class LlmConfigCommandBase : RolloutCommandBase
{
    [Parameter] [ArgumentCompleter(typeof(NamespaceNameCompleter))] public string? Namespace { get; set; }
    [Parameter] [ValidateNotNullOrEmpty] public string ConfigMap { get; set; } = LlmServiceConfigurator.DefaultConfigMap;
    [Parameter] [ValidateNotNullOrEmpty] [ArgumentCompleter(typeof(DeploymentNameCompleter))] public string Deployment { get; set; } = LlmServiceConfigurator.DefaultDeployment;

    protected override string? NamespaceParameter => Namespace;

    protected LlmConfigRequest ConfigRequest(KubeClient client) => new() { Namespace = Namespace ?? client.Namespace, ConfigMap = ConfigMap, Deployment = Deployment };

    /// <summary>The change, journaled; with -Wait one entry that also covers the rollout of the restart.</summary>
    protected void ChangeConfig(KubeClient client, string action, Func<CancellationToken, Task<LlmConfigChange>> change, TimeSpan timeout, bool force)
    {
        var request = ConfigRequest(client);
        var target = $"configmap/{request.ConfigMap} in {request.Namespace} (deployment/{request.Deployment})";
        var result = Wait
            ? ChangeThenWait(target, action, change, c =>
            {
                if (c.Restart is not null) WaitForRollout(client, new RolloutRequest(request.Namespace, request.Deployment) { Timeout = timeout });
                return c;
            }, force)
            : Change(target, action, change, force);
        if (result is null) return;
        if (!result.Changed) WriteVerbose($"{result.Setting} already is '{result.NewValue}': nothing written, nothing restarted.");
        WriteObject(result);
    }
}
