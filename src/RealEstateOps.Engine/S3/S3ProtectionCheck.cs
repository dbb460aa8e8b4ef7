namespace RealEstateOps.Engine.S3;

/// <summary>One point of the runbook's "S3 Backup Strategy" and its verdict.</summary>
public sealed class S3ProtectionCheck
{
    public S3ProtectionPoint Name { get; init; }
    public S3ProtectionVerdict Verdict { get; init; }
    public bool Passed => Verdict == S3ProtectionVerdict.Pass;
    public string Detail { get; init; } = "";
}
