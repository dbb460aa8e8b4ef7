namespace RealEstateOps.Engine.Eks;

/// <summary>One deprecated API an insight found in use (categorySpecificSummary.deprecationDetails[]).</summary>
public sealed class EksDeprecation
{
    /// <summary>The API in use, e.g. "/apis/policy/v1beta1/poddisruptionbudgets".</summary>
    public string Usage { get; init; } = "";
    public string? ReplacedWith { get; init; }
    public string? StopServingVersion { get; init; }
    public string? StartServingReplacementVersion { get; init; }
    /// <summary>The clients (user agents) that called it in the last 30 days.</summary>
    public IReadOnlyList<string> UserAgents { get; init; } = Array.Empty<string>();

    public override string ToString() => ReplacedWith is { } r ? $"{Usage} -> {r} (removed in {StopServingVersion})" : Usage;
}
