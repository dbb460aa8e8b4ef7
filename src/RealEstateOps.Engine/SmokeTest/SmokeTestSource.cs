namespace RealEstateOps.Engine.SmokeTest;

/// <summary>Where a smoke test result comes from: the team's script (its exit code and JUnit XML) or a built-in check.</summary>
public enum SmokeTestSource
{
    Script,
    Check,
}
