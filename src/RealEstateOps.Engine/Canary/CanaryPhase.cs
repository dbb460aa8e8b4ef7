namespace RealEstateOps.Engine.Canary;

/// <summary>Where a canary stands: started (weight 0), progressing (traffic on it, checks running), promoted or rolled back.</summary>
public enum CanaryPhase
{
    Unknown,
    Started,
    Progressing,
    Promoted,
    RolledBack,
}
