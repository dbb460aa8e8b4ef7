namespace RealEstateOps.Engine.Eks;

/// <summary>An upgrade insight's status (InsightStatusValue).</summary>
public enum EksInsightStatus
{
    Unknown,
    Passing,
    Warning,
    Error,
}
