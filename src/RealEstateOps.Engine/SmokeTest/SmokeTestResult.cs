namespace RealEstateOps.Engine.SmokeTest;

/// <summary>One smoke test case (from the script's JUnit XML) or one built-in check.</summary>
public sealed class SmokeTestResult
{
    public required string Name { get; init; }
    /// <summary>The JUnit test suite (or classname) of a script's case; "checks" for built-in checks.</summary>
    public string? Suite { get; init; }
    public SmokeTestSource Source { get; init; }
    public SmokeTestOutcome Outcome { get; init; }
    /// <summary>The HTTP status a check got; null for script cases.</summary>
    public int? StatusCode { get; init; }
    /// <summary>How long the check's request took, or the case's time as its JUnit XML says.</summary>
    public double? LatencyMs { get; init; }
    /// <summary>Why it failed or was skipped (the failure's message), or what was checked.</summary>
    public string? Message { get; init; }
}
