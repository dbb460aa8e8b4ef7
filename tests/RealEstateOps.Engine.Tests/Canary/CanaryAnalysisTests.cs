using RealEstateOps.Engine.Canary;

namespace RealEstateOps.Engine.Tests.Canary;

/// <summary>The analysis decides as Flagger's does: a passed check advances, no data fails, failed checks hold the weight, the limit rolls back.</summary>
public class CanaryAnalysisTests
{
    private static readonly CanaryGate Gate = new() { MinSuccessRatePercent = 99, MaxLatencyP95Ms = 500 };

    private static CanaryMeasurement Good => new() { CanarySuccessRate = 99.8, StableSuccessRate = 99.7, CanaryP95Ms = 120, StableP95Ms = 118 };

    [Fact]
    public void Every_step_passing_advances_then_finishes()
    {
        var analysis = new CanaryAnalysis(new[] { 10, 50, 100 }, 2, Gate);
        Assert.Equal(10, analysis.Weight);
        Assert.Equal(CanaryDecision.Advance, analysis.Record(Good));
        Assert.Equal(50, analysis.Weight);
        Assert.Equal(CanaryDecision.Advance, analysis.Record(Good));
        Assert.Equal(CanaryDecision.Finish, analysis.Record(Good));
        Assert.Equal(100, analysis.Weight);
        Assert.Equal((3, 0), (analysis.Passed, analysis.Failed));
    }

    [Fact]
    public void No_data_is_a_failed_check_and_the_limit_rolls_back()
    {
        var analysis = new CanaryAnalysis(new[] { 50, 100 }, 2, Gate);
        Assert.Equal(CanaryDecision.Retry, analysis.Record(new CanaryMeasurement()));
        Assert.Equal(50, analysis.Weight);
        Assert.Contains("no canary request data (success rate)", analysis.Last!.Reasons);
        Assert.Contains("no canary latency data (p95)", analysis.Last!.Reasons);
        Assert.Equal(CanaryDecision.RollBack, analysis.Record(new CanaryMeasurement { CanarySuccessRate = 40, CanaryP95Ms = 3 }));
        Assert.Contains("canary success rate 40% is below 99%", analysis.Last!.Reasons);
        Assert.Equal((0, 2), (analysis.Passed, analysis.Failed));
    }

    [Fact]
    public void A_failed_check_holds_the_weight_and_a_pass_then_goes_on()
    {
        var analysis = new CanaryAnalysis(new[] { 25, 100 }, 2, Gate);
        Assert.Equal(CanaryDecision.Retry, analysis.Record(Good.With(p95: 900)));
        Assert.Contains("canary p95 latency 900 ms is above 500 ms", analysis.Last!.Reasons);
        Assert.Equal(25, analysis.Weight);
        Assert.Equal(CanaryDecision.Advance, analysis.Record(Good));
        Assert.Equal(CanaryDecision.Finish, analysis.Record(Good));
        Assert.Equal((2, 1), (analysis.Passed, analysis.Failed));
    }

    [Fact]
    public void A_failed_query_and_the_llm_gate_fail_the_check()
    {
        var gate = Gate with { MaxLlmErrorRatePercent = 5 };
        var failed = CanaryAnalysis.Judge(new CanaryMeasurement { CanarySuccessRate = 100, CanaryP95Ms = 10, Problems = new[] { "stable p95: query failed (PromUnreachable)" } }, Gate, 1, 10);
        Assert.False(failed.Passed);
        Assert.Contains("stable p95: query failed (PromUnreachable)", failed.Reasons);
        var llm = CanaryAnalysis.Judge(new CanaryMeasurement { CanarySuccessRate = 100, CanaryP95Ms = 10, LlmErrorRatePercent = 12.5 }, gate, 1, 10);
        Assert.Contains("LLM error rate 12.5% is above 5%", llm.Reasons);
        Assert.Contains("no LLM observation data (error rate)", CanaryAnalysis.Judge(new CanaryMeasurement { CanarySuccessRate = 100, CanaryP95Ms = 10 }, gate, 1, 10).Reasons);
        Assert.True(CanaryAnalysis.Judge(new CanaryMeasurement { CanarySuccessRate = 100, CanaryP95Ms = 10, LlmErrorRatePercent = 1 }, gate, 1, 10).Passed);
    }

    [Fact]
    public void Steps_must_be_weights()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => new CanaryAnalysis(new[] { 0, 100 }, 2, Gate));
        Assert.Throws<ArgumentOutOfRangeException>(() => new CanaryAnalysis(new[] { 50 }, 0, Gate));
        Assert.Throws<ArgumentException>(() => new CanaryAnalysis(Array.Empty<int>(), 2, Gate));
    }

    [Fact]
    public void What_a_real_Prometheus_answers_is_tolerated()
    {
        Assert.Null(CanaryMetrics.Worst(Array.Empty<double>(), worstIsLowest: true));
        Assert.Null(CanaryMetrics.Worst(new[] { double.NaN }, worstIsLowest: true));
        Assert.Null(CanaryMetrics.Worst(new[] { double.PositiveInfinity, double.NaN }, worstIsLowest: false));
        Assert.Equal(97.5, CanaryMetrics.Worst(new[] { 99.9, double.NaN, 97.5 }, worstIsLowest: true));
        Assert.Equal(800, CanaryMetrics.Worst(new[] { 120.0, 800.0 }, worstIsLowest: false));
        var q = CanaryMetrics.SuccessRateQuery(CanaryMetrics.Selector("real-estate-ai", "api-service", canary: true), TimeSpan.FromSeconds(7.2));
        Assert.Contains("version=\"canary\"", q);
        Assert.Contains("[8s]", q);
        Assert.Contains("or vector(0)", q);
        Assert.Contains("version!=\"canary\"", CanaryMetrics.Selector("real-estate-ai", "api-service", canary: false));
    }
}

internal static class MeasurementExtensions
{
    public static CanaryMeasurement With(this CanaryMeasurement m, double? p95 = null) => new()
    {
        CanarySuccessRate = m.CanarySuccessRate, StableSuccessRate = m.StableSuccessRate, CanaryP95Ms = p95 ?? m.CanaryP95Ms, StableP95Ms = m.StableP95Ms,
    };
}
