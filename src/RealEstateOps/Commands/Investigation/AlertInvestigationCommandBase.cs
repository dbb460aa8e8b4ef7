using System.Management.Automation;
using RealEstateOps.Engine.Investigation;

namespace RealEstateOps.Commands.Investigation;

/// <summary>The investigation cmdlets that follow one alert: which alert, its threshold, and the request they make of the investigator.</summary>
public abstract class AlertInvestigationCommandBase : InvestigationCommandBase
{
    [Parameter(Position = 0)]
    [ValidateSet("HighErrorRate", "HighLatencyP95")]
    public string Alert { get; set; } = "HighErrorRate";

    /// <summary>In the alert's unit (percent of 5xx answers; p95 milliseconds); defaults to the alert rule's (5%, 1000 ms).</summary>
    [Parameter]
    [ValidateRange(0.0001, 1e9)]
    public double? Threshold { get; set; }

    /// <summary>The alert, namespace, window, threshold and services these parameters give.</summary>
    protected InvestigationRequest AlertRequest() => new()
    {
        Alert = Alert, Namespace = NamespaceOf(), Start = DateTimeOffset.UtcNow - Since, Threshold = ThresholdOf(Alert, Threshold), Services = Service,
    };
}
