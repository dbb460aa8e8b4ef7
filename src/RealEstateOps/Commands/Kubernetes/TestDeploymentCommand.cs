using System.Management.Automation;
using RealEstateOps.Common;
using RealEstateOps.Completers;
using RealEstateOps.Engine.Kubernetes;

namespace RealEstateOps.Commands.Kubernetes;

/// <summary>The runbook's "Verify Deployment": one verdict (Healthy, Degraded, Failed) with reasons.</summary>
[Cmdlet(VerbsDiagnostic.Test, "Deployment")]
[OutputType(typeof(DeploymentVerification))]
public sealed class TestDeploymentCommand : KubeCommandBase
{
    [Parameter(Position = 0)]
    [SupportsWildcards]
    [ArgumentCompleter(typeof(DeploymentNameCompleter))]
    public string[]? Name { get; set; }

    [Parameter] [ArgumentCompleter(typeof(NamespaceNameCompleter))] public string? Namespace { get; set; }

    /// <summary>Container restarts within this window count as recent (default 15 minutes).</summary>
    [Parameter] [Duration] public TimeSpan RestartWindow { get; set; } = TimeSpan.FromMinutes(15);

    protected override string? NamespaceParameter => Namespace;

    protected override void ProcessRecordCore()
    {
        var client = Client();
        var request = new DeploymentHealthRequest { Namespace = client.Namespace, Names = Name, RestartWindow = RestartWindow };
        WriteObject(Run(ct => new DeploymentHealthChecker(client).CheckAsync(request, Listener, ct)));
    }
}
