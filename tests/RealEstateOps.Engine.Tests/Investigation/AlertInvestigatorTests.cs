using RealEstateOps.Engine.Investigation;
using RealEstateOps.Engine.Prometheus;

namespace RealEstateOps.Engine.Tests.Investigation;

/// <summary>The investigation's pure parts: spike detection over a series, the grouping of error lines, the suggested action.</summary>
public class AlertInvestigatorTests
{
    private static readonly DateTimeOffset T0 = new(2026, 12, 1, 10, 0, 0, TimeSpan.Zero);

    private static PromSeries Series(string service, params double[] ratios) => new()
    {
        Metric = new Dictionary<string, string> { ["namespace"] = "real-estate-ai", ["service"] = service },
        Samples = ratios.Select((v, i) => new PromSample { Timestamp = T0.AddSeconds(10 * i), Value = v }).ToList(),
    };

    [Fact]
    public void A_service_below_the_threshold_did_not_spike() =>
        Assert.Null(AlertInvestigator.Detect(Series("auth-service", 0.01, 0.05, 0.02), "HighErrorRate", 5, 100, "%"));

    [Fact]
    public void Since_is_the_start_of_the_latest_run_above_the_threshold()
    {
        var spike = AlertInvestigator.Detect(Series("api-service", 0.0, 0.2, 0.0, 0.01, 0.31, double.NaN, 0.29, 0.3), "HighErrorRate", 5, 100, "%")!;
        Assert.Equal(("api-service", "real-estate-ai", T0.AddSeconds(40), true), (spike.Service, spike.Namespace, spike.Since, spike.Ongoing));
        Assert.Equal((31.0, T0.AddSeconds(40), 30.0), (spike.Peak, spike.PeakAt, spike.Latest));
    }

    [Fact]
    public void A_spike_that_ended_is_not_ongoing()
    {
        var spike = AlertInvestigator.Detect(Series("api-service", 0.0, 0.2, 0.25, 0.01), "HighErrorRate", 5, 100, "%")!;
        Assert.Equal((T0.AddSeconds(10), false, 1.0), (spike.Since, spike.Ongoing, spike.Latest));
    }

    [Fact]
    public void The_expression_is_the_rules_own_scoped_to_the_namespace_and_services()
    {
        Assert.Equal("sum by (namespace, service) (rate(http_requests_total{namespace=\"real-estate-ai\",code=~\"5..\"}[1m])) / sum by (namespace, service) (rate(http_requests_total{namespace=\"real-estate-ai\"}[1m]))",
            AlertInvestigator.Expression("HighErrorRate", "real-estate-ai", null));
        Assert.Contains("service=~\"api-service|auth-service\"", AlertInvestigator.Expression("HighLatencyP95", "ns", new[] { "auth-service", "api-service" }));
    }

    [Fact]
    public void Error_lines_group_once_numbers_and_ids_are_set_aside()
    {
        Assert.Equal(AlertInvestigator.Normalize("ERROR upstream llm-service timed out after 30000ms (request 8812)"),
            AlertInvestigator.Normalize("ERROR upstream llm-service timed out after 30000ms (request 17)"));
        Assert.Equal("ERROR id <id> failed at <n>", AlertInvestigator.Normalize("ERROR id 5d98ca7e-7a3c-42fb-9f65-ead653f91d88 failed at 10.0.1.21"));
    }

    private static ServiceSpike Spike(string service) => new() { Service = service, Namespace = "real-estate-ai", Since = T0, Alert = "HighErrorRate" };

    [Fact]
    public void A_rollout_of_a_spiked_service_means_roll_it_back()
    {
        var rollouts = new[]
        {
            new RecentChange { Kind = RecentChangeKind.Rollout, Target = "auth-service", Namespace = "real-estate-ai", Time = T0.AddMinutes(-1), Summary = "revision 2" },
            new RecentChange { Kind = RecentChangeKind.Rollout, Target = "api-service", Namespace = "real-estate-ai", Time = T0.AddMinutes(-2), Summary = "revision 3 (api-service:broken)" },
        };
        var action = AlertInvestigator.Suggest(new[] { Spike("api-service") }, rollouts, Array.Empty<ResourcePressure>(), "HighErrorRate");
        Assert.Equal((SuggestedActionKind.RollBack, "Undo-Deployment api-service -Namespace real-estate-ai -Wait"), (action.Kind, action.Command));
    }

    [Fact]
    public void Pressure_without_a_rollout_means_scale_and_neither_means_fall_back()
    {
        var pressure = new[] { new ResourcePressure { Scope = PressureScope.Pod, Name = "api-service-1", Service = "api-service", Namespace = "real-estate-ai", UnderPressure = true, Reason = "CPU at 97% of its request" } };
        var other = new[] { new RecentChange { Kind = RecentChangeKind.Rollout, Target = "auth-service", Namespace = "real-estate-ai", Time = T0 } };
        Assert.Equal(SuggestedActionKind.Scale, AlertInvestigator.Suggest(new[] { Spike("api-service") }, other, pressure, "HighErrorRate").Kind);
        Assert.Equal(SuggestedActionKind.FallBack, AlertInvestigator.Suggest(new[] { Spike("api-service") }, other, Array.Empty<ResourcePressure>(), "HighErrorRate").Kind);
        Assert.Equal(SuggestedActionKind.None, AlertInvestigator.Suggest(Array.Empty<ServiceSpike>(), other, pressure, "HighErrorRate").Kind);
    }
}
