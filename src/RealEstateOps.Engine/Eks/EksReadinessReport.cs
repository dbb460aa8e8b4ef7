namespace RealEstateOps.Engine.Eks;

/// <summary>The whole pre-flight: every verdict, and the worst of them.</summary>
public sealed class EksReadinessReport
{
    public string Cluster { get; init; } = "";
    public string CurrentVersion { get; init; } = "";
    public string TargetVersion { get; init; } = "";
    public EksReadinessCheck[] Checks { get; init; } = Array.Empty<EksReadinessCheck>();
    public EksReadinessResult Result => Checks.Length == 0 ? EksReadinessResult.Pass : Checks.Max(c => c.Result);
    public EksReadinessCheck[] Failed => Checks.Where(c => c.Result == EksReadinessResult.Fail).ToArray();
    public EksReadinessCheck[] Warnings => Checks.Where(c => c.Result == EksReadinessResult.Warn).ToArray();
}
