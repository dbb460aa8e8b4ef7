namespace RealEstateOps.Engine.Canary;

/// <summary>How a Step-Canary run ended: promoted, rolled back, or holding at its last weight (-NoPromote, or stopped early).</summary>
public enum CanaryVerdict
{
    Promoted,
    RolledBack,
    Holding,
}
