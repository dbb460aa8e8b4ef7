using System.Globalization;

namespace RealEstateOps.Engine.Canary;

/// <summary>
/// The analysis of a Step-Canary run, as Flagger's and Argo Rollouts' analyses decide: a check passes when the canary's
/// success rate, p95 latency (and LLM error rate, when gated) are within the gate; no data is a failed check; a failed check
/// holds the weight and checks again; <see cref="FailureLimit"/> failed checks roll the canary back; a passed check moves to
/// the next step, and the last step passing finishes the run.
/// </summary>
public sealed class CanaryAnalysis
{
    private readonly List<CanaryCheck> _checks = new();

    public CanaryAnalysis(IReadOnlyList<int> steps, int failureLimit, CanaryGate gate)
    {
        if (steps.Count == 0) throw new ArgumentException("At least one step.", nameof(steps));
        if (steps.Any(s => s is < 1 or > 100)) throw new ArgumentOutOfRangeException(nameof(steps), "Steps are weights from 1 to 100.");
        if (failureLimit < 1) throw new ArgumentOutOfRangeException(nameof(failureLimit));
        Steps = steps.ToArray();
        FailureLimit = failureLimit;
        Gate = gate;
    }

    public IReadOnlyList<int> Steps { get; }
    public int FailureLimit { get; }
    public CanaryGate Gate { get; }
    /// <summary>The index in <see cref="Steps"/> of the weight being checked.</summary>
    public int StepIndex { get; private set; }
    public int Weight => Steps[StepIndex];
    public int Passed => _checks.Count(c => c.Passed);
    public int Failed => _checks.Count(c => !c.Passed);
    public IReadOnlyList<CanaryCheck> Checks => _checks;
    public CanaryCheck? Last => _checks.Count > 0 ? _checks[^1] : null;

    /// <summary>Judges a measurement against the gate; no data (null) is a failure, as is a failed query.</summary>
    public static CanaryCheck Judge(CanaryMeasurement m, CanaryGate gate, int number, int weight)
    {
        var reasons = new List<string>();
        reasons.AddRange(m.Problems);
        if (m.CanarySuccessRate is not { } rate) reasons.Add("no canary request data (success rate)");
        else if (rate < gate.MinSuccessRatePercent) reasons.Add($"canary success rate {F(rate)}% is below {F(gate.MinSuccessRatePercent)}%");
        if (m.CanaryP95Ms is not { } p95) reasons.Add("no canary latency data (p95)");
        else if (p95 > gate.MaxLatencyP95Ms) reasons.Add($"canary p95 latency {p95:0} ms is above {F(gate.MaxLatencyP95Ms)} ms");
        if (gate.MaxLlmErrorRatePercent is { } maxLlm)
        {
            if (m.LlmErrorRatePercent is not { } llm) reasons.Add("no LLM observation data (error rate)");
            else if (llm > maxLlm) reasons.Add($"LLM error rate {F(llm)}% is above {F(maxLlm)}%");
        }
        return new CanaryCheck
        {
            Number = number, Weight = weight, Passed = reasons.Count == 0, At = m.At,
            CanarySuccessRate = m.CanarySuccessRate, StableSuccessRate = m.StableSuccessRate, CanaryP95Ms = m.CanaryP95Ms, StableP95Ms = m.StableP95Ms,
            LlmErrorRatePercent = m.LlmErrorRatePercent, Reasons = reasons,
        };
    }

    /// <summary>Records the check of the current step's measurement and says what comes next.</summary>
    public CanaryDecision Record(CanaryMeasurement measurement) => Record(Judge(measurement, Gate, _checks.Count + 1, Weight));

    public CanaryDecision Record(CanaryCheck check)
    {
        _checks.Add(check);
        if (!check.Passed) return Failed >= FailureLimit ? CanaryDecision.RollBack : CanaryDecision.Retry;
        if (StepIndex == Steps.Count - 1) return CanaryDecision.Finish;
        StepIndex++;
        return CanaryDecision.Advance;
    }

    private static string F(double v) => v.ToString("0.##", CultureInfo.InvariantCulture);
}
