namespace RealEstateOps.Engine.Eks;

/// <summary>A readiness check's verdict: Pass (nothing to do), Warn (the upgrade can go on; look at it), Fail (the upgrade would be refused or would break).</summary>
public enum EksReadinessResult
{
    Pass,
    Warn,
    Fail,
}
