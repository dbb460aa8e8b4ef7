namespace RealEstateOps.Engine.Canary;

/// <summary>What a Step-Canary run does after a check: go to the next weight, check again at this one, roll back, or finish (the last step passed).</summary>
public enum CanaryDecision
{
    Advance,
    Retry,
    RollBack,
    Finish,
}
