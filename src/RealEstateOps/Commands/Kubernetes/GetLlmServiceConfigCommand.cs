using System.Management.Automation;
using RealEstateOps.Completers;
using RealEstateOps.Engine.Kubernetes;

namespace RealEstateOps.Commands.Kubernetes;

/// <summary>The llm-service's configuration: provider, fallback provider, request limit, and what a revert would restore.</summary>
[Cmdlet(VerbsCommon.Get, "LlmServiceConfig")]
[OutputType(typeof(LlmServiceConfig))]
public sealed class GetLlmServiceConfigCommand : KubeCommandBase
{
    [Parameter] [ArgumentCompleter(typeof(NamespaceNameCompleter))] public string? Namespace { get; set; }
    [Parameter] [ValidateNotNullOrEmpty] public string ConfigMap { get; set; } = LlmServiceConfigurator.DefaultConfigMap;
    [Parameter] [ValidateNotNullOrEmpty] [ArgumentCompleter(typeof(DeploymentNameCompleter))] public string Deployment { get; set; } = LlmServiceConfigurator.DefaultDeployment;

    protected override string? NamespaceParameter => Namespace;

    protected override void ProcessRecordCore()
    {
        var client = Client();
        var request = new LlmConfigRequest { Namespace = Namespace ?? client.Namespace, ConfigMap = ConfigMap, Deployment = Deployment };
        WriteObject(Run(ct => new LlmServiceConfigurator(client).GetAsync(request, ct)));
    }
}
