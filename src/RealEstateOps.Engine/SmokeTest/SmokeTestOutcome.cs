namespace RealEstateOps.Engine.SmokeTest;

/// <summary>How a smoke test case or check ended.</summary>
public enum SmokeTestOutcome
{
    Passed,
    Failed,
    Skipped,
}
