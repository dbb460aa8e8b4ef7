using System.Management.Automation;
using RealEstateOps.Common;
using RealEstateOps.Completers;
using RealEstateOps.Engine.Kubernetes;

namespace RealEstateOps.Commands.Kubernetes;

/// <summary>
/// The LLM runbook's "switch to the fallback provider": sets LLM_PROVIDER in the llm-service's ConfigMap (by default to its
/// LLM_FALLBACK_PROVIDER), keeps the replaced provider for -Revert, and restarts llm-service so its pods read it.
/// </summary>
[Cmdlet(VerbsCommon.Switch, "LlmProvider", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Medium, DefaultParameterSetName = "Switch")]
[OutputType(typeof(LlmConfigChange))]
public sealed class SwitchLlmProviderCommand : LlmConfigCommandBase
{
    /// <summary>The provider to switch to; by default the configured fallback provider.</summary>
    [Parameter(Position = 0, ParameterSetName = "Switch")] [ArgumentCompleter(typeof(LlmProviderCompleter))] [ValidatePattern("^[a-z0-9][a-z0-9._-]{0,62}$")] public string? Provider { get; set; }
    /// <summary>Back to the provider the last switch replaced.</summary>
    [Parameter(Mandatory = true, ParameterSetName = "Revert")] public SwitchParameter Revert { get; set; }
    [Parameter] [Duration] public TimeSpan Timeout { get; set; } = TimeSpan.FromMinutes(10);
    [Parameter] public SwitchParameter Force { get; set; }

    protected override void ProcessRecordCore()
    {
        var client = Client();
        var request = ConfigRequest(client);
        var action = Revert ? "Revert LLM provider and restart" : $"Switch LLM provider to {Provider ?? "the fallback provider"} and restart";
        ChangeConfig(client, action, ct => new LlmServiceConfigurator(client).SwitchProviderAsync(request, Provider, Revert, ct), Timeout, Force);
    }
}
