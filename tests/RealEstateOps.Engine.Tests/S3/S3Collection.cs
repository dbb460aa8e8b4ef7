namespace RealEstateOps.Engine.Tests.S3;

/// <summary>
/// The S3 test classes host busy sandboxes (thousands of requests, 20% faults, multipart copies): they run
/// on their own, after the parallel tests, so that they never slow down tests that measure intervals.
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class S3Collection
{
    public const string Name = "S3 sandbox";
}
