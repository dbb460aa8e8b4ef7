namespace RealEstateOps.Engine.Canary;

/// <summary>One check of a Step-Canary run: the weight it ran at, what was measured, and whether the canary passed (no data fails).</summary>
public sealed class CanaryCheck
{
    public int Number { get; init; }
    public int Weight { get; init; }
    public bool Passed { get; init; }
    public double? CanarySuccessRate { get; init; }
    public double? StableSuccessRate { get; init; }
    public double? CanaryP95Ms { get; init; }
    public double? StableP95Ms { get; init; }
    public double? LlmErrorRatePercent { get; init; }
    public DateTimeOffset At { get; init; }
    /// <summary>Why the check failed (empty when it passed).</summary>
    public IReadOnlyList<string> Reasons { get; init; } = Array.Empty<string>();

    /// <summary>The measured values in one line, for the journal and verbose output.</summary>
    public string Summary =>
        $"canary {Percent(CanarySuccessRate)} ok, p95 {Ms(CanaryP95Ms)}; stable {Percent(StableSuccessRate)} ok, p95 {Ms(StableP95Ms)}" +
        (LlmErrorRatePercent is { } llm ? $"; LLM errors {llm:0.##}%" : "") + (Reasons.Count > 0 ? " — " + string.Join("; ", Reasons) : "");

    private static string Percent(double? v) => v is { } x ? x.ToString("0.##", System.Globalization.CultureInfo.InvariantCulture) + "%" : "no data";
    private static string Ms(double? v) => v is { } x ? x.ToString("0", System.Globalization.CultureInfo.InvariantCulture) + " ms" : "no data";
}
