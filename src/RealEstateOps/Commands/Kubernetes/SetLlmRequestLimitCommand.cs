using System.Management.Automation;
using RealEstateOps.Common;
using RealEstateOps.Engine.Kubernetes;

namespace RealEstateOps.Commands.Kubernetes;

/// <summary>
/// The LLM runbook's "implement request throttling": sets LLM_RATE_LIMIT_RPM in the llm-service's ConfigMap, keeps the
/// replaced limit for -Revert, and restarts llm-service so its pods read it.
/// </summary>
[Cmdlet(VerbsCommon.Set, "LlmRequestLimit", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Medium, DefaultParameterSetName = "Set")]
[OutputType(typeof(LlmConfigChange))]
public sealed class SetLlmRequestLimitCommand : LlmConfigCommandBase
{
    [Parameter(Mandatory = true, Position = 0, ParameterSetName = "Set")] [ValidateRange(1, 1_000_000)] public int RequestsPerMinute { get; set; }
    /// <summary>Back to the limit the last change replaced.</summary>
    [Parameter(Mandatory = true, ParameterSetName = "Revert")] public SwitchParameter Revert { get; set; }
    [Parameter] [Duration] public TimeSpan Timeout { get; set; } = TimeSpan.FromMinutes(10);
    [Parameter] public SwitchParameter Force { get; set; }

    protected override void ProcessRecordCore()
    {
        var client = Client();
        var request = ConfigRequest(client);
        int? limit = Revert ? null : RequestsPerMinute;
        var action = Revert ? "Revert LLM request limit and restart" : $"Set LLM request limit to {RequestsPerMinute}/min and restart";
        ChangeConfig(client, action, ct => new LlmServiceConfigurator(client).SetRequestLimitAsync(request, limit, Revert, ct), Timeout, Force);
    }
}
